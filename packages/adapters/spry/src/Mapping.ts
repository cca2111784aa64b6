// Spry waitlist request ⇄ domain, as small named functions: wire request → VendorRecord of kind `waitlist-request`
// (title derived from the category and appointment type, notes as the description, priority 1–5 inverted onto the
// canonical scale, the date window as the due in the clinic's zone, preferences, category, payment type and clinic in
// the `spry` extension, the patient as a subject, the clinic as the record's parent) and domain changes → the PATCH
// and create bodies Spry accepts, or a refusal naming the field before any HTTP call. Arrays and notes are sent whole
// (Spry replaces them). Unknown enum values are kept with an explicit, flagged fallback, never guessed at.

import { known } from "@taskbridge/adapter-kit/Enums"
import { type Due, type IanaZone, none as noDue } from "@taskbridge/domain/Due"
import { codec as dueCodec } from "@taskbridge/domain/DueSpry"
import type { SyncError } from "@taskbridge/domain/Errors"
import type {
  SpryAppointmentType as AppointmentTypeSchema,
  SpryDay as DaySchema,
  SpryPaymentType as PaymentTypeSchema,
  SpryTimeSlot as TimeSlotSchema,
} from "@taskbridge/domain/Extension"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import { type Priority, spry as spryPriority } from "@taskbridge/domain/Priority"
import type { CanonicalStatus } from "@taskbridge/domain/Status"
import { categoryOf, type StatusScheme } from "@taskbridge/domain/StatusScheme"
import { Title } from "@taskbridge/domain/Task"
import { type RecordChange, type RecordDraft, type UnknownValue, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Result, Schema } from "effect"
import {
  appointmentTypes,
  isKnownWaitlistStatus,
  knownMembers,
  paymentTypes,
  timeSlots,
  weekdays,
} from "./internal/enums.ts"
import { errors } from "./internal/errors.ts"
import { preferences, statusRule, toWindow, unsupported } from "./internal/writes.ts"
import type { CreateWaitlistRequestBody, UpdateWaitlistRequestBody, WaitlistRequest } from "./Schema.ts"

type SpryAppointmentType = typeof AppointmentTypeSchema.Type
type SpryPaymentType = typeof PaymentTypeSchema.Type
type SpryDay = typeof DaySchema.Type
type SpryTimeSlot = typeof TimeSlotSchema.Type

/** The zone a clinic's dates are in, and a flag when the connection does not know it. */
export type ZoneOf = (clinicId: string) => { readonly zone: IanaZone; readonly unknown: ReadonlyArray<UnknownValue> }

/** An unknown status is read as `open`, the one state from which every canonical move is still possible. */
export const unknownStatusFallback: CanonicalStatus = "open"
/** An unknown appointment type or payment type is read as the more common one and flagged. */
export const unknownTypeFallback: SpryAppointmentType = "FOLLOW_UP"
export const unknownPaymentFallback: SpryPaymentType = "INSURANCE_PAY"
/** A priority outside 1–5 is read as Spry's default, 3 (`normal`), and flagged. */
export const unknownPriorityFallback: Priority = "normal"

const decodePriority = Schema.decodeUnknownResult(spryPriority.codec)
const encodePriority = Schema.encodeResult(spryPriority.codec)
const refusal = errors.refusal

const TYPE_LABEL: Readonly<Record<SpryAppointmentType, string>> = {
  INITIAL_EVAL: "Initial Evaluation",
  FOLLOW_UP: "Follow Up",
}

/** Spry's requests have no title: "Waitlist: Post-op Knee Evaluation (Initial Evaluation)" says what it is for. */
export const toTitle = (category: string | null | undefined, type: SpryAppointmentType): Title => {
  const label = category?.trim() ?? ""
  return Title.make(
    (label === "" ? `Waitlist: ${TYPE_LABEL[type]}` : `Waitlist: ${label} (${TYPE_LABEL[type]})`).slice(0, 500),
  )
}

export const toStatus = (scheme: StatusScheme, status: string) => {
  const category = isKnownWaitlistStatus(status) ? categoryOf(scheme, status) : undefined
  return category === undefined
    ? { value: unknownStatusFallback, unknown: [{ field: "status", value: status, fallback: unknownStatusFallback }] }
    : { value: category, unknown: [] }
}

export const toPriority = (wire: number) => {
  const decoded = decodePriority(wire)
  return Result.isSuccess(decoded)
    ? { value: decoded.success, unknown: [] }
    : {
        value: unknownPriorityFallback,
        unknown: [{ field: "priority", value: String(wire), fallback: unknownPriorityFallback }],
      }
}

export const toDue = (zone: IanaZone, start: string, end: string): { value: Due; unknown: Array<UnknownValue> } => {
  const decoded = Schema.decodeUnknownResult(dueCodec(zone).codec)({ date_range_start: start, date_range_end: end })
  return Result.isSuccess(decoded)
    ? { value: decoded.success, unknown: [] }
    : { value: noDue, unknown: [{ field: "date_range", value: `${start}..${end}`, fallback: "no due" }] }
}

/** The whole wire request as the domain sees it; its clinic is the record's parent (its zone is the dates' zone). */
export const toRecord = (scheme: StatusScheme, zoneOf: ZoneOf, r: WaitlistRequest): VendorRecord => {
  const zone = zoneOf(r.clinic_id)
  const status = toStatus(scheme, r.status)
  const priority = toPriority(r.priority)
  const due = toDue(zone.zone, r.date_range_start, r.date_range_end)
  const type = known("appointment_type", r.appointment_type, appointmentTypes, unknownTypeFallback)
  const payment = known("payment_type", r.payment_type, paymentTypes, unknownPaymentFallback)
  const days = knownMembers<SpryDay>("preferred_days", r.preferred_days, weekdays)
  const slots = knownMembers<SpryTimeSlot>("preferred_time_slots", r.preferred_time_slots, timeSlots)
  const notes = r.notes === null || r.notes.trim() === "" ? null : r.notes
  const patient = `${r.patient.first_name} ${r.patient.last_name}`.trim()
  return VendorRecord.make({
    id: VendorRecordId.make(r.id),
    version: r.updated_at,
    updatedAt: DateTime.makeUnsafe(r.updated_at),
    parent: r.clinic_id,
    unknownValues: [
      ...zone.unknown,
      ...status.unknown,
      ...priority.unknown,
      ...due.unknown,
      ...type.unknown,
      ...payment.unknown,
      ...days.unknown,
      ...slots.unknown,
    ],
    snapshot: {
      fields: {
        title: toTitle(r.appointment_category, type.value),
        description: notes,
        status: status.value,
        priority: priority.value,
        due: due.value,
        assignees: [],
        tags: [],
      },
      vendorStatus: r.status,
      subjects: { patient: patient === "" ? { id: r.patient_id } : { id: r.patient_id, display: patient } },
      notes: [],
      extension: {
        _tag: "spry",
        clinicId: r.clinic_id,
        preferredProviders: [...r.preferred_providers],
        preferredDays: days.value,
        preferredTimeSlots: slots.value,
        appointmentCategoryId: r.appointment_category_id,
        appointmentCategory: r.appointment_category ?? null,
        appointmentType: type.value,
        paymentType: payment.value,
        appointmentDuration: r.appointment_duration,
      },
    },
  })
}

type Outcome<A> = Result.Result<A, SyncError>
type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * The PATCH body for a change, or a refusal before any HTTP call: the notes (description), priority, date window,
 * ACTIVE → CANCELLED and the extension's preferences, category and payment type are writable; nothing else is.
 */
export const fromChange = (zone: IanaZone, change: RecordChange): Outcome<UpdateWaitlistRequestBody> => {
  const { fields } = change
  for (const field of ["title", "tags"] as const) {
    if (fields[field] !== undefined)
      return Result.fail(refusal("update", field, `a waitlist request's ${field} ${unsupported[field]}`))
  }
  if (fields.assignees !== undefined) return Result.fail(refusal("update", "assignees", "Spry has no assignees"))
  if (change.note !== undefined) {
    return Result.fail(refusal("update", "notes", "a waitlist request has one note, its description (replaced whole)"))
  }
  const body: Mutable<UpdateWaitlistRequestBody> = {}
  // An empty note clears it; Spry reads it back as null.
  if (fields.description !== undefined) body.notes = fields.description ?? ""
  if (fields.priority !== undefined) {
    const wire = encodePriority(fields.priority)
    if (Result.isFailure(wire)) return Result.fail(refusal("update", "priority", "Spry holds priorities 1 to 5"))
    body.priority = wire.success
  }
  if (fields.due !== undefined) {
    const window = toWindow("update", zone, fields.due)
    if (Result.isFailure(window)) return Result.fail(window.failure)
    body.date_range_start = window.success.start
    body.date_range_end = window.success.end
  }
  if (change.vendorStatus !== undefined) {
    const rule = statusRule(change.vendorStatus)
    if (rule !== undefined) return Result.fail(refusal("update", "status", rule))
    body.status = "CANCELLED"
  }
  if (change.extension !== undefined) {
    if (change.extension._tag !== "spry") {
      return Result.fail(refusal("update", "extension", `${change.extension._tag} fields sent to Spry`))
    }
    Object.assign(body, preferences(change.extension))
  }
  if (Object.keys(body).length === 0) return Result.fail(refusal("update", null, "nothing to change"))
  return Result.succeed(body as UpdateWaitlistRequestBody)
}

/** The create body and the patient (sent in the query, as staff must) for a draft; a new request is always ACTIVE. */
export const fromDraft = (
  zoneOf: ZoneOf,
  draft: RecordDraft,
): Outcome<{ patientId: string; body: CreateWaitlistRequestBody }> => {
  const { snapshot } = draft
  const ext = snapshot.extension
  if (ext === null || ext._tag !== "spry") {
    return Result.fail(
      refusal("create", "extension", "a Spry waitlist request needs its clinic, category and payment type"),
    )
  }
  const patientId = snapshot.subjects.patient?.id
  if (patientId === undefined) {
    return Result.fail(refusal("create", "subjects.patient", "a waitlist request is for one patient: name them"))
  }
  const { fields } = snapshot
  if (fields.status !== "open") return Result.fail(refusal("create", "status", "a new waitlist request is ACTIVE"))
  if (fields.assignees.length > 0) return Result.fail(refusal("create", "assignees", "Spry has no assignees"))
  if (fields.tags.length > 0) return Result.fail(refusal("create", "tags", "Spry has no tags"))
  const window = toWindow("create", zoneOf(ext.clinicId).zone, fields.due)
  if (Result.isFailure(window)) return Result.fail(window.failure)
  const priority = encodePriority(fields.priority)
  if (Result.isFailure(priority)) return Result.fail(refusal("create", "priority", "Spry holds priorities 1 to 5"))
  return Result.succeed({
    patientId,
    body: {
      clinic_id: ext.clinicId,
      date_range_start: window.success.start,
      date_range_end: window.success.end,
      appointment_category_id: ext.appointmentCategoryId,
      appointment_type: ext.appointmentType,
      payment_type: ext.paymentType,
      priority: priority.success,
      preferred_providers: [...ext.preferredProviders],
      preferred_days: [...ext.preferredDays],
      preferred_time_slots: [...ext.preferredTimeSlots],
      ...(ext.appointmentCategory === null ? {} : { appointment_category: ext.appointmentCategory }),
      ...(fields.description === null ? {} : { notes: fields.description }),
    },
  })
}

/** Whether a listed request is the one a create body asked for (findCreated: Spry has no idempotency key). */
export const isCreatedFrom = (body: CreateWaitlistRequestBody, r: WaitlistRequest): boolean =>
  r.status === "ACTIVE" &&
  r.clinic_id === body.clinic_id &&
  r.appointment_category_id === body.appointment_category_id &&
  r.date_range_start === body.date_range_start &&
  r.date_range_end === body.date_range_end &&
  r.payment_type === body.payment_type &&
  r.priority === body.priority &&
  (r.notes ?? "") === (body.notes ?? "")
