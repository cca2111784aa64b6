// How a Task maps to the `tasks` and `links` tables: the JSON projection every task read selects (decoded with the
// domain's JSON codec, so there is no second model of a task), the JSON columns a write binds, and `due_at`.
import { Assignee, assigneeKey } from "@taskbridge/domain/Assignment"
import { Due, dateParts } from "@taskbridge/domain/Due"
import { Note } from "@taskbridge/domain/Note"
import { Subjects, Task, TaskLink } from "@taskbridge/domain/Task"
import { DateTime, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import type { Fragment } from "effect/sql/Statement"

/** A row holding one task as JSON. */
export const TaskRow = Schema.Struct({ task: Schema.toCodecJson(Task) })

/** An instant column as the domain's JSON codec writes it (`2025-06-15T09:00:00.000Z`), or null. */
const isoColumn = (sql: SqlClient, column: Fragment) =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * The task at alias `t` with its links, exactly as `Schema.toCodecJson(Task)` encodes it (instants included), so a
 * read can either decode it or hand it on as it is (the inbox does; a test holds the two equal).
 */
export const taskProjection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', t.id, 'organizationId', t.organization_id, 'kind', t.kind, 'title', t.title, 'description', t.description,
  'status', t.status, 'priority', t.priority, 'due', t.due, 'assignees', t.assignees, 'tags', to_jsonb(t.tags),
  'closedAt', ${isoColumn(sql, sql`t.closed_at`)}, 'subjects', t.subjects, 'notes', t.notes,
  'links', COALESCE((
    SELECT jsonb_agg(jsonb_build_object(
      'id', l.id, 'connectionId', l.connection_id, 'vendor', l.vendor, 'recordId', l.record_id, 'parent', l.parent,
      'vendorStatus', l.vendor_status, 'extension', l.extension, 'syncedAt', ${isoColumn(sql, sql`l.synced_at`)},
      'deletedAt', ${isoColumn(sql, sql`l.deleted_at`)}) ORDER BY l.position)
    FROM links l WHERE l.task_id = t.id), '[]'::jsonb),
  'createdAt', ${isoColumn(sql, sql`t.created_at`)}, 'updatedAt', ${isoColumn(sql, sql`t.updated_at`)},
  'deletedAt', ${isoColumn(sql, sql`t.deleted_at`)}, 'version', t.version)`

/** The columns of a task that are stored as JSON, encoded with the domain's JSON codecs. */
export const JsonColumns = Schema.Struct({
  due: Schema.toCodecJson(Due),
  assignees: Schema.toCodecJson(Schema.Array(Assignee)),
  subjects: Schema.toCodecJson(Subjects),
  notes: Schema.toCodecJson(Schema.Array(Note)),
  links: Schema.toCodecJson(Schema.Array(TaskLink)),
})
export type JsonColumns = typeof JsonColumns.Encoded

const iso = (at: DateTime.Utc | null) => (at === null ? null : DateTime.formatIso(at))

/**
 * `JsonColumns`' encoding, written out for the write path: a backfill encodes a thousand tasks per page, and the
 * generic encoder costs tens of microseconds each. Only instants change form (to ISO text); everything else in
 * these columns is already JSON. A property test holds it equal to the schema's encoding for generated tasks.
 */
export const jsonColumns = (task: Task): JsonColumns =>
  ({
    due: task.due._tag === "Instant" ? { ...task.due, at: DateTime.formatIso(task.due.at) } : task.due,
    assignees: task.assignees,
    subjects: task.subjects,
    notes: task.notes.map((note) => ({ ...note, at: DateTime.formatIso(note.at) })),
    links: task.links.map((link) => ({ ...link, syncedAt: iso(link.syncedAt), deletedAt: iso(link.deletedAt) })),
  }) as JsonColumns

const startOfDay = (date: string, zone: string | undefined): Date =>
  DateTime.toDateUtc(DateTime.makeZonedUnsafe(dateParts(date), { timeZone: zone ?? "UTC", adjustForTimeZone: true }))

/** The instant a due range filter compares: the instant itself, or midnight (in its zone) of the first day. */
export const dueAt = (due: Due): Date | null => {
  switch (due._tag) {
    case "None":
      return null
    case "Instant":
      return DateTime.toDateUtc(due.at)
    case "AllDay":
      return startOfDay(due.date, due.zone)
    case "Window":
      return startOfDay(due.start, due.zone)
  }
}

export const assigneeKeys = (assignees: ReadonlyArray<Assignee>): Array<string> => assignees.map(assigneeKey)
