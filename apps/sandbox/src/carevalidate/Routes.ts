// CareValidate Care360 vendor routes: list cases, case detail, and the `POST /api/v1/cases/:caseId` action
// endpoint (UPDATE_ESCALATION, ADD_ESCALATION), with the documented status codes and envelopes.
import type { Route, SandboxRequest, SandboxResponse } from "../framework/Http.ts"
import { type AddItem, BodyIssue, parseCaseAction, type UpdateItem } from "./Bodies.ts"
import * as E from "./Errors.ts"
import { ListError, listCases } from "./List.ts"
import { activeEscalations, type Case, type Organization, type User } from "./Model.ts"
import type { CareValidateState } from "./State.ts"
import type { EscalationChange } from "./Store.ts"
import { activeWire, caseDetailWire } from "./Wire.ts"

type Authed = (request: SandboxRequest, state: CareValidateState, org: Organization) => SandboxResponse

/** Every call carries `cv-api-key: <org secret>` [D: vendor-docs §5.2]; node lower-cases header names. */
const authed =
  (handler: Authed) =>
  (request: SandboxRequest, state: CareValidateState): SandboxResponse => {
    const key = request.headers["cv-api-key"]
    const org = typeof key === "string" ? state.store.orgByKey(key.trim()) : undefined
    if (org === undefined) return E.invalidApiKey()
    try {
      return handler(request, state, org)
    } catch (error) {
      if (error instanceof BodyIssue) return E.validation(error.path, error.message)
      if (error instanceof ListError) return E.invalidRequest(400, error.message)
      throw error
    }
  }

/** The case if the key's organization owns it; "Case not found!" is a 400 and another org's case a 401 [D]. */
const ownCase = (state: CareValidateState, org: Organization, caseId: string): Case | SandboxResponse => {
  const c = state.store.caseById(caseId)
  if (c === undefined) return E.caseNotFound()
  return c.org === org.index ? c : E.permissionDenied()
}

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
const caseAction = authed((request, state, org) => {
  // [I] The body is validated before the case is looked up (a schema middleware runs first).
  const action = parseCaseAction(request.body)
  const c = ownCase(state, org, request.params.caseId ?? "")
  if (!("seq" in c)) return c
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
const list = authed((request, state, org) =>
  E.success("Cases fetched successfully", listCases(state.store, org.index, request.query)),
)

// https://docs-staging.careglp.com/docs/Case/customer-case-detail
// [I] The docs don't say whether the detail includes escalations; the sync needs them, so `data.case.escalations`
// lists all of them, completed ones included. `email=` picks the patient's newest case in the key's organization.
const detail = authed((request, state, org) => {
  const caseId = request.query.get("caseId")
  const email = request.query.get("email")
  if (caseId !== null && caseId !== "") {
    const c = ownCase(state, org, caseId)
    return "seq" in c ? E.success("Case details fetched successfully", { case: caseDetailWire(state.store, c) }) : c
  }
  if (email === null || email === "") throw new BodyIssue("caseId", "Either caseId or email is required")
  const wanted = email.toLowerCase()
  const mine = state.store.cases.filter((c) => c.org === org.index && c.patient.email === wanted)
  const newest = mine[mine.length - 1]
  if (newest === undefined) return E.caseNotFound()
  return E.success("Case details fetched successfully", { case: caseDetailWire(state.store, newest) })
})

export const careValidateRoutes: ReadonlyArray<Route<CareValidateState>> = [
  { method: "GET", pattern: "/api/v1/cases", handler: list },
  { method: "POST", pattern: "/api/v1/cases/:caseId", handler: caseAction },
  { method: "GET", pattern: "/api/v1/customer-case-detail", handler: detail },
]
