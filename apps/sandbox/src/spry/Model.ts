// Spry (SpryPT) data held in memory: organisations with their OAuth clients, clinics (each in its own time zone, with
// providers and appointment categories) and patients, and the waitlist requests with the invites and provider
// waitlists the emulator's matching attaches to them (vendor-docs §4.4). Timestamps are epoch ms here, ISO on the wire.
// Plain objects, not framework Tables: a request carries variable-length lists and free text, an emulator holds
// hundreds to a few thousand of them, and the adapter, sync and API tests read these objects through `state()`.
import type { OAuthClient } from "../framework/OAuthTokens.ts"
import type { OrganizationBase } from "../framework/Organizations.ts"
import type { AppointmentType } from "./Enums.ts"

export interface Provider {
  readonly id: string
  readonly firstName: string
  readonly lastName: string
}

export interface Category {
  /** Numeric text, as the docs print it ("2058"). */
  readonly id: string
  readonly label: string
  readonly type: AppointmentType
  readonly durationMinutes: number
}

export interface Clinic {
  /** Numeric text on waitlist requests ("44"); a number in token claims and webhooks [I: the docs show both]. */
  readonly id: string
  readonly name: string
  /** IANA zone: a request's dates are "interpreted in the clinic's timezone" [D]. */
  readonly timeZone: string
  readonly providers: ReadonlyArray<Provider>
  readonly categories: ReadonlyArray<Category>
}

export interface Patient {
  readonly id: string
  readonly firstName: string
  readonly lastName: string
}

/** Who a token acts for: staff see the clinics of `clinicIds`; a USER (patient) sees only their own requests [D]. */
export interface Client extends OAuthClient {
  readonly userId: number
  readonly name: string
  readonly roles: ReadonlyArray<string>
  readonly clinicIds: ReadonlyArray<string>
  /** Set for USER-role clients: the patient the JWT names. */
  readonly patientId: string | null
}

export interface Organization extends OrganizationBase {
  /** The numeric `organisation_id` of tokens and webhooks; `organizationId` is its text. */
  readonly numericId: number
  readonly clients: ReadonlyArray<Client>
  readonly clinics: ReadonlyArray<Clinic>
  readonly patients: ReadonlyArray<Patient>
}

export interface Invite {
  readonly id: string
  readonly waitlistId: string
  /** PENDING, SENT, READ [D]; ACCEPTED, DECLINED, EXPIRED, CLOSED [I]. */
  status: string
  readonly matchType: string
  readonly slotStart: number
  readonly slotEnd: number
  sentAt: number | null
}

/** A provider's open slot the request matched (`matched_waitlists[]`). */
export interface MatchedWaitlist {
  readonly id: string
  readonly providerId: string
  readonly slotStart: number
  readonly slotEnd: number
  /** ACTIVE while the slot is offered; BOOKED once taken; CLOSED once withdrawn [I]. */
  status: string
  readonly workflowType: string
}

export interface WaitlistRequest {
  /** Position in creation order: the tie-breaker of every sort. */
  readonly seq: number
  readonly id: string
  readonly org: number
  readonly clinicId: string
  readonly patientId: string
  preferredProviders: ReadonlyArray<string>
  preferredTimeSlots: ReadonlyArray<string>
  preferredDays: ReadonlyArray<string>
  /** YYYY-MM-DD in the clinic's zone. */
  dateRangeStart: string
  dateRangeEnd: string
  categoryId: string
  categoryLabel: string | null
  /** An AppointmentType, or a later one set through the `future-value` control route. */
  appointmentType: string
  durationMinutes: number
  paymentType: string
  priority: number
  /** A RequestStatus, or a later one set through the `future-value` control route. */
  status: string
  notes: string | null
  readonly createdAt: number
  updatedAt: number
  readonly createdBy: string | null
  /** Null when Spry itself made the change (matching, expiry) [I]. */
  updatedBy: string | null
  readonly invites: Array<Invite>
  readonly waitlists: Array<MatchedWaitlist>
}

/** Namespaces for deterministic ids (framework/Ids.ts `uuidOf`). */
export const NS = {
  org: 0x5901,
  client: 0x5902,
  request: 0x5903,
  invite: 0x5904,
  waitlist: 0x5905,
  event: 0x5906,
  delivery: 0x5907,
  created: 0x5908,
  matching: 0x5909,
} as const
