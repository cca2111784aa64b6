// The webhooks Spry sends (vendor-docs §4.7): patient, appointment and case events in the "minimized" 2026-06-11
// envelope `{event_id, event_type, api_version, timestamp, data: {organisation_id, ids…, status}}` — none for waitlist
// requests. The emulator sends `appointment.created` when a request is FULFILLED (a slot was booked: the docs' hint
// that a request closed) and any documented event a test publishes through `POST /_sandbox/events`.
import type { WebhookHub } from "../framework/WebhookHub.ts"
import { API_VERSION, type EventType } from "./Enums.ts"
import type { Organization } from "./Model.ts"
import type { Booking, SpryStore } from "./Store.ts"

/** What each delivery in the log names besides the event: the resource the event is about. */
export type EventSubject = { readonly resourceId: string }

/** The envelope body; `timestamp` is when Spry dispatched it, in epoch seconds [D]. */
export const eventBody = (eventId: string, event: string, nowMs: number, data: Readonly<Record<string, unknown>>) =>
  JSON.stringify({
    event_id: eventId,
    event_type: event,
    api_version: API_VERSION,
    timestamp: Math.floor(nowMs / 1000),
    data,
  })

export const announce = (
  hub: WebhookHub<EventSubject>,
  store: SpryStore,
  org: Organization,
  event: EventType | string,
  resourceId: string,
  data: Readonly<Record<string, unknown>>,
): number =>
  hub.publish({ event, organizationId: org.organizationId, subject: { resourceId } }, (eventId) =>
    eventBody(eventId, event, store.now(), { organisation_id: org.numericId, ...data }),
  )

/** A FULFILLED request booked a slot: `appointment.created`, identifiers and a non-PHI status only [D]. */
export const announceBooking = (hub: WebhookHub<EventSubject>, store: SpryStore, booking: Booking): void => {
  const org = store.orgs[booking.request.org]
  if (org === undefined) return
  announce(hub, store, org, "appointment.created", String(booking.appointmentId), {
    appointment_id: booking.appointmentId,
    patient_id: Number(booking.request.patientId),
    spry_case_id: `SPRY_CASE_${booking.invite.id.replace(/-/g, "").slice(0, 24)}`,
    clinic_id: Number(booking.request.clinicId),
    status: "SCHEDULED",
  })
}
