// CareValidate Care360 vendor routes: list cases, case detail, and the `POST /api/v1/cases/:caseId` action
// endpoint (UPDATE_ESCALATION, ADD_ESCALATION), with the documented status codes and envelopes.
import type { ApiKeyPrincipal } from "../framework/ApiKeyAuth.ts"
import { requireAuth } from "../framework/Auth.ts"
import type { Route } from "../framework/Http.ts"
import { ownership } from "../framework/Organizations.ts"
import { type AddItem, BodyIssue, parseCaseAction, type UpdateItem } from "./Bodies.ts"
import * as E from "./Errors.ts"
import { ListError, listCases } from "./List.ts"
import { activeEscalations, type Case, type Organization, type User } from "./Model.ts"
import type { CareValidateState } from "./State.ts"
import type { EscalationChange } from "./Store.ts"
import { activeWire, caseDetailWire } from "./Wire.ts"

/** Every call needs a known `cv-api-key`; body and list errors answer in CareValidate's envelopes [D: §5.7]. */
const authed = requireAuth<CareValidateState, ApiKeyPrincipal<Organization>>({
  authenticator: (state) => state.auth,
  // [I] Missing and unknown keys look alike: the docs show one 401 for a bad key.
  reject: () => E.invalidApiKey(),
  recover: (error) => {
    if (error instanceof BodyIssue) return E.validation(error.path, error.message)
    if (error instanceof ListError) return E.invalidRequest(400, error.message)
    return undefined
  },
})

/** The case if the key's organization owns it; "Case not found!" is a 400 and another org's case a 401 [D]. */
const ownCase = ownership<CareValidateState, Case>({
  find: (state, id) => state.store.caseById(id),
  ownerOf: (_, c) => c.org,
  missing: () => E.caseNotFound(),
  foreign: () => E.permissionDenied(),
})

/** Resolves every assignedToEmail first so a bad one fails the whole batch (all-or-nothing [I], §5.4). */
const assignees = (state: CareValidateState, c: Case, items: ReadonlyArray<{ assignedToEmail?: string }>) => {
  const found: Array<User | undefined> = []
  for (const item of items) {
    if (item.assignedToEmail === undefined) found.push(undefined)
    else {
      const user = state.store.assignable(c.org, item.assignedToEmail)
      if (user === undefined) return E.noAssignableUser(item.assignedToEmail)
      found.push(user)
    }
  }
  return found
}

const updateEscalations = (state: CareValidateState, c: Case, items: ReadonlyArray<UpdateItem>) => {
  const active = activeEscalations(c)
  const changes: Array<EscalationChange> = []
  // A completed escalation is not among the active ones, so it is "not found" too [D].
  for (const item of items) {
    const escalation = active.find((e) => e.id === item.escalationId.toLowerCase())
    if (escalation === undefined) return E.escalationNotFound(item.escalationId, activeWire(c))
    changes.push({ escalation })
  }
  const users = assignees(state, c, items)
  if (!Array.isArray(users)) return users
  state.store.update(
    c,
    changes.map((change, i) => {
      const item = items[i]
      const user = users[i]
      return {
        ...change,
        ...(item?.note === undefined ? {} : { note: item.note }),
        ...(item?.followUpDueAt === undefined ? {} : { followUpDueAt: item.followUpDueAt }),
        ...(user === undefined ? {} : { assignee: user }),
      }
    }),
  )
  return E.success("Escalation(s) updated successfully", { escalations: activeWire(c) })
}

const addEscalations = (state: CareValidateState, c: Case, items: ReadonlyArray<AddItem>) => {
  const users = assignees(state, c, items)
  if (!Array.isArray(users)) return users
  state.store.add(
    c,
    items.map(({ assignedToEmail: _, ...item }, i) => {
      const user = users[i]
      return user === undefined ? item : { ...item, assignee: user }
    }),
  )
  // [I] ADD answers like UPDATE: 200 with the case's active escalations (the add page shows no body).
  return E.success("Escalation(s) added successfully", { escalations: activeWire(c) })
}

// https://docs.careglp.com/docs/Case/case-escalation-update
// https://docs.careglp.com/docs/Case/case-escalation-add
const caseAction = authed((request, state, { org }) => {
  // [I] The body is validated before the case is looked up (a schema middleware runs first).
  const action = parseCaseAction(request.body)
  const owned = ownCase(state, org, request.params.caseId ?? "")
  if (!owned.ok) return owned.response
  const c = owned.record
  if (action.action === "NOT_EMULATED") {
    return E.invalidRequest(400, `Action ${action.name} is not emulated by the sandbox`)
  }
  // [I] "REOPEN is the only action allowed on a closed (archived) case" (https://docs.careglp.com/docs/Case/change-case-status).
  if (c.isArchived) return E.invalidRequest(400, "Only REOPEN action is allowed on a closed case")
  return action.action === "UPDATE_ESCALATION"
    ? updateEscalations(state, c, action.items)
    : addEscalations(state, c, action.items)
})

// https://docs-staging.careglp.com/docs/Case/get-cases-endpoint
// [I] Envelope per §5.7's success shape: {status, success, message, data: {cases, pageInfo}}; cases carry no
// escalations (fetch the detail for those).
const list = authed((request, state, { org }) =>
  E.success("Cases fetched successfully", listCases(state.store, org, request.query)),
)

// https://docs-staging.careglp.com/docs/Case/customer-case-detail
// [I] The docs don't say whether the detail includes escalations; the sync needs them, so `data.case.escalations`
// lists all of them, completed ones included. `email=` picks the patient's newest case in the key's organization.
const detail = authed((request, state, { org }) => {
  const caseId = request.query.get("caseId")
  const email = request.query.get("email")
  if (caseId !== null && caseId !== "") {
    const owned = ownCase(state, org, caseId)
    if (!owned.ok) return owned.response
    return E.success("Case details fetched successfully", { case: caseDetailWire(state.store, owned.record) })
  }
  if (email === null || email === "") throw new BodyIssue("caseId", "Either caseId or email is required")
  const wanted = email.toLowerCase()
  const mine = state.store.cases.filter((c) => c.org === org && c.patient.email === wanted)
  const newest = mine[mine.length - 1]
  if (newest === undefined) return E.caseNotFound()
  return E.success("Case details fetched successfully", { case: caseDetailWire(state.store, newest) })
})

export const careValidateRoutes: ReadonlyArray<Route<CareValidateState>> = [
  { method: "GET", pattern: "/api/v1/cases", handler: list },
  { method: "POST", pattern: "/api/v1/cases/:caseId", handler: caseAction },
  { method: "GET", pattern: "/api/v1/customer-case-detail", handler: detail },
]
