// Waitlist requests as Spry prints them (vendor-docs §4.4, the get/update examples): dates as YYYY-MM-DD, instants
// as ISO 8601 in whole seconds, ids as strings. `matched_invites` and `matched_waitlists` only with
// `include_waitlists=true` [I: the docs show them with it and say it "includes full matched waitlist and invite
// details"]. Get, list, create and update answer the same shape ("The response shape matches Get" [D]).
import { isoSeconds } from "../framework/Fake.ts"
import type { Invite, MatchedWaitlist, WaitlistRequest } from "./Model.ts"
import type { SpryStore } from "./Store.ts"

const inviteWire = (i: Invite) => ({
  invite_id: i.id,
  waitlist_id: i.waitlistId,
  status: i.status,
  match_type: i.matchType,
  slot_start: isoSeconds(i.slotStart),
  slot_end: isoSeconds(i.slotEnd),
  sent_at: i.sentAt === null ? null : isoSeconds(i.sentAt),
})

const waitlistWire = (w: MatchedWaitlist) => ({
  id: w.id,
  provider_id: w.providerId,
  slot_start: isoSeconds(w.slotStart),
  slot_end: isoSeconds(w.slotEnd),
  status: w.status,
  workflow_type: w.workflowType,
})

export const requestWire = (store: SpryStore, r: WaitlistRequest, includeWaitlists: boolean) => {
  const clinic = store.clinicOf(r)
  const patient = store.patient(r.org, r.patientId)
  return {
    id: r.id,
    clinic_id: r.clinicId,
    patient_id: r.patientId,
    preferred_providers: [...r.preferredProviders],
    preferred_provider_details: r.preferredProviders.flatMap((id) => {
      const p = clinic.providers.find((x) => x.id === id)
      return p === undefined ? [] : [{ id: p.id, first_name: p.firstName, last_name: p.lastName }]
    }),
    preferred_time_slots: [...r.preferredTimeSlots],
    preferred_days: [...r.preferredDays],
    date_range_start: r.dateRangeStart,
    date_range_end: r.dateRangeEnd,
    appointment_category_id: r.categoryId,
    appointment_category: r.categoryLabel,
    appointment_type: r.appointmentType,
    appointment_duration: r.durationMinutes,
    payment_type: r.paymentType,
    priority: r.priority,
    status: r.status,
    notes: r.notes,
    patient: { id: r.patientId, first_name: patient?.firstName ?? "", last_name: patient?.lastName ?? "" },
    created_at: isoSeconds(r.createdAt),
    // [I] Consistent with created_at; the doc's example pairs 2026-05-10 with an epoch of 2025-05-10.
    created_at_epoch_ms: r.createdAt,
    updated_at: isoSeconds(r.updatedAt),
    created_by: r.createdBy,
    updated_by: r.updatedBy,
    ...(includeWaitlists
      ? { matched_invites: r.invites.map(inviteWire), matched_waitlists: r.waitlists.map(waitlistWire) }
      : {}),
  }
}

export type WireRequest = ReturnType<typeof requestWire>
