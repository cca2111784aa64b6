// A note on a work item: who wrote it, when, the text, and which side it came from.
import { Schema } from "effect"
import { Origin } from "./Ids.ts"

export const Note = Schema.Struct({
  /** The vendor's note id where it has one (Candid `task_note_id`); local notes get ours. */
  id: Schema.NonEmptyString,
  author: Schema.NullOr(Schema.String),
  at: Schema.DateTimeUtc,
  text: Schema.String,
  origin: Origin,
})
export type Note = typeof Note.Type
