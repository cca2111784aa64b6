// Validation of waitlist-request bodies (create and PATCH) against Spry's documented enums and the clinic's own
// categories and providers. The first broken rule is reported as `Invalid` (its code, and a message that starts with
// the wire field); [I] unknown fields and nulls are refused too, so a client that sends something Spry would ignore
// finds out. Values are never echoed back except enum members, category and provider ids.
import { parseIsoDate } from "../framework/Fake.ts"
import { isRecord } from "../framework/Http.ts"
import { APPOINTMENT_TYPE_LABELS, isOneOf, PAYMENT_TYPES, REQUEST_STATUSES, TIME_SLOTS, WEEKDAYS } from "./Enums.ts"
import { CODES, Invalid } from "./Errors.ts"
import type { Clinic } from "./Model.ts"
import type { RequestChange } from "./Store.ts"

const PREFERENCE_FIELDS = [
  "preferred_providers",
  "preferred_time_slots",
  "preferred_days",
  "date_range_start",
  "date_range_end",
  "appointment_category_id",
  "appointment_category",
  "appointment_type",
  "payment_type",
  "priority",
  "notes",
]
const UPDATE_FIELDS = [...PREFERENCE_FIELDS, "status"]
const CREATE_FIELDS = [...PREFERENCE_FIELDS, "clinic_id"]

const objectBody = (body: unknown, allowed: ReadonlyArray<string>): Record<string, unknown> => {
  if (!isRecord(body)) throw new Invalid(4001, "the request body must be a JSON object")
  const unknown = Object.keys(body).find((key) => !allowed.includes(key))
  if (unknown !== undefined) throw new Invalid(CODES.unknownField, `${unknown}: not a field of a waitlist request`)
  return body
}

const text = (body: Record<string, unknown>, key: string): string | undefined => {
  const value = body[key]
  if (value === undefined) return undefined
  if (typeof value !== "string") throw new Invalid(CODES.required, `${key}: must be a string`)
  return value
}

const list = <T extends string>(
  body: Record<string, unknown>,
  key: string,
  allowed: ReadonlyArray<T>,
  code: number,
) => {
  const value = body[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value)) throw new Invalid(code, `${key}: must be an array`)
  for (const item of value) {
    if (!isOneOf(allowed, item)) throw new Invalid(code, `${key}: allowed values are ${allowed.join(", ")}`)
  }
  // Spry keeps a set: a repeated value is stored once [I].
  return [...new Set(value as Array<T>)]
}

const date = (body: Record<string, unknown>, key: string): string | undefined => {
  const value = text(body, key)
  if (value !== undefined && parseIsoDate(value) === undefined) {
    throw new Invalid(CODES.date, `${key}: must be a date YYYY-MM-DD`)
  }
  return value
}

const providers = (body: Record<string, unknown>, clinic: Clinic): Array<string> | undefined => {
  const value = body.preferred_providers
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new Invalid(CODES.provider, "preferred_providers: must be an array of provider ids")
  }
  const unknown = value.find((id) => !clinic.providers.some((p) => p.id === id))
  if (unknown !== undefined)
    throw new Invalid(CODES.provider, `preferred_providers: no provider ${unknown} at this clinic`)
  return [...new Set(value as Array<string>)]
}

const priority = (body: Record<string, unknown>): number | undefined => {
  const value = body.priority
  if (value === undefined) return undefined
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 5) {
    throw new Invalid(CODES.priority, "priority: must be an integer from 1 (highest) to 5")
  }
  return value
}

/** The category fields a body sets: a category id valid for the clinic, with its label, type and duration. */
const category = (body: Record<string, unknown>, clinic: Clinic): Partial<RequestChange> => {
  const id = text(body, "appointment_category_id")
  const label = text(body, "appointment_category")
  const rawType = body.appointment_type
  if (rawType !== undefined && !(typeof rawType === "string" && Object.hasOwn(APPOINTMENT_TYPE_LABELS, rawType))) {
    throw new Invalid(CODES.appointmentType, "Invalid appointment type")
  }
  const type = rawType === undefined ? undefined : APPOINTMENT_TYPE_LABELS[rawType as string]
  const out: { -readonly [K in keyof RequestChange]: RequestChange[K] } = {}
  if (id !== undefined) {
    const found = clinic.categories.find((c) => c.id === id)
    if (found === undefined) throw new Invalid(CODES.category, "appointment_category_id: not valid for the clinic")
    // "If omitted, resolved from the category API"; the type is "derived from appointment_category_id" [D].
    out.categoryId = found.id
    out.categoryLabel = label ?? found.label
    out.appointmentType = type ?? found.type
    out.durationMinutes = found.durationMinutes
  } else {
    if (label !== undefined) out.categoryLabel = label
    if (type !== undefined) out.appointmentType = type
  }
  return out
}

/** The fields both create and PATCH take, validated against the clinic. */
const preferences = (body: Record<string, unknown>, clinic: Clinic): RequestChange => {
  const paymentType = body.payment_type
  if (paymentType !== undefined && !isOneOf(PAYMENT_TYPES, paymentType)) {
    throw new Invalid(CODES.paymentType, `payment_type: allowed values are ${PAYMENT_TYPES.join(", ")}`)
  }
  const notes = text(body, "notes")
  const fields = {
    preferredProviders: providers(body, clinic),
    preferredTimeSlots: list(body, "preferred_time_slots", TIME_SLOTS, CODES.timeSlot),
    preferredDays: list(body, "preferred_days", WEEKDAYS, CODES.day),
    dateRangeStart: date(body, "date_range_start"),
    dateRangeEnd: date(body, "date_range_end"),
    ...category(body, clinic),
    paymentType,
    priority: priority(body),
    // [I] An empty note is no note: it reads back as null.
    notes: notes === undefined ? undefined : notes.trim() === "" ? null : notes,
  }
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as RequestChange
}

/** The window a body leaves the request with must run forwards and not have ended yet (clinic time) [I]. */
export const checkWindow = (start: string, end: string, today: string): void => {
  if (start > end) throw new Invalid(CODES.dateOrder, "date_range_end: must not be before date_range_start")
  if (end < today)
    throw new Invalid(CODES.pastDate, "date_range_end: must not be before today in the clinic's timezone")
}

/** `PATCH /apis/v1/waitlist-requests/{id}`: every field optional; `status` one of the four [D]. */
export const parseUpdate = (body: unknown, clinic: Clinic): RequestChange => {
  const object = objectBody(body, UPDATE_FIELDS)
  const status = object.status
  if (status !== undefined && !isOneOf(REQUEST_STATUSES, status)) {
    throw new Invalid(CODES.status, `status: allowed values are ${REQUEST_STATUSES.join(", ")}`)
  }
  const fields = preferences(object, clinic)
  return status === undefined ? fields : { ...fields, status }
}

/** The clinic a create body names, read first: every other field is checked against it. */
export const clinicOfCreate = (body: unknown): string => {
  const object = objectBody(body, CREATE_FIELDS)
  const clinicId = object.clinic_id
  if (typeof clinicId !== "string" || clinicId === "") throw new Invalid(CODES.required, "clinic_id: is required")
  return clinicId
}

/** `POST /apis/v1/waitlist-requests`: clinic, both dates, category and payment type are required [D]. */
export const parseCreate = (body: unknown, clinic: Clinic) => {
  const object = objectBody(body, CREATE_FIELDS)
  for (const key of ["date_range_start", "date_range_end", "appointment_category_id", "payment_type"]) {
    if (object[key] === undefined) throw new Invalid(CODES.required, `${key}: is required`)
  }
  const fields = preferences(object, clinic)
  return {
    preferredProviders: fields.preferredProviders ?? [],
    preferredTimeSlots: fields.preferredTimeSlots ?? [],
    preferredDays: fields.preferredDays ?? [],
    dateRangeStart: fields.dateRangeStart ?? "",
    dateRangeEnd: fields.dateRangeEnd ?? "",
    categoryId: fields.categoryId ?? "",
    categoryLabel: fields.categoryLabel ?? null,
    appointmentType: fields.appointmentType ?? "FOLLOW_UP",
    durationMinutes: fields.durationMinutes ?? 45,
    paymentType: fields.paymentType ?? "INSURANCE_PAY",
    // "Defaults to 3" [D].
    priority: fields.priority ?? 3,
    notes: fields.notes ?? null,
  }
}
