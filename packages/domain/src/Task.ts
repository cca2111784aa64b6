// The canonical work item: what one task, escalation or waitlist request is, whichever vendor holds it, with its links
// to vendor records. `TaskFields` is the synced subset that the three-way merge and vendor mappings work on; a kind
// differs only in its vendor's status scheme, capabilities and typed extension.
import { Schema } from "effect"
import { Assignee } from "./Assignment.ts"
import { Due } from "./Due.ts"
import { VendorExtension } from "./Extension.ts"
import { ConnectionId, LinkId, OrganizationId, TaskId, Vendor, VendorRecordId } from "./Ids.ts"
import { Note } from "./Note.ts"
import { Priority } from "./Priority.ts"
import { CanonicalStatus } from "./Status.ts"
import { limits } from "./Text.ts"

export const Title = Schema.String.pipe(
  Schema.check(Schema.isTrimmed(), Schema.isNonEmpty(), Schema.isMaxLength(limits.title)),
  Schema.brand("Title"),
)
export type Title = typeof Title.Type

export const Tag = Schema.String.pipe(
  Schema.check(Schema.isTrimmed(), Schema.isNonEmpty(), Schema.isMaxLength(limits.tag)),
)

/** A reference to something the task is about, held by a vendor (patient, claim, case, contact, customer). */
export const SubjectRef = Schema.Struct({
  id: Schema.NonEmptyString.pipe(Schema.check(Schema.isMaxLength(limits.id))),
  display: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(limits.display)))),
})

export const Subjects = Schema.Struct({
  patient: Schema.optionalKey(SubjectRef),
  encounter: Schema.optionalKey(SubjectRef),
  claim: Schema.optionalKey(SubjectRef),
  case: Schema.optionalKey(SubjectRef),
  contact: Schema.optionalKey(SubjectRef),
  customer: Schema.optionalKey(SubjectRef),
})
export type Subjects = typeof Subjects.Type

/**
 * What a work item is at its vendor: a task (Candid, Vambe, Kore.ai), an escalation on a case (CareValidate) or a
 * waitlist request (Spry). Every kind goes through the same pipeline; the vendor's manifest names the kind it holds.
 */
export const WorkItemKind = Schema.Literals(["task", "escalation", "waitlist-request"])
export type WorkItemKind = typeof WorkItemKind.Type

/** Ties a task to one vendor record; the vendor's own status name is kept since canonical categories are coarser. */
export const TaskLink = Schema.Struct({
  id: LinkId,
  connectionId: ConnectionId,
  vendor: Vendor,
  recordId: VendorRecordId,
  /** The record's parent at the vendor where writes must name it (the case of a CareValidate escalation). */
  parent: Schema.NullOr(Schema.String),
  vendorStatus: Schema.NullOr(Schema.String),
  extension: Schema.NullOr(VendorExtension),
  syncedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** The vendor deleted the record (reported, or gone from a full listing); the link is kept as a tombstone. */
  deletedAt: Schema.NullOr(Schema.DateTimeUtc),
})
export type TaskLink = typeof TaskLink.Type

/** The fields both sides edit and the merge reconciles. */
export const TaskFields = Schema.Struct({
  title: Title,
  description: Schema.NullOr(Schema.String),
  status: CanonicalStatus,
  priority: Priority,
  due: Due,
  assignees: Schema.Array(Assignee),
  tags: Schema.Array(Tag),
})
export type TaskFields = typeof TaskFields.Type

export class Task extends Schema.Class<Task>("@taskbridge/domain/Task")({
  ...TaskFields.fields,
  id: TaskId,
  organizationId: OrganizationId,
  kind: WorkItemKind,
  closedAt: Schema.NullOr(Schema.DateTimeUtc),
  subjects: Subjects,
  notes: Schema.Array(Note),
  links: Schema.Array(TaskLink),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
  /** Soft deletion: the vendor deleted its record. The task stays readable, with its history, and can be restored. */
  deletedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** Bumped on every stored change; callers send the version they edited (optimistic concurrency). */
  version: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
}) {}

export const taskFieldNames = Object.keys(TaskFields.fields) as ReadonlyArray<keyof TaskFields>
