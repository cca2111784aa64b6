// The Kore.ai case-management emulator (port 4103) as a framework definition, and `startKoreai`: 60 requests a minute
// per account on every API [D]; no webhooks, as none are documented for case management [N: vendor-docs §3.7].
import type { EmulatorDefinition } from "../framework/Emulator.ts"
import { startEmulator } from "../framework/Server.ts"
import { KOREAI_ACTIVITY_KINDS, koreaiActivity } from "./Activity.ts"
import { koreaiControlRoutes, organizationView } from "./Control.ts"
import * as E from "./Errors.ts"
import { koreaiRoutes } from "./Routes.ts"
import { createState, type KoreaiOptions, type KoreaiState } from "./State.ts"

export const koreai: EmulatorDefinition<KoreaiState, KoreaiOptions> = {
  vendor: "koreai",
  defaultPort: 4103,
  defaultSize: 300,
  rateLimit: { limit: 60, windowMs: 60_000 },
  // One budget per account, whichever app, stream or API the call uses; a call that does not authenticate counts
  // against its client address instead, so nobody can spend another account's budget by naming its AccountId.
  rateLimitKey: (request, state) => {
    const result = state.auth.authenticate(request)
    return result.ok ? `account:${result.principal.app.accountId}` : `client:${request.clientAddress}`
  },
  create: createState,
  routes: koreaiRoutes,
  controlRoutes: koreaiControlRoutes,
  responses: {
    notFound: (request) => E.error(404, `Cannot ${request.method} ${request.path}`),
    malformedBody: () => E.badRequest("request body is not valid JSON"),
    rateLimited: E.rateLimited,
    serverError: (status) => E.error(status, "Internal Server Error"),
  },
  describe: (state) => ({
    credentials: state.store.orgs.map((org) => ({
      organizationId: org.organizationId,
      organizationName: org.name,
      accountId: org.accountId,
      streamId: org.streamId,
      clientId: org.apps[0]?.appId,
      clientSecret: org.apps[0]?.secret,
      creatorUserId: org.apiUser._id,
      taskTemplateId: org.templates[0]?._id,
    })),
    organizations: state.store.orgs.map((org) => organizationView(state.store, org)),
    tasks: state.store.orgs.reduce((n, org) => n + state.store.tasksOf(org.index).length, 0),
  }),
  activityKinds: KOREAI_ACTIVITY_KINDS,
  activity: koreaiActivity,
}

/** Starts a Kore.ai emulator; `{ port: 0 }` picks a free port, as tests should. */
export const startKoreai = (options: KoreaiOptions = {}) => startEmulator(koreai, options)
