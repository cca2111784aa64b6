// Spry's vendor routes: the OAuth token endpoint and the five waitlist-request endpoints, with the documented codes
// and envelopes. Each handler names the doc page it implements.
import { json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { ownRequest, route, viewerOf } from "./Access.ts"
import { checkWindow, clinicOfCreate, parseCreate, parseUpdate } from "./Bodies.ts"
import { dateIn } from "./Dates.ts"
import * as E from "./Errors.ts"
import { listRequests } from "./List.ts"
import type { SpryState } from "./State.ts"
import { activeInvites, isTerminal } from "./Store.ts"
import { subscriptionRoutes } from "./Subscriptions.ts"
import { requestWire } from "./Wire.ts"

// https://api-docs.spryhealth.care/getting-started/authentication/ — form-encoded client credentials [D].
const token = (request: SandboxRequest, state: SpryState): SandboxResponse => {
  const type = String(request.headers["content-type"] ?? "")
  if (!type.includes("application/x-www-form-urlencoded")) {
    return E.oauthError(400, "invalid_request", "the token request must be application/x-www-form-urlencoded")
  }
  const result = state.tokens.mint(request.body)
  if (!result.ok) {
    return result.reason === "invalid_client"
      ? E.oauthError(401, "invalid_client", result.message)
      : E.oauthError(400, result.reason, result.message)
  }
  const { accessToken, tokenType, expiresIn, scope, client } = result.issued
  return json(200, {
    access_token: accessToken,
    token_type: tokenType,
    expires_in: expiresIn,
    scope,
    organisation_id: state.store.orgs[client.org]?.numericId,
    user_id: client.userId,
    roles: client.roles,
    clinic_id_list: client.clinicIds.map(Number),
    name: client.name,
  })
}

const includeWaitlists = (request: SandboxRequest) => request.query.get("include_waitlists") === "true"

// https://api-docs.spryhealth.care/api/waitlist/list/
const list = route("read", (request, state, principal) =>
  E.success(listRequests(state.store, viewerOf(principal), request.query)),
)

// https://api-docs.spryhealth.care/api/waitlist/get/
const get = route("read", (request, state, principal) => {
  const owned = ownRequest(state, principal, request.params.id ?? "")
  return owned.ok ? E.success(requestWire(state.store, owned.record, includeWaitlists(request))) : owned.response
})

// https://api-docs.spryhealth.care/api/waitlist/create/
const create = route("write", (request, state, principal) => {
  const { store } = state
  const { client } = principal
  const clinicId = clinicOfCreate(request.body)
  const clinic = store.clinic(principal.org, clinicId)
  if (clinic === undefined || !client.clinicIds.includes(clinicId)) {
    return E.forbidden("clinic_id: not in this token's clinic_id_list")
  }
  // "Required for clinician/staff requests; ignored for patient users" [D].
  const patientId = client.patientId ?? request.query.get("patient_id") ?? ""
  if (patientId === "") throw new E.Invalid(E.CODES.patient, "patient_id: required for clinician/staff requests")
  if (store.patient(principal.org, patientId) === undefined) {
    throw new E.Invalid(E.CODES.patient, "patient_id: not a patient of this organisation")
  }
  const fields = parseCreate(request.body, clinic)
  checkWindow(fields.dateRangeStart, fields.dateRangeEnd, dateIn(store.now(), clinic.timeZone))
  const r = store.create({ ...fields, org: principal.org, clinicId, patientId, createdBy: String(client.userId) })
  // [I] 201 Created with the request, in the same envelope.
  return E.success(requestWire(store, r, false), 201)
})

// https://api-docs.spryhealth.care/api/waitlist/update/ (the primary spec)
const update = route("write", (request, state, principal) => {
  const { store } = state
  const owned = ownRequest(state, principal, request.params.id ?? "")
  if (!owned.ok) return owned.response
  const r = owned.record
  // A race a test armed: Spry's matching closes the request just before this PATCH is handled.
  const race = state.races.get(r.id)
  if (race !== undefined) {
    state.races.delete(r.id)
    store.close(r, race, null)
  }
  // "A request in a terminal status … cannot be updated; the API returns 409" [D] — whatever the body says.
  if (isTerminal(r)) return E.closed()
  const clinic = store.clinicOf(r)
  const change = parseUpdate(request.body, clinic)
  const start = change.dateRangeStart ?? r.dateRangeStart
  const end = change.dateRangeEnd ?? r.dateRangeEnd
  if (change.dateRangeStart !== undefined || change.dateRangeEnd !== undefined) {
    checkWindow(start, end, dateIn(store.now(), clinic.timeZone))
    // "Narrowing the date range" while invites are pending is refused; extending is fine [D].
    if (activeInvites(r).length > 0 && (start > r.dateRangeStart || end < r.dateRangeEnd)) {
      return E.activeInvitesExist()
    }
  }
  store.update(r, change, String(principal.client.userId))
  return E.success(requestWire(store, r, false))
})

// https://api-docs.spryhealth.care/api/waitlist/delete/
const remove = route("write", (request, state, principal) => {
  const owned = ownRequest(state, principal, request.params.id ?? "")
  if (!owned.ok) return owned.response
  // "Deletion is rejected with 409 Conflict if the request has active invites in PENDING, SENT, or READ" [D].
  if (activeInvites(owned.record).length > 0) return E.deleteBlocked()
  state.store.delete(owned.record)
  return { status: 204 }
})

export const spryRoutes: ReadonlyArray<Route<SpryState>> = [
  { method: "POST", pattern: "/apis/v2/oauth/token", handler: token },
  { method: "GET", pattern: "/apis/v1/waitlist-requests", handler: list },
  { method: "POST", pattern: "/apis/v1/waitlist-requests", handler: create },
  { method: "GET", pattern: "/apis/v1/waitlist-requests/:id", handler: get },
  { method: "PATCH", pattern: "/apis/v1/waitlist-requests/:id", handler: update },
  { method: "DELETE", pattern: "/apis/v1/waitlist-requests/:id", handler: remove },
  ...subscriptionRoutes,
]
