// The console's routes (TanStack Router, code-based). The inbox's search params are its saved view: every filter,
// the sort and the text search live in the URL, so a view is a link. `/signin?code=` spends a one-time sign-in code.
import { createRootRoute, createRoute, createRouter } from "@tanstack/react-router"
import { parseInboxSearch } from "./inbox/search.ts"
import { Shell } from "./Shell.tsx"
import { ConflictsView } from "./views/Conflicts.tsx"
import { ConnectionsView } from "./views/Connections.tsx"
import { InboxView } from "./views/Inbox.tsx"
import { SignInView } from "./views/SignIn.tsx"
import { SyncView } from "./views/Sync.tsx"
import { TaskView } from "./views/Task.tsx"

const rootRoute = createRootRoute({ component: Shell })

export const signinRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signin",
  validateSearch: (search: Record<string, unknown>): { code?: string } =>
    typeof search.code === "string" ? { code: search.code } : {},
  component: SignInView,
})

export const inboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  validateSearch: parseInboxSearch,
  component: InboxView,
})

export const taskRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/tasks/$taskId",
  component: TaskView,
})

export const connectionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/connections",
  component: ConnectionsView,
})

export const syncRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sync",
  component: SyncView,
})

export const conflictsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/conflicts",
  component: ConflictsView,
})

const routeTree = rootRoute.addChildren([
  signinRoute,
  inboxRoute,
  taskRoute,
  connectionsRoute,
  syncRoute,
  conflictsRoute,
])

export const router = createRouter({ routeTree, defaultPreload: false })

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router
  }
}
