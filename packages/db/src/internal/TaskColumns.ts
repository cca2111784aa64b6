// How a Task maps to the `tasks` and `links` tables: the JSON projection every task read selects (decoded with the
// domain's JSON codec, so there is no second model of a task), the JSON columns a write binds, and `due_at`.
import { Assignee, assigneeKey } from "@taskbridge/domain/Assignment"
import { Due, dateParts } from "@taskbridge/domain/Due"
import { Note } from "@taskbridge/domain/Note"
import { Subjects, Task, TaskLink } from "@taskbridge/domain/Task"
import { DateTime, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"

/** A row holding one task as JSON. */
export const TaskRow = Schema.Struct({ task: Schema.toCodecJson(Task) })

/** The task at alias `t` with its links, in the shape `Schema.toCodecJson(Task)` reads. */
export const taskProjection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', t.id, 'organizationId', t.organization_id, 'kind', t.kind, 'title', t.title, 'description', t.description,
  'status', t.status, 'priority', t.priority, 'due', t.due, 'assignees', t.assignees, 'tags', to_jsonb(t.tags),
  'closedAt', t.closed_at, 'subjects', t.subjects, 'notes', t.notes,
  'links', COALESCE((
    SELECT jsonb_agg(jsonb_build_object(
      'id', l.id, 'connectionId', l.connection_id, 'vendor', l.vendor, 'recordId', l.record_id, 'parent', l.parent,
      'vendorStatus', l.vendor_status, 'extension', l.extension, 'syncedAt', l.synced_at,
      'deletedAt', l.deleted_at) ORDER BY l.position)
    FROM links l WHERE l.task_id = t.id), '[]'::jsonb),
  'createdAt', t.created_at, 'updatedAt', t.updated_at, 'deletedAt', t.deleted_at, 'version', t.version)`

/** The columns of a task that are stored as JSON, encoded with the domain's JSON codecs. */
export const JsonColumns = Schema.Struct({
  due: Schema.toCodecJson(Due),
  assignees: Schema.toCodecJson(Schema.Array(Assignee)),
  subjects: Schema.toCodecJson(Subjects),
  notes: Schema.toCodecJson(Schema.Array(Note)),
  links: Schema.toCodecJson(Schema.Array(TaskLink)),
})

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
