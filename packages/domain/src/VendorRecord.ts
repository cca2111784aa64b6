// What an adapter hands the sync engine: a vendor record already mapped to canonical fields, with the vendor's
// own version marker, and the requests the engine sends back (create drafts and field changes).
import { Schema } from "effect"
import { Assignee } from "./Assignment.ts"
import { Due } from "./Due.ts"
import { EscalationState, EscalationType } from "./Escalation.ts"
import { ExtensionPatch, VendorExtension } from "./Extension.ts"
import { VendorRecordId } from "./Ids.ts"
import { Note } from "./Note.ts"
import { Subjects, TaskFields } from "./Task.ts"

/** A vendor value we do not know (a new enum member): kept verbatim and flagged, never guessed at or crashed on. */
export const UnknownValue = Schema.Struct({ field: Schema.String, value: Schema.String, fallback: Schema.String })
export type UnknownValue = typeof UnknownValue.Type

export const TaskSnapshot = Schema.Struct({
  fields: TaskFields,
  vendorStatus: Schema.String,
  subjects: Subjects,
  notes: Schema.Array(Note),
  extension: Schema.NullOr(VendorExtension),
})
export type TaskSnapshot = typeof TaskSnapshot.Type

export const EscalationSnapshot = Schema.Struct({
  caseRef: Schema.NonEmptyString,
  type: EscalationType,
  title: Schema.NonEmptyString,
  note: Schema.NullOr(Schema.String),
  followUpDue: Due,
  assignee: Schema.NullOr(Assignee),
  state: EscalationState,
})
export type EscalationSnapshot = typeof EscalationSnapshot.Type

const recordFields = {
  id: VendorRecordId,
  /** The vendor's change marker (Candid `agg_updated_at`) or, where it has none (Vambe), our content hash. */
  version: Schema.String,
  updatedAt: Schema.NullOr(Schema.DateTimeUtc),
  unknownValues: Schema.Array(UnknownValue),
}

export const VendorRecord = Schema.TaggedUnion({
  Task: { ...recordFields, snapshot: TaskSnapshot },
  Escalation: { ...recordFields, snapshot: EscalationSnapshot },
})
export type VendorRecord = typeof VendorRecord.Type

/** A create request. `key` is ours and lets the adapter find a create that may already have reached the vendor. */
export const RecordDraft = Schema.TaggedUnion({
  Task: { key: Schema.NonEmptyString, snapshot: TaskSnapshot },
  Escalation: { key: Schema.NonEmptyString, snapshot: EscalationSnapshot },
})
export type RecordDraft = typeof RecordDraft.Type

/** An update request: only the fields that changed, with the vendor status already resolved through the scheme. */
export const RecordChange = Schema.Struct({
  fields: Schema.Struct({
    title: Schema.optionalKey(TaskFields.fields.title),
    description: Schema.optionalKey(TaskFields.fields.description),
    priority: Schema.optionalKey(TaskFields.fields.priority),
    due: Schema.optionalKey(Due),
    assignees: Schema.optionalKey(Schema.Array(Assignee)),
    tags: Schema.optionalKey(TaskFields.fields.tags),
  }),
  vendorStatus: Schema.optionalKey(Schema.String),
  note: Schema.optionalKey(Schema.String),
  extension: Schema.optionalKey(ExtensionPatch),
  /** An escalation's writable fields (CareValidate): the note is replaced, not appended; null clears. */
  escalation: Schema.optionalKey(
    Schema.Struct({
      note: Schema.optionalKey(Schema.NullOr(Schema.String)),
      followUpDue: Schema.optionalKey(Due),
      assignee: Schema.optionalKey(Schema.NullOr(Assignee)),
    }),
  ),
})
export type RecordChange = typeof RecordChange.Type
