// The Vambe CRM (public Tasks API) emulator as a framework definition, and `startVambe` for tests and main.ts.
// Default port 4102; Vambe documents no rate limit (vendor-docs §2.6), so none is applied.
import type { EmulatorDefinition } from "../framework/Emulator.ts"
import { startEmulator } from "../framework/Server.ts"
import { VAMBE_ACTIVITY_KINDS, vambeActivity } from "./Activity.ts"
import { organizationView, vambeControlRoutes } from "./Control.ts"
import * as E from "./Errors.ts"
import { vambeRoutes } from "./Routes.ts"
import { createState, type VambeOptions, type VambeState } from "./State.ts"

export const vambe: EmulatorDefinition<VambeState, VambeOptions> = {
  vendor: "vambe",
  defaultPort: 4102,
  defaultSize: 400,
  // [N] No rate limit is documented; the rateLimit option and faults can still impose one.
  rateLimit: false,
  create: createState,
  routes: vambeRoutes,
  controlRoutes: vambeControlRoutes,
  responses: {
    notFound: (request) => E.error(404, `Cannot ${request.method} ${request.path}`),
    malformedBody: () => E.badRequest("the request body is not valid JSON"),
    rateLimited: (retryAfterSeconds) =>
      E.error(429, "Too many requests", { "retry-after": String(Math.max(1, retryAfterSeconds)) }),
    serverError: (status) => E.error(status, "Something went wrong"),
  },
  describe: (state) => ({
    credentials: state.store.orgs.map((org) => ({
      organizationId: org.organizationId,
      organizationName: org.name,
      apiKey: org.apiKey,
    })),
    organizations: state.store.orgs.map((org) => organizationView(state.store, org)),
    tasks: state.store.orgs.reduce((n, org) => n + state.store.tasksOf(org.index).length, 0),
  }),
  activityKinds: VAMBE_ACTIVITY_KINDS,
  activity: vambeActivity,
}

/** Starts a Vambe emulator; `{ port: 0 }` picks a free port, as tests should. */
export const startVambe = (options: VambeOptions = {}) => startEmulator(vambe, options)
