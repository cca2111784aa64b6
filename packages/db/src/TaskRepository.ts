// TaskRepository on PostgreSQL/PGlite: work items with their links, every read scoped by organization, and optimistic
// concurrency (`UPDATE … WHERE version = expected`; no row → VersionConflict with the stored version). A pulled page's
// tasks are read (locked) and written in one statement each, whatever the page's size.
import { PgClient } from "@effect/sql-pg"
import { TaskNotFound, VersionConflict } from "@taskbridge/domain/Errors"
import type { ConnectionId, OrganizationId, TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import { type LinkBase, TaskRepository, type VersionedTask } from "@taskbridge/domain/ports/Repositories"
import { Task } from "@taskbridge/domain/Task"
import { DateTime, Effect, Layer, Schema } from "effect"
import type * as Statement from "effect/sql/Statement"
import { encode, exec, firstRow, rows, transaction } from "./internal/Store.ts"
import { assigneeKeys, dueAt, JsonColumns, jsonColumns, TaskRow, taskProjection } from "./internal/TaskColumns.ts"

const VersionRow = Schema.Struct({ version: Schema.Int })
const IdVersionRow = Schema.Struct({ id: Schema.String, version: Schema.Int })

const toDate = (at: DateTime.Utc | null) => (at === null ? null : DateTime.toDateUtc(at))

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const columns = encode("TaskRepository.encode", JsonColumns)

  // Link rows for `INSERT INTO links ${linkColumns} …` from `source`, a relation of tasks with `id`,
  // `organization_id` and `links` (the domain's JSON of the task's links): one row per link, in the task's order.
  const linkColumns = sql`(id, organization_id, connection_id, vendor, record_id, task_id, position, parent,
                           vendor_status, extension, synced_at, deleted_at, base, base_hash)`
  // `source.bases` (when the relation has it) maps record ids to `{base, hash}`: a new link's merge base, written with
  // the link instead of by a second statement.
  const linkRows = (source: Statement.Fragment, withBases = false) => sql`
    SELECT e->>'id', source.organization_id, e->>'connectionId', e->>'vendor', e->>'recordId', source.id,
           n::int - 1, e->>'parent', e->>'vendorStatus', NULLIF(e->'extension', 'null'::jsonb),
           (e->>'syncedAt')::timestamptz, (e->>'deletedAt')::timestamptz,
           ${withBases ? sql`source.bases->(e->>'recordId')->'base'` : sql`NULL::jsonb`},
           ${withBases ? sql`source.bases->(e->>'recordId')->>'hash'` : sql`NULL::text`}
    FROM ${source} AS source, jsonb_array_elements(source.links) WITH ORDINALITY AS link(e, n)`
  const oneTask = (task: Task, links: Schema.Json) =>
    sql`(SELECT ${task.id}::text AS id, ${task.organizationId}::text AS organization_id, ${sql.json(links)}::jsonb AS links)`

  const writeLinks = Effect.fn("TaskRepository.writeLinks")(function* (task: Task, links: Schema.Json) {
    const ids = task.links.map((link) => link.id)
    // Links that left the task go (with their merge base); links that stay keep theirs.
    yield* exec("TaskRepository.writeLinks")(
      sql`DELETE FROM links WHERE task_id = ${task.id} AND NOT (id = ANY(${ids}))`,
    )
    yield* exec("TaskRepository.writeLinks")(sql`
      INSERT INTO links ${linkColumns} ${linkRows(oneTask(task, links))}
      ON CONFLICT (id) DO UPDATE SET position = excluded.position, parent = excluded.parent,
        vendor_status = excluded.vendor_status, extension = excluded.extension, synced_at = excluded.synced_at,
        deleted_at = excluded.deleted_at
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

  const getMany = Effect.fn("TaskRepository.getMany")(function* (
    org: OrganizationId,
    ids: ReadonlyArray<TaskId>,
    options: { readonly lock?: boolean } = {},
  ) {
    if (ids.length === 0) return new Map<TaskId, Task>()
    // The lock is taken on the rows first (FOR UPDATE is not allowed beside the projection's aggregate subquery).
    if (options.lock === true) {
      yield* exec("TaskRepository.getMany")(
        sql`SELECT 1 FROM tasks WHERE organization_id = ${org} AND id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE`,
      )
    }
    const found = yield* rows(
      "TaskRepository.getMany",
      TaskRow,
    )(
      sql`SELECT ${taskProjection(sql)} AS task FROM tasks t WHERE t.organization_id = ${org} AND t.id = ANY(${ids}::text[])`,
    )
    return new Map(found.map((row) => [row.task.id, row.task]))
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

  const iso = (at: Date | null) => (at === null ? null : at.toISOString())
  /** A new task as one JSON row of `insertMany`'s recordset (plain and synchronous: a page builds a thousand). */
  const rowOf = (task: Task, json: JsonColumns) =>
    ({
      id: task.id,
      organization_id: task.organizationId,
      kind: task.kind,
      title: task.title,
      description: task.description,
      status: task.status,
      priority: task.priority,
      due: json.due,
      due_at: iso(dueAt(task.due)),
      assignees: json.assignees,
      assignee_keys: assigneeKeys(task.assignees),
      tags: task.tags,
      subjects: json.subjects,
      notes: json.notes,
      closed_at: iso(toDate(task.closedAt)),
      created_at: iso(toDate(task.createdAt)),
      updated_at: iso(toDate(task.updatedAt)),
      deleted_at: iso(toDate(task.deletedAt)),
      version: task.version,
      links: json.links,
    }) satisfies Schema.Json

  // One statement for any number of tasks and their links, so atomic without a savepoint: a backfill inserts a whole
  // page of new records at once. (A data-modifying WITH always runs; the links' foreign key is checked once the whole
  // statement is done.)
  const insertMany = Effect.fn("TaskRepository.insertMany")(function* (
    tasks: ReadonlyArray<Task>,
    bases?: ReadonlyMap<VendorRecordId, LinkBase>,
  ) {
    if (tasks.length === 0) return
    const rows = yield* Effect.sync(() =>
      tasks.map((task) => ({
        ...rowOf(task, jsonColumns(task)),
        bases:
          bases === undefined
            ? null
            : Object.fromEntries(
                task.links.flatMap((link) => {
                  const found = bases.get(link.recordId)
                  return found === undefined ? [] : [[link.recordId, { base: found.base, hash: found.hash }]]
                }),
              ),
      })),
    )
    yield* exec("TaskRepository.insert")(sql`
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${sql.json(rows)}) AS x(
          id text, organization_id text, kind text, title text, description text, status text, priority text,
          due jsonb, due_at timestamptz, assignees jsonb, assignee_keys text[], tags text[], subjects jsonb,
          notes jsonb, closed_at timestamptz, created_at timestamptz, updated_at timestamptz,
          deleted_at timestamptz, version integer, links jsonb, bases jsonb)),
      inserted AS (
        INSERT INTO tasks (id, organization_id, kind, title, description, status, priority, due, due_at, assignees,
                           assignee_keys, tags, subjects, notes, closed_at, created_at, updated_at, deleted_at,
                           version)
        SELECT id, organization_id, kind, title, description, status, priority, due, due_at, assignees,
               assignee_keys, tags, subjects, notes, closed_at, created_at, updated_at, deleted_at, version
        FROM input)
      INSERT INTO links ${linkColumns} ${linkRows(sql`input`, true)}`)
  })

  const insert = (task: Task) => insertMany([task])

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
        updated_at = ${toDate(task.updatedAt)}, deleted_at = ${toDate(task.deletedAt)}, version = ${stored.version}
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

  // One statement for a page's merged tasks, each at its expected version; any that moved fails the lot (savepoint).
  const updateMany = Effect.fn("TaskRepository.updateMany")(function* (tasks: ReadonlyArray<VersionedTask>) {
    if (tasks.length === 0) return
    const input = tasks.map(({ task, expectedVersion }) => {
      const { links: _, ...row } = rowOf(task, jsonColumns(task))
      return { ...row, expected: expectedVersion }
    })
    const statement = sql`
      UPDATE tasks t SET title = x.title, description = x.description, status = x.status, priority = x.priority,
        due = x.due, due_at = x.due_at, assignees = x.assignees, assignee_keys = x.assignee_keys, tags = x.tags,
        subjects = x.subjects, notes = x.notes, closed_at = x.closed_at, updated_at = x.updated_at,
        deleted_at = x.deleted_at, version = x.expected + 1
      FROM jsonb_to_recordset(${sql.json(input)}) AS x(
        id text, organization_id text, title text, description text, status text, priority text, due jsonb,
        due_at timestamptz, assignees jsonb, assignee_keys text[], tags text[], subjects jsonb, notes jsonb,
        closed_at timestamptz, updated_at timestamptz, deleted_at timestamptz, expected integer)
      WHERE t.id = x.id AND t.organization_id = x.organization_id AND t.version = x.expected
      RETURNING t.id, t.version`
    yield* transaction(
      sql,
      "TaskRepository.updateMany",
    )(
      Effect.gen(function* () {
        const updated = yield* rows("TaskRepository.updateMany", IdVersionRow)(statement)
        if (updated.length === tasks.length) return
        const done = new Set(updated.map((row) => row.id))
        const moved = tasks.find(({ task }) => !done.has(task.id))
        if (moved !== undefined) return yield* conflictOrMissing(moved.task, moved.expectedVersion)
      }),
    ).pipe(Effect.catchTag("TaskNotFound", (e) => Effect.die(e)))
  })

  return TaskRepository.of({ get, getMany, findByRecord, insert, insertMany, update, updateMany })
})

export const layer = Layer.effect(TaskRepository, make)
