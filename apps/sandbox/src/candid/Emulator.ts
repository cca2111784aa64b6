// The Candid Health Tasks V3 emulator as a framework definition, and `startCandid` for tests and main.ts.
// Default port 4101; the documented limit is 1000 requests per rolling 10 s per client IP.
import type { EmulatorDefinition } from "../framework/Emulator.ts"
import { startEmulator } from "../framework/Server.ts"
import { CANDID_ACTIVITY_KINDS, candidActivity } from "./Activity.ts"
import { candidControlRoutes, organizationView } from "./Control.ts"
import * as E from "./Errors.ts"
import { candidRoutes } from "./Routes.ts"
import { type CandidOptions, type CandidState, createState } from "./State.ts"

export const candid: EmulatorDefinition<CandidState, CandidOptions> = {
  vendor: "candid",
  defaultPort: 4101,
  defaultSize: 500,
  // "Each IP is allowed 1000 requests within a 10-second rolling window" [D: getting-started].
  rateLimit: { limit: 1000, windowMs: 10_000 },
  create: createState,
  routes: candidRoutes,
  controlRoutes: candidControlRoutes,
  responses: {
    // [I] Undeclared cases (unknown path, unparsable body, 5xx) keep the envelope so clients parse one shape.
    notFound: (request) =>
      E.candidError(404, "NotFoundError", { message: `No route ${request.method} ${request.path}` }),
    malformedBody: () => E.unprocessable("Request body is not valid JSON"),
    rateLimited: (retryAfterSeconds) => E.tooManyRequests("Rate limit exceeded", retryAfterSeconds),
    serverError: (status) => E.candidError(status, "InternalServerError", { message: `HTTP ${status}` }),
  },
  describe: (state) => ({
    credentials: state.store.orgs.map((org) => ({
      organizationId: org.organizationId,
      organizationName: org.name,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
    })),
    organizations: state.store.orgs.map((org) => organizationView(state.store, org)),
    tasks: state.store.tasks.length,
    updatedSinceField: state.updatedSinceField,
  }),
  activityKinds: CANDID_ACTIVITY_KINDS,
  activity: candidActivity,
}

/** Starts a Candid emulator; `{ port: 0 }` picks a free port, as tests should. */
export const startCandid = (options: CandidOptions = {}) => startEmulator(candid, options)
