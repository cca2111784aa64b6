// Spry (SpryPT) waitlist-request wire schemas: the request object, the `{code, message, data}` envelope every
// endpoint answers with, create/update bodies and the OAuth token response.
// Enums live in ./internal/enums.ts (closed for writes, open for reads).

import { PlainDate as IsoDate } from "@taskbridge/domain/Due"
import { IsoDateTime } from "@taskbridge/domain/Wire"
import { Schema } from "effect"
import {
  OpenAppointmentType,
  OpenInviteStatus,
  OpenPaymentType,
  OpenTimeSlot,
  OpenWaitlistStatus,
  OpenWeekday,
  PaymentType,
  TimeSlot,
  WaitlistStatus,
  Weekday,
  WriteAppointmentType,
} from "./internal/enums.ts"

// ---------------------------------------------------------------------------------------------------------------
// Envelope: HTTP status and in-body code both matter; 2000 is success, anything above 2000 is an error
// (e.g. 4090 "waitlist request is closed", 4000 "active invites exist for this request").
// https://api-docs.spryhealth.care/api/overview/

export const SuccessEnvelope = <S extends Schema.Top>(data: S) =>
  Schema.Struct({ code: Schema.Literal(2000), message: Schema.String, data })

/** An error answer. The update doc sends `data: null`; README and the overview page omit `data`. */
export const ErrorEnvelope = Schema.Struct({
  code: Schema.Int.check(Schema.isGreaterThan(2000)),
  message: Schema.String,
  data: Schema.optionalKey(Schema.Null),
})
export type ErrorEnvelope = typeof ErrorEnvelope.Type

export const Envelope = <S extends Schema.Top>(data: S) => Schema.Union([SuccessEnvelope(data), ErrorEnvelope])

/** Narrows a decoded envelope to its success variant; `code` alone cannot, as an error's code is any number. */
export const isSuccess = <E extends { readonly code: number }>(
  envelope: E,
): envelope is Extract<E, { readonly code: 2000 }> => envelope.code === 2000

// ---------------------------------------------------------------------------------------------------------------
// Waitlist request, as returned by get, list, create and update ("The response shape matches Get").
// https://api-docs.spryhealth.care/api/waitlist/get/

const Person = Schema.Struct({ id: Schema.String, first_name: Schema.String, last_name: Schema.String })

/** An invite offered to the patient for a matched slot; PENDING/SENT/READ invites block delete and date narrowing. */
export const MatchedInvite = Schema.Struct({
  invite_id: Schema.String,
  waitlist_id: Schema.String,
  status: OpenInviteStatus,
  match_type: Schema.String,
  slot_start: IsoDateTime,
  slot_end: IsoDateTime,
  // Not sent yet while PENDING.
  sent_at: Schema.optionalKey(Schema.NullOr(IsoDateTime)),
})
export type MatchedInvite = typeof MatchedInvite.Type

/** A provider's waitlist the request matched; its remaining fields are truncated in the docs and dropped. */
export const MatchedWaitlist = Schema.Struct({
  id: Schema.String,
  provider_id: Schema.String,
  slot_start: IsoDateTime,
  slot_end: IsoDateTime,
  status: Schema.String,
  workflow_type: Schema.String,
})
export type MatchedWaitlist = typeof MatchedWaitlist.Type

export const WaitlistRequest = Schema.Struct({
  id: Schema.String,
  clinic_id: Schema.String,
  patient_id: Schema.String,
  preferred_providers: Schema.Array(Schema.String),
  preferred_provider_details: Schema.optionalKey(Schema.Array(Person)),
  preferred_time_slots: Schema.Array(OpenTimeSlot),
  preferred_days: Schema.Array(OpenWeekday),
  /** Dates in the clinic's time zone: the request's "due window". */
  date_range_start: IsoDate,
  date_range_end: IsoDate,
  appointment_category_id: Schema.String,
  appointment_category: Schema.optionalKey(Schema.NullOr(Schema.String)),
  appointment_type: OpenAppointmentType,
  appointment_duration: Schema.Int,
  payment_type: OpenPaymentType,
  /** 1–5 with 1 the most urgent. */
  priority: Schema.Int,
  status: OpenWaitlistStatus,
  // Optional on create, so a request may have none.
  notes: Schema.NullOr(Schema.String),
  patient: Person,
  created_at: IsoDateTime,
  created_at_epoch_ms: Schema.Number,
  updated_at: IsoDateTime,
  // Null when the system, not a user, made the change (e.g. expiry).
  created_by: Schema.NullOr(Schema.String),
  updated_by: Schema.NullOr(Schema.String),
  // Only on get (with `include_waitlists`).
  matched_invites: Schema.optionalKey(Schema.Array(MatchedInvite)),
  matched_waitlists: Schema.optionalKey(Schema.Array(MatchedWaitlist)),
})
export type WaitlistRequest = typeof WaitlistRequest.Type

export const WaitlistRequestResponse = Envelope(WaitlistRequest)
export type WaitlistRequestResponse = typeof WaitlistRequestResponse.Type
export const WaitlistRequestListResponse = Envelope(Schema.Array(WaitlistRequest))
/** The list with its items still raw: the client reads them one by one, so one broken request is quarantined alone. */
export const RawWaitlistRequestListResponse = Envelope(Schema.Array(Schema.Unknown))
export type WaitlistRequestListResponse = typeof WaitlistRequestListResponse.Type

// ---------------------------------------------------------------------------------------------------------------
// Request bodies. Arrays and notes replace the stored value; they are never merged.

/** 1 (highest) to 5; create defaults to 3. */
const Priority = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 5 }))

// [I] Not stated by Spry, but a window that ends before it starts can never match a slot.
const orderedDateRange = Schema.makeFilter(
  (body: { readonly date_range_start?: string; readonly date_range_end?: string }) =>
    body.date_range_start !== undefined &&
    body.date_range_end !== undefined &&
    body.date_range_start > body.date_range_end
      ? { path: ["date_range_end"], issue: "date_range_end must not be before date_range_start" }
      : undefined,
)

const preferenceFields = {
  preferred_providers: Schema.optionalKey(Schema.Array(Schema.String)),
  preferred_time_slots: Schema.optionalKey(Schema.Array(TimeSlot)),
  preferred_days: Schema.optionalKey(Schema.Array(Weekday)),
  appointment_category: Schema.optionalKey(Schema.String),
  appointment_type: Schema.optionalKey(WriteAppointmentType),
  priority: Schema.optionalKey(Priority),
  notes: Schema.optionalKey(Schema.String),
}

// https://api-docs.spryhealth.care/api/waitlist/update/
/** `PATCH /apis/v1/waitlist-requests/{id}`. Terminal requests refuse every update (409 / 4090). */
export const UpdateWaitlistRequestBody = Schema.Struct({
  ...preferenceFields,
  date_range_start: Schema.optionalKey(IsoDate),
  date_range_end: Schema.optionalKey(IsoDate),
  appointment_category_id: Schema.optionalKey(Schema.String),
  payment_type: Schema.optionalKey(PaymentType),
  status: Schema.optionalKey(WaitlistStatus),
}).check(orderedDateRange)
export type UpdateWaitlistRequestBody = typeof UpdateWaitlistRequestBody.Type

// https://api-docs.spryhealth.care/api/waitlist/create/
/** `POST /apis/v1/waitlist-requests?patient_id=…`; staff tokens must pass the patient in the query. */
export const CreateWaitlistRequestBody = Schema.Struct({
  ...preferenceFields,
  clinic_id: Schema.String,
  date_range_start: IsoDate,
  date_range_end: IsoDate,
  appointment_category_id: Schema.String,
  payment_type: PaymentType,
}).check(orderedDateRange)
export type CreateWaitlistRequestBody = typeof CreateWaitlistRequestBody.Type

// ---------------------------------------------------------------------------------------------------------------
// OAuth 2.0 client credentials: `POST /apis/v2/oauth/token`, form-encoded; the token lasts an hour.
// https://api-docs.spryhealth.care/getting-started/authentication/

// The auth page shows numeric ids (organisation_id 74, clinic_id_list [44, 58]); accept strings too.
const NumericId = Schema.Union([Schema.Int, Schema.String])

export const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.String,
  expires_in: Schema.Int,
  // Spry's extras describe the user behind the token; a machine client may lack some, so none is required.
  scope: Schema.optionalKey(Schema.String),
  organisation_id: Schema.optionalKey(NumericId),
  user_id: Schema.optionalKey(NumericId),
  roles: Schema.optionalKey(Schema.Array(Schema.String)),
  clinic_id_list: Schema.optionalKey(Schema.Array(NumericId)),
  name: Schema.optionalKey(Schema.String),
})
export type TokenResponse = typeof TokenResponse.Type
