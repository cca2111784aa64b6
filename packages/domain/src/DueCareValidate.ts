// CareValidate escalation follow-up due: `followUpDueAt` is an ISO 8601 instant or null
// (carevalidate-care360-update-escalation.txt), so only a zone-less instant or no due at all can travel.
import { Option, Result, Schema } from "effect"
import { formatIsoInstant, IsoInstantString, makeInstantOrNullCodec, parseIsoInstant } from "./Due.ts"

/** `followUpDueAt`, e.g. "2025-06-15T09:00:00.000Z"; any offset is read, and we always write UTC with milliseconds. */
export const Wire = Schema.NullOr(IsoInstantString)
export type Wire = typeof Wire.Type

export const codec = makeInstantOrNullCodec({
  vendor: "CareValidate",
  field: "followUpDueAt",
  holds: "a UTC instant",
  wire: IsoInstantString,
  read: (wire) =>
    Option.match(parseIsoInstant(wire), {
      onNone: () => Result.fail(`followUpDueAt ${wire} is not a valid instant`),
      onSome: Result.succeed,
    }),
  write: formatIsoInstant,
})

/** Reads an escalation's `followUpDueAt`. */
export const toDue = Schema.decodeUnknownEffect(codec.codec)

/** The `followUpDueAt` value to send for a due. */
export const fromDue = Schema.encodeEffect(codec.codec)
