// The Spry (SpryPT) waitlist-request emulator as a framework definition, and `startSpry` for tests and main.ts.
// Default port 4104; Spry documents no rate limit (vendor-docs §4.6), so none is applied.
import type { EmulatorDefinition } from "../framework/Emulator.ts"
import { startEmulator } from "../framework/Server.ts"
import { SPRY_ACTIVITY_KINDS, spryActivity } from "./Activity.ts"
import { organizationView, spryControlRoutes } from "./Control.ts"
import * as E from "./Errors.ts"
import { spryRoutes } from "./Routes.ts"
import { createState, type SpryOptions, type SpryState } from "./State.ts"

export const spry: EmulatorDefinition<SpryState, SpryOptions> = {
  vendor: "spry",
  defaultPort: 4104,
  defaultSize: 400,
  // Rate limits are [N]; the rateLimit option and faults can still impose one.
  rateLimit: false,
  create: createState,
  routes: spryRoutes,
  controlRoutes: spryControlRoutes,
  responses: {
    // [I] Everything answers in the `{code, message, data}` envelope, so clients parse one shape.
    notFound: (request) => E.failure(404, 4040, `no route ${request.method} ${request.path}`),
    malformedBody: () => E.failure(400, 4001, "the request body is not valid JSON"),
    rateLimited: (retryAfterSeconds) =>
      E.failure(429, 4290, "too many requests", { "retry-after": String(Math.max(1, retryAfterSeconds)) }),
    serverError: (status) => E.failure(status, 5000, "internal server error"),
  },
  describe: (state) => ({
    // The integration login of every organisation: what a demo connection uses.
    credentials: state.store.orgs.map((org) => ({
      organizationId: org.organizationId,
      organizationName: org.name,
      clientId: org.clients[0]?.clientId,
      clientSecret: org.clients[0]?.clientSecret,
      clinics: org.clinics.map((c) => ({ id: c.id, name: c.name, timeZone: c.timeZone })),
    })),
    organizations: state.store.orgs.map((org) => organizationView(state.store, org)),
    requests: state.store.requests.length,
    matching: { intervalMs: state.matching.intervalMs, roundsRun: state.matching.roundsRun },
  }),
  activityKinds: SPRY_ACTIVITY_KINDS,
  activity: spryActivity,
}

/** Starts a Spry emulator; `{ port: 0 }` picks a free port, as tests should. */
export const startSpry = (options: SpryOptions = {}) => startEmulator(spry, options)
