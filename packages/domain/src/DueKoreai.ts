// Kore.ai case-management task due dates: `dueDate` is epoch milliseconds or null (koreai-case-management-update-task
// .txt, "Due date timestamp (ms)"), so only a zone-less instant or no due at all can travel.
import { DateTime, Option, Result, Schema } from "effect"
import { makeInstantOrNullCodec } from "./Due.ts"

/** `dueDate` on a Kore.ai task: epoch milliseconds, or null for no due date. */
export const Wire = Schema.NullOr(Schema.Int)
export type Wire = typeof Wire.Type

export const codec = makeInstantOrNullCodec({
  vendor: "Kore.ai",
  field: "dueDate",
  holds: "epoch milliseconds",
  wire: Schema.Int,
  read: (wire) =>
    Option.match(DateTime.make(wire), {
      onNone: () => Result.fail(`${String(wire)} ms is outside the range of dates`),
      onSome: (at) => Result.succeed(DateTime.toUtc(at)),
    }),
  write: (at) => Result.succeed(DateTime.toEpochMillis(at)),
})

/** Reads a Kore.ai task's `dueDate`. */
export const toDue = Schema.decodeUnknownEffect(codec.codec)

/** The `dueDate` value to send for a due. */
export const fromDue = Schema.encodeEffect(codec.codec)
