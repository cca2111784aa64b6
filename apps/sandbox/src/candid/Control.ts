// Candid-specific `/_sandbox/` routes: the organizations with their credentials, users, work queues and
// sample encounters (things the real API offers no way to list), and per-organization deprecated statuses.
import { isRecord, json, type Route, type SandboxResponse } from "../framework/Http.ts"
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

const patchOrganization = (
  request: { params: Readonly<Record<string, string>>; body: unknown },
  state: CandidState,
): SandboxResponse => {
  const org = state.store.orgs.find((candidate) => candidate.organizationId === request.params.organizationId)
  if (org === undefined) return json(404, { error: `no organization ${request.params.organizationId}` })
  const statuses = isRecord(request.body) ? request.body.deprecatedStatuses : undefined
  if (!Array.isArray(statuses) || !statuses.every(isStatus)) {
    return json(400, { error: `deprecatedStatuses must be a list of: ${TASK_STATUSES.join(", ")}` })
  }
  org.deprecated = new Set(statuses)
  return json(200, organizationView(state.store, org))
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
  {
    method: "GET",
    pattern: "/_sandbox/organizations",
    handler: (_, state) =>
      json(200, { organizations: state.store.orgs.map((org) => organizationView(state.store, org)) }),
  },
  { method: "PATCH", pattern: "/_sandbox/organizations/:organizationId", handler: patchOrganization },
  { method: "POST", pattern: "/_sandbox/tasks/:taskId/future-status", handler: setFutureStatus },
]
