// Spry's closed sets for waitlist requests and webhooks, as api-docs.spryhealth.care prints them (vendor-docs §4.4,
// §4.7). The emulator keeps its own copy (ARCHITECTURE: emulators never share code with the client under test).

export const REQUEST_STATUSES = ["ACTIVE", "FULFILLED", "CANCELLED", "EXPIRED"] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/** Any update of a request in one of these answers 409 / 4090 "waitlist request is closed" [D]. */
export const TERMINAL_STATUSES: ReadonlyArray<string> = ["FULFILLED", "CANCELLED", "EXPIRED"]

export const TIME_SLOTS = ["MORNING", "AFTERNOON", "EVENING", "ANYTIME"] as const
export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const

export const APPOINTMENT_TYPES = ["INITIAL_EVAL", "FOLLOW_UP"] as const
export type AppointmentType = (typeof APPOINTMENT_TYPES)[number]
/** Writes also take the labels [D]; responses always carry the codes. */
export const APPOINTMENT_TYPE_LABELS: Readonly<Record<string, AppointmentType>> = {
  INITIAL_EVAL: "INITIAL_EVAL",
  FOLLOW_UP: "FOLLOW_UP",
  "Initial Evaluation": "INITIAL_EVAL",
  "Follow Up": "FOLLOW_UP",
}

export const PAYMENT_TYPES = ["SELF_PAY", "INSURANCE_PAY"] as const

/**
 * Invite states: PENDING, SENT and READ are documented and count as active (they block DELETE and a narrower date
 * range); [I] ACCEPTED (the patient took the slot: the request is FULFILLED), DECLINED, EXPIRED (the slot passed) and
 * CLOSED (the request closed first) are ours, for what happens after.
 */
export const ACTIVE_INVITE_STATUSES: ReadonlyArray<string> = ["PENDING", "SENT", "READ"]

/** `sort_by` values [D: /api/waitlist/list/]. */
export const SORT_FIELDS = [
  "created_at",
  "updated_at",
  "priority",
  "date_range_start",
  "date_range_end",
  "available_slots",
] as const
export type SortField = (typeof SORT_FIELDS)[number]

/** Webhook event types [D: /api/webhooks/events/]; none is about waitlist requests. */
export const EVENT_TYPES = [
  "patient.created",
  "patient.updated",
  "appointment.created",
  "appointment.updated",
  "appointment.cancelled",
  "case.created",
  "case.updated",
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** The payload version the docs describe, pinned per subscription [D]. */
export const API_VERSION = "2026-06-11"

export const isOneOf = <T extends string>(values: ReadonlyArray<T>, value: unknown): value is T =>
  typeof value === "string" && values.some((v) => v === value)
