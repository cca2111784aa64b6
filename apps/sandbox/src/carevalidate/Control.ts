// CareValidate-specific `/_sandbox/` routes: each organization's cv-api-key, its users (CVTPA agents and
// providers, with emails and ids, which the real API cannot list) and sample case ids; revoking a key and giving
// an escalation a future type, for adapter contract tests. The webhook routes live in WebhookControl.ts.
import { isRecord, json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { activeEscalations, ESCALATION_TYPES, type Organization } from "./Model.ts"
import type { CareValidateState } from "./State.ts"
import type { CareValidateStore } from "./Store.ts"
import { webhookControlRoutes } from "./WebhookControl.ts"

const sampleCases = (store: CareValidateStore, org: number, count: number): Array<string> => {
  const ids: Array<string> = []
  for (const c of store.cases) {
    if (ids.length === count) break
    if (c.org === org && !c.isArchived && activeEscalations(c).length > 0) ids.push(c.id)
  }
  return ids
}

export const organizationView = (store: CareValidateStore, org: Organization) => ({
  organizationId: org.organizationId,
  name: org.name,
  apiKey: org.apiKey,
  users: org.users.map((u) => ({ ...u, assignable: u.role === "CVTPA" })),
  cases: store.cases.filter((c) => c.org === org.index).length,
  sampleCaseIds: sampleCases(store, org.index, 5),
})

/** `POST /_sandbox/organizations/:organizationId/revoke-key`: its cv-api-key answers 401 until the next reset. */
const revokeKey = (request: SandboxRequest, state: CareValidateState): SandboxResponse => {
  const org = state.store.orgs.find((o) => o.organizationId === request.params.organizationId)
  if (org === undefined) return json(404, { error: `no organization ${request.params.organizationId}` })
  state.store.revokeKey(org)
  return json(200, { organizationId: org.organizationId, revoked: true })
}

/** `POST /_sandbox/escalations/:escalationId/future-type {type}`: a type CareValidate may add later. */
const setFutureType = (request: SandboxRequest, state: CareValidateState): SandboxResponse => {
  const id = request.params.escalationId ?? ""
  const e = state.store.caseOfEscalation(id)?.escalations.find((x) => x.id === id.toLowerCase())
  const type = isRecord(request.body) ? request.body.type : undefined
  if (e === undefined) return json(404, { error: `no escalation ${id}` })
  if (typeof type !== "string" || type === "" || ESCALATION_TYPES.some((t) => t === type)) {
    return json(400, { error: "type must be a non-empty string that is not one of the published types" })
  }
  state.store.setFutureType(e, type)
  return json(200, { escalationId: e.id, type })
}

export const careValidateControlRoutes: ReadonlyArray<Route<CareValidateState>> = [
  {
    method: "GET",
    pattern: "/_sandbox/organizations",
    handler: (_, state) =>
      json(200, { organizations: state.store.orgs.map((org) => organizationView(state.store, org)) }),
  },
  { method: "POST", pattern: "/_sandbox/organizations/:organizationId/revoke-key", handler: revokeKey },
  { method: "POST", pattern: "/_sandbox/escalations/:escalationId/future-type", handler: setFutureType },
  ...webhookControlRoutes,
]
