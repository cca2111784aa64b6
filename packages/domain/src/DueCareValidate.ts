// CareValidate escalation follow-up due: `followUpDueAt` is an ISO 8601 instant or null
// (carevalidate-care360-update-escalation.txt), so only a zone-less instant or no due at all can travel.
import { Option, Result, Schema } from "effect"
import {
  type Due,
  type DueCodec,
  formatIsoInstant,
  IsoInstantString,
  makeDueCodec,
  none,
  parseIsoInstant,
} from "./Due.ts"

/** `followUpDueAt`, e.g. "2025-06-15T09:00:00.000Z"; any offset is read, and we always write UTC with milliseconds. */
export const Wire = Schema.NullOr(IsoInstantString)
export type Wire = typeof Wire.Type

const decode = (wire: Wire): Result.Result<Due, string> => {
  if (wire === null) return Result.succeed(none)
  const at = parseIsoInstant(wire)
  return Option.isSome(at)
    ? Result.succeed({ _tag: "Instant", at: at.value })
    : Result.fail(`followUpDueAt ${wire} is not a valid instant`)
}

// As for Kore.ai, a zoned instant is refused rather than stripped; see `withoutZone` in Due.ts.
const encode = (due: Due): Result.Result<Wire, string> => {
  switch (due._tag) {
    case "None":
      return Result.succeed(null)
    case "Instant":
      return due.zone === undefined
        ? formatIsoInstant(due.at)
        : Result.fail(`followUpDueAt is a UTC instant and cannot carry the zone "${due.zone}"`)
    case "AllDay":
      return Result.fail("followUpDueAt is an instant, and a whole day has no single instant")
    case "Window":
      return Result.fail("followUpDueAt is a single instant, not a date window")
  }
}

export const codec: DueCodec<typeof Wire.Encoded> = makeDueCodec({
  vendor: "CareValidate",
  forms: ["None", "Instant"],
  wire: Wire,
  decode,
  encode,
})

/** Reads an escalation's `followUpDueAt`. */
export const toDue = Schema.decodeUnknownEffect(codec.codec)

/** The `followUpDueAt` value to send for a due. */
export const fromDue = Schema.encodeEffect(codec.codec)
