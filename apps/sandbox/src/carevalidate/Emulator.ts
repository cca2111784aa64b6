// The CareValidate Care360 (case escalations) emulator as a framework definition, and `startCareValidate` for
// tests and main.ts. Default port 4105; CareValidate documents no rate limit, so none is applied.
import type { EmulatorDefinition } from "../framework/Emulator.ts"
import { startEmulator } from "../framework/Server.ts"
import { CAREVALIDATE_ACTIVITY_KINDS, careValidateActivity } from "./Activity.ts"
import { careValidateControlRoutes, organizationView } from "./Control.ts"
import * as E from "./Errors.ts"
import { careValidateRoutes } from "./Routes.ts"
import { type CareValidateOptions, type CareValidateState, createState } from "./State.ts"

export const carevalidate: EmulatorDefinition<CareValidateState, CareValidateOptions> = {
  vendor: "carevalidate",
  defaultPort: 4105,
  defaultSize: 300,
  // Rate limits are [N] (vendor-docs §5.7); the rateLimit option and faults can still impose one.
  rateLimit: false,
  create: createState,
  routes: careValidateRoutes,
  controlRoutes: careValidateControlRoutes,
  responses: {
    // [I] Undocumented cases keep the business-error envelope so clients parse one shape.
    notFound: (request) => E.invalidRequest(404, `Cannot ${request.method} ${request.path}`),
    malformedBody: () => E.validation("body", "Invalid JSON"),
    rateLimited: (retryAfterSeconds) =>
      E.invalidRequest(429, "Too many requests", { "retry-after": String(Math.max(1, retryAfterSeconds)) }),
    serverError: (status) => E.invalidRequest(status, "Internal server error"),
  },
  describe: (state) => ({
    credentials: state.store.orgs.map((org) => ({
      organizationId: org.organizationId,
      organizationName: org.name,
      apiKey: org.apiKey,
    })),
    organizations: state.store.orgs.map((org) => organizationView(state.store, org)),
    cases: state.store.cases.length,
  }),
  activityKinds: CAREVALIDATE_ACTIVITY_KINDS,
  activity: careValidateActivity,
}

/** Starts a CareValidate emulator; `{ port: 0 }` picks a free port, as tests should. */
export const startCareValidate = (options: CareValidateOptions = {}) => startEmulator(carevalidate, options)
