// Building the next version of a task from a vendor record: a new task for a record seen for the first time, or
// the merged fields plus what only the vendor knows (notes, subject references, its status name, parent and
// extension), and after a push the vendor's answer for what was sent. The same for every kind of work item.
import { randomUUID } from "node:crypto"
import type { ConnectionSummary } from "@taskbridge/db/ConnectionRepository"
import { type ConnectionId, LinkId, TaskId } from "@taskbridge/domain/Ids"
import { changedFields, sameValue } from "@taskbridge/domain/Merge"
import type { Note } from "@taskbridge/domain/Note"
import type { OutboxPayload } from "@taskbridge/domain/ports/Repositories"
import { isClosed } from "@taskbridge/domain/Status"
import { Task, type TaskFields, type TaskLink, type WorkItemKind } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import type { DateTime } from "effect"
import { fieldsOf } from "./Fields.ts"

const linkTo = (connection: ConnectionSummary, record: VendorRecord, now: DateTime.Utc): TaskLink => ({
  id: LinkId.make(randomUUID()),
  connectionId: connection.id,
  vendor: connection.vendor,
  recordId: record.id,
  parent: record.parent,
  vendorStatus: record.snapshot.vendorStatus,
  extension: record.snapshot.extension,
  syncedAt: now,
  deletedAt: null,
})

/** A record seen for the first time becomes a task of the vendor's kind, linked to it. */
export const newTaskFromRecord = (
  connection: ConnectionSummary,
  kind: WorkItemKind,
  record: VendorRecord,
  now: DateTime.Utc,
  /** When the record was read, if earlier than `now` (a page read ahead): the link's `synced_at`. */
  syncedAt?: DateTime.Utc,
): Task => {
  const { fields, subjects, notes } = record.snapshot
  // Built from an already-decoded record and our own ids: the structure is parsed, the checks are not run again.
  return Task.make(
    {
      ...fields,
      id: TaskId.make(randomUUID()),
      organizationId: connection.organizationId,
      kind,
      closedAt: isClosed(fields.status) ? (record.updatedAt ?? now) : null,
      subjects,
      notes,
      links: [linkTo(connection, record, syncedAt ?? now)],
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      version: 0,
    },
    { disableChecks: true },
  )
}

/** Vendor notes are append-only facts: keep every note we know, adding the vendor's new ones. */
const mergeNotes = (local: ReadonlyArray<Note>, remote: ReadonlyArray<Note>) => {
  const known = new Set(local.map((n) => n.id))
  return [...local, ...remote.filter((n) => !known.has(n.id))]
}

const closedAt = (task: Task, status: TaskFields["status"], now: DateTime.Utc) => {
  if (isClosed(status) && !isClosed(task.status)) return now
  if (!isClosed(status)) return null
  return task.closedAt
}

/** This connection's link to `record`, refreshed with the vendor's view of it (alive again if it was tombstoned). */
const refreshLink = (task: Task, connection: ConnectionId, record: VendorRecord, now: DateTime.Utc) =>
  task.links.map((link) =>
    link.connectionId === connection && link.recordId === record.id
      ? {
          ...link,
          parent: record.parent,
          vendorStatus: record.snapshot.vendorStatus,
          extension: record.snapshot.extension,
          syncedAt: now,
          deletedAt: null,
        }
      : link,
  )

/** The task after a pull: merged fields, the vendor's notes and references, and this connection's link refreshed. */
export const withRemote = (
  task: Task,
  merged: TaskFields,
  connection: ConnectionId,
  record: VendorRecord,
  now: DateTime.Utc,
) =>
  Task.make({
    ...task,
    ...merged,
    closedAt: closedAt(task, merged.status, now),
    subjects: { ...task.subjects, ...record.snapshot.subjects },
    notes: mergeNotes(task.notes, record.snapshot.notes),
    links: refreshLink(task, connection, record, now),
    updatedAt: now,
    // A record listed again after its deletion is alive: the task comes back with it.
    deletedAt: null,
  })

/**
 * The pull changed nothing the API shows of the task: its columns and its links' vendor view (status name,
 * extension, parent, tombstone) are as they were, and only the vendor's record moved in what taskbridge does not
 * keep (an unmapped field, its own stamps) or came back saying what the task already says. Such a task is not
 * written: its version and `updatedAt` stay, so a client's optimistic update made meanwhile is not refused for
 * nothing, and the task's indexes and assignee trigger are not run for nothing. The link's sync state (merge base,
 * hash, `syncedAt`) still moves, in its own statement. A change of the vendor's status name alone does bump the
 * version: the API shows it, and a client that caches by version must see it. `after` is `before` as `withRemote`
 * (or `reconcile`) left it.
 */
export const storedUnchanged = (before: Task, after: Task) =>
  changedFields(fieldsOf(before), fieldsOf(after)).length === 0 &&
  sameValue(before.subjects, after.subjects) &&
  // Notes only ever gain entries (`mergeNotes` keeps every one we know), so the same count is the same notes.
  before.notes.length === after.notes.length &&
  sameValue(before.closedAt, after.closedAt) &&
  sameValue(before.deletedAt, after.deletedAt) &&
  before.links.length === after.links.length &&
  before.links.every((link, i) => {
    const next = after.links[i]
    return (
      next !== undefined &&
      link.id === next.id &&
      link.parent === next.parent &&
      link.vendorStatus === next.vendorStatus &&
      sameValue(link.extension, next.extension) &&
      sameValue(link.deletedAt, next.deletedAt)
    )
  })

/** A create landed: the task gains the link to the vendor's new record. */
export const linkCreated = (task: Task, connection: ConnectionSummary, record: VendorRecord, now: DateTime.Utc) =>
  task.links.some((l) => l.connectionId === connection.id && l.recordId === record.id)
    ? task
    : Task.make({ ...task, links: [...task.links, linkTo(connection, record, now)] })

/**
 * After a push, the vendor's answer wins for the fields we sent (it may have normalised them) and for its own
 * status name, parent and extension; otherwise a normalised value would look like a local edit and be pushed forever.
 */
export const adoptAnswer = (
  task: Task,
  connection: ConnectionId,
  record: VendorRecord,
  payload: OutboxPayload,
  now: DateTime.Utc,
) => {
  const sent = payload.operation === "update" ? Object.keys(payload.change.fields) : []
  const adopted = Object.fromEntries(sent.map((f) => [f, record.snapshot.fields[f as keyof TaskFields]]))
  const status =
    payload.operation === "update" && payload.change.vendorStatus !== undefined
      ? record.snapshot.fields.status
      : task.status
  // Built from an already-decoded record and our own ids: the structure is parsed, the checks are not run again.
  return Task.make({
    ...task,
    ...adopted,
    status,
    closedAt: closedAt(task, status, now),
    links: refreshLink(task, connection, record, now),
  })
}
