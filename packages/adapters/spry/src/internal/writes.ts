// The pieces of a Spry write that Mapping's `fromChange` and `fromDraft` share: the date window in the clinic's own
// zone (or the refusal that says why a due cannot be one), the extension's writable fields as wire fields (arrays sent
// whole: Spry replaces them), and which status moves Spry takes from us.
import { type Due, type IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { codec as dueCodec } from "@taskbridge/domain/DueSpry"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ExtensionPatch } from "@taskbridge/domain/Extension"
import { Result, Schema } from "effect"
import type { UpdateWaitlistRequestBody } from "../Schema.ts"
import { errors } from "./errors.ts"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The date window to send: a Window in the clinic's own zone, nothing else (a request always has one). */
export const toWindow = (
  operation: string,
  zone: IanaZone,
  due: Due,
): Result.Result<{ start: PlainDate; end: PlainDate }, SyncError> => {
  const encoded = Schema.encodeResult(dueCodec(zone).codec)(due)
  if (Result.isFailure(encoded)) {
    const rule = dueCodec(zone).limitation(due) ?? "it is not a date window"
    return Result.fail(errors.refusal(operation, "due", `Spry cannot hold this due: ${rule}`))
  }
  return Result.succeed({
    start: PlainDate.make(encoded.success.date_range_start),
    end: PlainDate.make(encoded.success.date_range_end),
  })
}

/** The extension's writable fields as wire fields; arrays are sent whole, since Spry replaces them. */
export const preferences = (ext: Extract<ExtensionPatch, { _tag: "spry" }>): UpdateWaitlistRequestBody => {
  const out: Mutable<UpdateWaitlistRequestBody> = {}
  if (ext.preferredProviders !== undefined) out.preferred_providers = [...ext.preferredProviders]
  if (ext.preferredDays !== undefined) out.preferred_days = [...ext.preferredDays]
  if (ext.preferredTimeSlots !== undefined) out.preferred_time_slots = [...ext.preferredTimeSlots]
  if (ext.appointmentCategoryId !== undefined) out.appointment_category_id = ext.appointmentCategoryId
  if (ext.appointmentType !== undefined) out.appointment_type = ext.appointmentType
  if (ext.paymentType !== undefined) out.payment_type = ext.paymentType
  return out
}

/** Why Spry would not take this status from us; undefined for CANCELLED, the one move we may write. */
export const statusRule = (status: string): string | undefined => {
  if (status === "CANCELLED") return undefined
  if (status === "FULFILLED" || status === "EXPIRED") {
    return `only Spry sets ${status} (a booked slot, an ended window); a request can only be cancelled`
  }
  if (status === "ACTIVE") return "a closed request never reopens at Spry; create a new one"
  return `'${status}' is not a status Spry takes`
}

/** Why the fields Spry does not have cannot change. */
export const unsupported = {
  title: "is derived from its category and appointment type",
  tags: "does not exist at Spry",
} as const
