// What an adapter hands the sync engine: a vendor record already mapped to canonical fields, with the vendor's
// own version marker, and the requests the engine sends back (create drafts and field changes). One shape for
// every kind of work item: what differs between a task and an escalation is its status scheme and extension.
import { Schema } from "effect"
import { Assignee } from "./Assignment.ts"
import { Due } from "./Due.ts"
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

export const VendorRecord = Schema.Struct({
  id: VendorRecordId,
  /** The vendor's change marker (Candid `agg_updated_at`) or, where it has none (Vambe), our content hash. */
  version: Schema.String,
  updatedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** The parent a write must name (CareValidate: the escalation's case); the engine keeps it on the link. */
  parent: Schema.NullOr(Schema.String),
  unknownValues: Schema.Array(UnknownValue),
  snapshot: TaskSnapshot,
})
export type VendorRecord = typeof VendorRecord.Type

/** How the engine names a record back to its adapter: its id and the parent it last reported, so no lookup is needed. */
export interface RecordRef {
  readonly id: VendorRecordId
  readonly parent: string | null
}

/** A create request. `key` is ours and lets the adapter find a create that may already have reached the vendor. */
export const RecordDraft = Schema.Struct({ key: Schema.NonEmptyString, snapshot: TaskSnapshot })
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
  /** A note to append (vendors whose notes are a list we can add to). */
  note: Schema.optionalKey(Schema.String),
  extension: Schema.optionalKey(ExtensionPatch),
})
export type RecordChange = typeof RecordChange.Type
