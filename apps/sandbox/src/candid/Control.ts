// Candid's `/_sandbox/` routes: the framework's organization routes (credentials, users, work queues and sample
// encounters, which the real API cannot list; per-organization deprecated statuses; revocation), its token routes,
// and a task status newer than the published enum.
import { isRecord, json, type Route, type SandboxResponse } from "../framework/Http.ts"
import type { OAuthClient } from "../framework/OAuthTokens.ts"
import { listOf, organizationControlRoutes } from "../framework/OrganizationControl.ts"
import { tokenControlRoutes } from "../framework/TokenControl.ts"
import { TASK_STATUSES, type TaskStatus } from "./Enums.ts"
import type { Organization } from "./Model.ts"
import type { CandidState } from "./State.ts"
import type { CandidStore } from "./Store.ts"

const sampleEncounters = (store: CandidStore, org: number, count: number): Array<string> => {
  const ids: Array<string> = []
  for (let e = 0; e < store.encounters.length && ids.length < count; e++) {
    if (store.encounters.cols.org[e] === org) ids.push(store.ids.encounter.encode(e))
  }
  return ids
}

export const organizationView = (store: CandidStore, org: Organization) => ({
  organizationId: org.organizationId,
  name: org.name,
  clientId: org.clientId,
  clientSecret: org.clientSecret,
  deprecatedStatuses: [...org.deprecated],
  users: org.users,
  billingProviders: org.providers,
  workQueueIds: org.workQueueIds,
  sampleEncounterIds: sampleEncounters(store, org.index, 5),
})

const isStatus = (value: unknown): value is TaskStatus => TASK_STATUSES.some((status) => status === value)

/** `PATCH /_sandbox/organizations/:organizationId {deprecatedStatuses}`: which statuses PATCH now refuses. */
const configure = (_: CandidState, org: Organization, body: Record<string, unknown>): void => {
  org.deprecated = new Set(listOf(body, "deprecatedStatuses", TASK_STATUSES))
}

/** `POST /_sandbox/tasks/:taskId/future-status {status}`: the task now reports an enum value unknown to the SDK. */
const setFutureStatus = (
  request: { params: Readonly<Record<string, string>>; body: unknown },
  state: CandidState,
): SandboxResponse => {
  const row = state.store.ids.task.decode(request.params.taskId ?? "")
  const status = isRecord(request.body) ? request.body.status : undefined
  if (row === undefined || row >= state.store.tasks.length)
    return json(404, { error: `no task ${request.params.taskId}` })
  if (typeof status !== "string" || status === "" || isStatus(status)) {
    return json(400, { error: "status must be a non-empty string that is not one of the published statuses" })
  }
  state.store.setFutureStatus(row, status)
  return json(200, { taskId: request.params.taskId, status })
}

export const candidControlRoutes: ReadonlyArray<Route<CandidState>> = [
  ...organizationControlRoutes<CandidState, Organization>({
    organizations: (state) => state.store.organizations,
    view: (state, org) => organizationView(state.store, org),
    configure,
  }),
  ...tokenControlRoutes<CandidState, OAuthClient>({
    tokens: (state) => state.tokens,
    organizations: (state) => state.store.organizations,
  }),
  { method: "POST", pattern: "/_sandbox/tasks/:taskId/future-status", handler: setFutureStatus },
]
