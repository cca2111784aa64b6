// Spry's `/_sandbox/` routes: the framework's organisation routes (every client's credentials and roles, clinics with
// their zones, providers and categories, sample request ids — none of which the real API lists), token and webhook
// routes, and Spry's own: run the matching now, move one request the way the matching would (offer, fulfil, expire),
// arm a race (the request closes right before its next PATCH), report a value newer than the docs, publish an event.
import { ControlInputError, controlBody } from "../framework/Control.ts"
import { isRecord, json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { organizationControlRoutes } from "../framework/OrganizationControl.ts"
import { hash32, Rng } from "../framework/Prng.ts"
import { tokenControlRoutes } from "../framework/TokenControl.ts"
import { webhookControlRoutes } from "../framework/WebhookControl.ts"
import { ACTIVE_INVITE_STATUSES, EVENT_TYPES, isOneOf } from "./Enums.ts"
import type { Client, Organization, WaitlistRequest } from "./Model.ts"
import type { CloseStatus, SpryState } from "./State.ts"
import { isTerminal, type SpryStore } from "./Store.ts"
import { announce, type EventSubject } from "./WebhookEvents.ts"

export const organizationView = (store: SpryStore, org: Organization) => ({
  organizationId: org.organizationId,
  numericId: org.numericId,
  name: org.name,
  clients: org.clients.map((c) => ({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    userId: c.userId,
    name: c.name,
    roles: c.roles,
    clinicIds: c.clinicIds,
    patientId: c.patientId,
  })),
  clinics: org.clinics,
  patients: org.patients.length,
  requests: store.requests.filter((r) => r.org === org.index).length,
  sampleRequestIds: store.requests
    .filter((r) => r.org === org.index && r.status === "ACTIVE")
    .slice(0, 5)
    .map((r) => r.id),
})

/** A request route's target, after the matching rounds that fell due. */
const withRequest =
  (then: (request: SandboxRequest, state: SpryState, r: WaitlistRequest) => SandboxResponse) =>
  (request: SandboxRequest, state: SpryState): SandboxResponse => {
    state.matching.catchUp()
    const r = state.store.byId(request.params.id ?? "")
    if (r === undefined) return json(404, { error: `no waitlist request ${request.params.id}` })
    return then(request, state, r)
  }

const view = (r: WaitlistRequest) => ({ id: r.id, status: r.status, invites: r.invites.map((i) => i.status) })

/** One stream per request and offer, so the same control call offers the same slot for the same seed. */
const rngFor = (r: WaitlistRequest) => new Rng(hash32(r.seq, r.invites.length, 0x5c7))

/** `POST /_sandbox/waitlist-requests/:id/offer {status?}`: the matching offers a slot now (PENDING by default). */
const offer = withRequest((request, state, r) => {
  const status = controlBody(request).status ?? "PENDING"
  if (!isOneOf(ACTIVE_INVITE_STATUSES, status)) throw new ControlInputError("status must be PENDING, SENT or READ")
  if (isTerminal(r)) return json(409, { error: `request is ${r.status}` })
  const invite = state.store.offer(r, status, rngFor(r))
  if (invite === undefined) return json(409, { error: "no day of the request's window is left for a slot" })
  return json(200, { ...view(r), inviteId: invite.id })
})

const closeTo = (status: CloseStatus) =>
  withRequest((_, state, r) => {
    if (isTerminal(r)) return json(409, { error: `request is already ${r.status}` })
    state.store.close(r, status, null)
    return json(200, view(r))
  })

const CLOSE_STATUSES: ReadonlyArray<CloseStatus> = ["FULFILLED", "CANCELLED", "EXPIRED"]

/** `POST …/:id/close-before-next-patch {status?}`: the next PATCH of it finds it closed (default FULFILLED). */
const armRace = withRequest((request, state, r) => {
  const status = controlBody(request).status ?? "FULFILLED"
  if (!isOneOf(CLOSE_STATUSES, status)) throw new ControlInputError("status must be FULFILLED, CANCELLED or EXPIRED")
  state.races.set(r.id, status)
  return json(200, { id: r.id, closesTo: status })
})

const FUTURE_FIELDS = { status: "status", appointment_type: "appointmentType", payment_type: "paymentType" } as const

/** `POST …/:id/future-value {field, value}`: the request reports a status, type or payment type newer than the docs. */
const futureValue = withRequest((request, state, r) => {
  const { field, value } = controlBody(request)
  if (typeof field !== "string" || !Object.hasOwn(FUTURE_FIELDS, field)) {
    throw new ControlInputError(`field must be one of ${Object.keys(FUTURE_FIELDS).join(", ")}`)
  }
  if (typeof value !== "string" || value === "") throw new ControlInputError("value must be a non-empty string")
  state.store.setFutureValue(r, FUTURE_FIELDS[field as keyof typeof FUTURE_FIELDS], value)
  return json(200, { id: r.id, field, value })
})

const roundsOf = (request: SandboxRequest): number => {
  const rounds = controlBody(request).rounds ?? 1
  if (typeof rounds !== "number" || !Number.isInteger(rounds) || rounds < 1 || rounds > 1000) {
    throw new ControlInputError("rounds must be an integer from 1 to 1000")
  }
  return rounds
}

/** `POST /_sandbox/events {event_type, organizationId, resourceId?, data?}`: a documented event, sent now. */
const publish = (request: SandboxRequest, state: SpryState): SandboxResponse => {
  const body = controlBody(request)
  const { event_type: event, organizationId, data } = body
  if (!isOneOf(EVENT_TYPES, event)) throw new ControlInputError(`event_type must be one of ${EVENT_TYPES.join(", ")}`)
  const org = typeof organizationId === "string" ? state.store.organizations.byId(organizationId) : undefined
  if (org === undefined) throw new ControlInputError(`no organization ${String(organizationId)}`)
  const fields: Readonly<Record<string, unknown>> = isRecord(data) ? data : {}
  const resourceId = typeof body.resourceId === "string" ? body.resourceId : event
  return json(200, { queued: announce(state.webhooks, state.store, org, event, resourceId, fields) })
}

export const spryControlRoutes: ReadonlyArray<Route<SpryState>> = [
  ...organizationControlRoutes<SpryState, Organization>({
    organizations: (state) => state.store.organizations,
    view: (state, org) => organizationView(state.store, org),
  }),
  ...tokenControlRoutes<SpryState, Client>({
    tokens: (state) => state.tokens,
    organizations: (state) => state.store.organizations,
  }),
  // Spry subscribes through its API, so the framework's UI stand-in (registration) is not mounted.
  ...webhookControlRoutes<SpryState, EventSubject>({
    hub: (state) => state.webhooks,
    organizations: (state) => state.store.organizations,
    registration: false,
  }),
  {
    method: "GET",
    pattern: "/_sandbox/matching",
    handler: (_, state) =>
      json(200, {
        intervalMs: state.matching.intervalMs,
        roundsRun: state.matching.roundsRun,
        nextRoundAt: state.matching.nextRoundAt,
      }),
  },
  {
    method: "POST",
    pattern: "/_sandbox/matching/run",
    handler: (request, state) => {
      state.matching.catchUp()
      return json(200, { changes: state.matching.runNow(roundsOf(request)) })
    },
  },
  { method: "POST", pattern: "/_sandbox/waitlist-requests/:id/offer", handler: offer },
  { method: "POST", pattern: "/_sandbox/waitlist-requests/:id/fulfil", handler: closeTo("FULFILLED") },
  { method: "POST", pattern: "/_sandbox/waitlist-requests/:id/expire", handler: closeTo("EXPIRED") },
  { method: "POST", pattern: "/_sandbox/waitlist-requests/:id/close-before-next-patch", handler: armRace },
  { method: "POST", pattern: "/_sandbox/waitlist-requests/:id/future-value", handler: futureValue },
  { method: "POST", pattern: "/_sandbox/events", handler: publish },
]
