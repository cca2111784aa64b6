// A change a caller asks for: every optional field is absent (leave it), null (clear it) or a value (set it).
// `applyPatch` computes the resulting synced fields; validation against vendors lives in PatchValidation.ts.
import { Schema } from "effect"
import { Assignee } from "./Assignment.ts"
import { Due, InputDue } from "./Due.ts"
import { ExtensionPatch } from "./Extension.ts"
import { ConnectionId } from "./Ids.ts"
import { Priority } from "./Priority.ts"
import { CanonicalStatus } from "./Status.ts"
import type { TaskFields, Title } from "./Task.ts"
import { List, limits, Text } from "./Text.ts"

/** Address a vendor's own status on one linked connection: by name, or (Vambe) by position — never both. */
export const VendorStatusChange = Schema.Struct({
  connectionId: ConnectionId,
  name: Schema.optionalKey(Text(limits.name)),
  position: Schema.optionalKey(Schema.Int),
})
export type VendorStatusChange = typeof VendorStatusChange.Type

/** Every string and list in a patch is bounded (Text.ts `limits`); `applyPatch` and validation see only those. */
export const TaskPatch = Schema.Struct({
  // Bounded but not yet trimmed or non-empty, so an empty title reaches validation and gets its named rule.
  title: Schema.optionalKey(Text(limits.title)),
  description: Schema.optionalKey(Schema.NullOr(Text(limits.description))),
  status: Schema.optionalKey(CanonicalStatus),
  vendorStatus: Schema.optionalKey(VendorStatusChange),
  /** null clears, which is the canonical `none`. */
  priority: Schema.optionalKey(Schema.NullOr(Priority)),
  due: Schema.optionalKey(Schema.NullOr(InputDue)),
  assignees: Schema.optionalKey(Schema.NullOr(List(Assignee))),
  tags: Schema.optionalKey(Schema.NullOr(List(Text(limits.tag)))),
  /** Notes are append-only: a patch adds one. */
  note: Schema.optionalKey(Text(limits.note)),
  extension: Schema.optionalKey(ExtensionPatch),
})
export type TaskPatch = typeof TaskPatch.Type

const none = Due.cases.None.make({})

/** The synced fields after the patch, before any status resolution (status is settled by validation). */
export const applyPatch = (fields: TaskFields, patch: TaskPatch, title: Title | undefined): TaskFields => ({
  title: title ?? fields.title,
  description: patch.description === undefined ? fields.description : patch.description,
  status: patch.status ?? fields.status,
  priority: patch.priority === undefined ? fields.priority : (patch.priority ?? "none"),
  due: patch.due === undefined ? fields.due : (patch.due ?? none),
  assignees: patch.assignees === undefined ? fields.assignees : (patch.assignees ?? []),
  tags: patch.tags === undefined ? fields.tags : (patch.tags ?? []).map((t) => t.trim()),
})
