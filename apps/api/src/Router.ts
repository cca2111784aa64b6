// The taskbridge API as one tRPC router. `AppRouter` is what clients import (as a type only); the input and output
// helpers name each procedure's wire types for apps that want them.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server"
import { connectionsRouter } from "./routers/connections.ts"
import { eventsProcedure } from "./routers/events.ts"
import { healthRouter } from "./routers/health.ts"
import { conflictsRouter, syncRouter } from "./routers/sync.ts"
import { tasksRouter } from "./routers/tasks.ts"
import { tokensRouter } from "./routers/tokens.ts"
import { vendorsRouter } from "./routers/vendors.ts"
import { createCallerFactory, router } from "./Trpc.ts"

export const appRouter = router({
  tasks: tasksRouter,
  connections: connectionsRouter,
  sync: syncRouter,
  health: healthRouter,
  conflicts: conflictsRouter,
  tokens: tokensRouter,
  vendors: vendorsRouter,
  events: eventsProcedure,
})

export type AppRouter = typeof appRouter
export type RouterInputs = inferRouterInputs<AppRouter>
export type RouterOutputs = inferRouterOutputs<AppRouter>

/** In-process calls with a given context (tests, scripts): `createCaller(ctx).tasks.list({})`. */
export const createCaller = createCallerFactory(appRouter)
