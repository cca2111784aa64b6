// CareValidate-specific `/_sandbox/` routes: each organization's cv-api-key, its users (CVTPA agents and
// providers, with emails and ids, which the real API cannot list) and sample case ids.
import { json, type Route } from "../framework/Http.ts"
import { activeEscalations, type Organization } from "./Model.ts"
import type { CareValidateState } from "./State.ts"
import type { CareValidateStore } from "./Store.ts"

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

export const careValidateControlRoutes: ReadonlyArray<Route<CareValidateState>> = [
  {
    method: "GET",
    pattern: "/_sandbox/organizations",
    handler: (_, state) =>
      json(200, { organizations: state.store.orgs.map((org) => organizationView(state.store, org)) }),
  },
]
