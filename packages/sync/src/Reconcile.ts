// One pulled record against its task, as pure data: the three-way merge of the synced fields (base = the link's last
// synced state), the task's next version, the history entry's changes, the conflicts to record and what the vendor
// still needs to hear (the push-back). A record in a terminal status of a scheme that freezes there is the vendor's
// last word: its values stand and nothing is a conflict or pushed back. Pull.ts runs it for a whole page.
import type { ConnectionSummary } from "@taskbridge/db/ConnectionRepository"
import type { Capabilities } from "@taskbridge/domain/Capabilities"
import { type FieldPolicy, merge, sameValue } from "@taskbridge/domain/Merge"
import type { FieldChange, NewConflict } from "@taskbridge/domain/ports/Repositories"
import { findStatus, resolve, type StatusScheme } from "@taskbridge/domain/StatusScheme"
import type { Task, TaskFields } from "@taskbridge/domain/Task"
import type { RecordChange, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { type DateTime, Result } from "effect"
import { encodeConflict, fieldChanges, fieldsOf, mergeOptions, writableFields } from "./Fields.ts"
import { withRemote } from "./TaskUpdate.ts"

export interface ReconcileInput {
  readonly task: Task
  /** The link's merge base (null before a first sync: the task itself stands in). */
  readonly base: TaskFields | null
  readonly record: VendorRecord
  readonly connection: ConnectionSummary
  readonly capabilities: Capabilities
  readonly scheme: StatusScheme
  readonly overrides: Partial<Record<keyof TaskFields, FieldPolicy>>
  readonly now: DateTime.Utc
}

export interface Reconciled {
  readonly next: Task
  readonly changes: ReadonlyArray<FieldChange>
  readonly conflicts: ReadonlyArray<NewConflict>
  readonly pushBack: RecordChange | null
}

const pushable = ["title", "description", "priority", "due", "assignees", "tags"] as const

/** What the merged task still needs at the vendor: writable fields whose merged value differs from the vendor's. */
const pushBackOf = (
  input: ReconcileInput,
  merged: TaskFields,
  conflicted: ReadonlySet<string>,
): RecordChange | null => {
  const writable = writableFields(input.capabilities)
  const remote = input.record.snapshot.fields
  const fields = Object.fromEntries(
    pushable
      .filter((f) => writable.includes(f) && !conflicted.has(f) && !sameValue(merged[f], remote[f]))
      .map((f) => [f, merged[f]]),
  )
  let vendorStatus: string | undefined
  if (writable.includes("status") && !conflicted.has("status") && merged.status !== remote.status) {
    const moved = resolve(input.scheme, input.record.snapshot.vendorStatus, merged.status)
    if (Result.isSuccess(moved)) vendorStatus = moved.success.name
  }
  if (Object.keys(fields).length === 0 && vendorStatus === undefined) return null
  return { fields, ...(vendorStatus === undefined ? {} : { vendorStatus }) }
}

/** The vendor holds the record in a status it never leaves and refuses any change to. */
const frozenAtVendor = (scheme: StatusScheme, record: VendorRecord) =>
  scheme.freezesOnTerminal && findStatus(scheme, { name: record.snapshot.vendorStatus })?.terminal === true

export const reconcile = (input: ReconcileInput): Reconciled => {
  const { task, record, connection } = input
  const local = fieldsOf(task)
  const remote = record.snapshot.fields
  const frozen = frozenAtVendor(input.scheme, record)
  const options = {
    ...mergeOptions(input.capabilities, input.overrides),
    localUpdatedAt: task.updatedAt,
    ...(record.updatedAt === null ? {} : { remoteUpdatedAt: record.updatedAt }),
  }
  // A frozen record can never take a local edit again, so the vendor's values stand whole (not merged field by field).
  const { merged, conflicts } = frozen
    ? { merged: remote, conflicts: [] }
    : merge(input.base ?? local, local, remote, options)
  const next = withRemote(task, merged, connection.id, record, input.now)
  const restored = task.deletedAt === null ? [] : [{ field: "deleted", before: true, after: false }]
  return {
    next,
    changes: [...fieldChanges(local, merged), ...restored],
    conflicts: conflicts.map((c) => ({
      organizationId: task.organizationId,
      taskId: task.id,
      connectionId: connection.id,
      ...encodeConflict(c),
    })),
    pushBack: frozen ? null : pushBackOf(input, merged, new Set(conflicts.map((c) => c.field))),
  }
}
