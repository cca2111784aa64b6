// Kore.ai case-management task due dates: `dueDate` is epoch milliseconds or null (koreai-case-management-update-task
// .txt, "Due date timestamp (ms)"), so only a zone-less instant or no due at all can travel.
import { DateTime, Option, Result, Schema } from "effect"
import { type Due, type DueCodec, makeDueCodec, none } from "./Due.ts"

/** `dueDate` on a Kore.ai task: epoch milliseconds, or null for no due date. */
export const Wire = Schema.NullOr(Schema.Int)
export type Wire = typeof Wire.Type

const decode = (wire: Wire): Result.Result<Due, string> => {
  if (wire === null) return Result.succeed(none)
  const at = DateTime.make(wire)
  return Option.isSome(at)
    ? Result.succeed({ _tag: "Instant", at: DateTime.toUtc(at.value) })
    : Result.fail(`${String(wire)} ms is outside the range of dates`)
}

// A zoned instant is refused rather than silently stripped: a caller who accepts losing the zone says so with
// `withoutZone` from Due.ts, and a round trip through Kore.ai then gives back exactly what was written.
const encode = (due: Due): Result.Result<Wire, string> => {
  switch (due._tag) {
    case "None":
      return Result.succeed(null)
    case "Instant":
      return due.zone === undefined
        ? Result.succeed(DateTime.toEpochMillis(due.at))
        : Result.fail(`dueDate is epoch milliseconds and cannot carry the zone "${due.zone}"`)
    case "AllDay":
      return Result.fail("dueDate is an instant, and a whole day has no single instant")
    case "Window":
      return Result.fail("dueDate is a single instant, not a date window")
  }
}

export const codec: DueCodec<typeof Wire.Encoded> = makeDueCodec({
  vendor: "Kore.ai",
  forms: ["None", "Instant"],
  wire: Wire,
  decode,
  encode,
})

/** Reads a Kore.ai task's `dueDate`. */
export const toDue = Schema.decodeUnknownEffect(codec.codec)

/** The `dueDate` value to send for a due. */
export const fromDue = Schema.encodeEffect(codec.codec)
