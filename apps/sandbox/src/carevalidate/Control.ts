// CareValidate's `/_sandbox/` routes: the framework's organization routes (each cv-api-key, users — CVTPA agents
// and providers with emails and ids, which the real API cannot list — sample case ids, key revocation), its
// webhook routes with registration (Care360 configures webhooks in its UI, vendor-docs §5.8), and a future type.
import { isRecord, json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { organizationControlRoutes } from "../framework/OrganizationControl.ts"
import { webhookControlRoutes } from "../framework/WebhookControl.ts"
import { activeEscalations, ESCALATION_TYPES, type Organization } from "./Model.ts"
import type { CareValidateState } from "./State.ts"
import type { CareValidateStore } from "./Store.ts"
import type { EscalationSubject } from "./WebhookEvents.ts"

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
  ...organizationControlRoutes<CareValidateState, Organization>({
    organizations: (state) => state.store.organizations,
    view: (state, org) => organizationView(state.store, org),
  }),
  ...webhookControlRoutes<CareValidateState, EscalationSubject>({
    hub: (state) => state.webhooks,
    organizations: (state) => state.store.organizations,
    registration: true,
  }),
  { method: "POST", pattern: "/_sandbox/escalations/:escalationId/future-type", handler: setFutureType },
]
