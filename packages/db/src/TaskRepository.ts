// TaskRepository on PostgreSQL/PGlite: tasks with their links, every read scoped by organization, and optimistic
// concurrency (`UPDATE … WHERE version = expected`; no row → VersionConflict with the stored version).
import { PgClient } from "@effect/sql-pg"
import { TaskNotFound, VersionConflict } from "@taskbridge/domain/Errors"
import type { ConnectionId, OrganizationId, TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import { TaskRepository } from "@taskbridge/domain/ports/Repositories"
import { Task } from "@taskbridge/domain/Task"
import { DateTime, Effect, Layer, Schema } from "effect"
import { encode, exec, firstRow, transaction } from "./internal/Store.ts"
import { assigneeKeys, dueAt, JsonColumns, TaskRow, taskProjection } from "./internal/TaskColumns.ts"

const VersionRow = Schema.Struct({ version: Schema.Int })

const toDate = (at: DateTime.Utc | null) => (at === null ? null : DateTime.toDateUtc(at))

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const columns = encode("TaskRepository.encode", JsonColumns)

  const writeLinks = Effect.fn("TaskRepository.writeLinks")(function* (task: Task, links: Schema.Json) {
    const ids = task.links.map((link) => link.id)
    // Links that left the task go (with their merge base); links that stay keep theirs.
    yield* exec("TaskRepository.writeLinks")(
      sql`DELETE FROM links WHERE task_id = ${task.id} AND NOT (id = ANY(${ids}))`,
    )
    yield* exec("TaskRepository.writeLinks")(sql`
      INSERT INTO links (id, organization_id, connection_id, vendor, record_id, task_id, position,
                         vendor_status, extension, synced_at)
      SELECT e->>'id', ${task.organizationId}, e->>'connectionId', e->>'vendor', e->>'recordId', ${task.id},
             n::int - 1, e->>'vendorStatus', NULLIF(e->'extension', 'null'::jsonb), (e->>'syncedAt')::timestamptz
      FROM jsonb_array_elements(${sql.json(links)}) WITH ORDINALITY AS input(e, n)
      ON CONFLICT (id) DO UPDATE SET position = excluded.position, vendor_status = excluded.vendor_status,
        extension = excluded.extension, synced_at = excluded.synced_at
      WHERE links.task_id = excluded.task_id`)
  })

  const get = Effect.fn("TaskRepository.get")(function* (org: OrganizationId, id: TaskId) {
    const row = yield* firstRow(
      "TaskRepository.get",
      TaskRow,
    )(sql`SELECT ${taskProjection(sql)} AS task FROM tasks t WHERE t.organization_id = ${org} AND t.id = ${id}`)
    if (row === null) return yield* new TaskNotFound({ id })
    return row.task
  })

  const findByRecord = Effect.fn("TaskRepository.findByRecord")(function* (
    connection: ConnectionId,
    record: VendorRecordId,
  ) {
    const row = yield* firstRow(
      "TaskRepository.findByRecord",
      TaskRow,
    )(sql`
      SELECT ${taskProjection(sql)} AS task
      FROM links l JOIN tasks t ON t.id = l.task_id
      WHERE l.connection_id = ${connection} AND l.record_id = ${record}`)
    return row?.task ?? null
  })

  const insert = Effect.fn("TaskRepository.insert")(function* (task: Task) {
    const json = yield* columns(task)
    const row = sql`
      INSERT INTO tasks (id, organization_id, title, description, status, priority, due, due_at, assignees,
                         assignee_keys, tags, subjects, notes, closed_at, created_at, updated_at, version)
      VALUES (${task.id}, ${task.organizationId}, ${task.title}, ${task.description}, ${task.status},
              ${task.priority}, ${sql.json(json.due)}, ${dueAt(task.due)}, ${sql.json(json.assignees)},
              ${assigneeKeys(task.assignees)}, ${task.tags}, ${sql.json(json.subjects)}, ${sql.json(json.notes)},
              ${toDate(task.closedAt)}, ${toDate(task.createdAt)}, ${toDate(task.updatedAt)}, ${task.version})`
    yield* transaction(
      sql,
      "TaskRepository.insert",
    )(Effect.andThen(exec("TaskRepository.insert")(row), writeLinks(task, json.links)))
  })

  const conflictOrMissing = Effect.fn("TaskRepository.conflictOrMissing")(function* (task: Task, expected: number) {
    const current = yield* firstRow(
      "TaskRepository.update",
      VersionRow,
    )(sql`SELECT version FROM tasks WHERE organization_id = ${task.organizationId} AND id = ${task.id}`)
    if (current === null) return yield* new TaskNotFound({ id: task.id })
    return yield* new VersionConflict({ id: task.id, expectedVersion: expected, currentVersion: current.version })
  })

  const update = Effect.fn("TaskRepository.update")(function* (task: Task, expectedVersion: number) {
    const json = yield* columns(task)
    const stored = new Task({ ...task, version: expectedVersion + 1 })
    const updated = sql`
      UPDATE tasks SET title = ${task.title}, description = ${task.description}, status = ${task.status},
        priority = ${task.priority}, due = ${sql.json(json.due)}, due_at = ${dueAt(task.due)},
        assignees = ${sql.json(json.assignees)}, assignee_keys = ${assigneeKeys(task.assignees)}, tags = ${task.tags},
        subjects = ${sql.json(json.subjects)}, notes = ${sql.json(json.notes)}, closed_at = ${toDate(task.closedAt)},
        updated_at = ${toDate(task.updatedAt)}, version = ${stored.version}
      WHERE organization_id = ${task.organizationId} AND id = ${task.id} AND version = ${expectedVersion}
      RETURNING version`
    return yield* transaction(
      sql,
      "TaskRepository.update",
    )(
      Effect.gen(function* () {
        const row = yield* firstRow("TaskRepository.update", VersionRow)(updated)
        if (row === null) return yield* conflictOrMissing(task, expectedVersion)
        yield* writeLinks(task, json.links)
        return stored
      }),
    )
  })

  return TaskRepository.of({ get, findByRecord, insert, update })
})

export const layer = Layer.effect(TaskRepository, make)
