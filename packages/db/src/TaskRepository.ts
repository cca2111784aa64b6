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
import * as Arrays from "./internal/Arrays.ts"
import { encode, exec, firstRow, rows, transaction } from "./internal/Store.ts"
import { assigneeKeys, dueAt, JsonColumns, jsonColumns, TaskRow, taskProjection } from "./internal/TaskColumns.ts"

const VersionRow = Schema.Struct({ version: Schema.Int })
const IdVersionRow = Schema.Struct({ id: Schema.String, version: Schema.Int })
const StaleTableRow = Schema.Struct({
  table: Schema.Literals(["history", "links", "task_assignees", "tasks"]),
  columns: Schema.Array(Schema.String),
})

const toDate = (at: DateTime.Utc | null) => (at === null ? null : DateTime.toDateUtc(at))
const millis = (at: DateTime.Utc | null) => (at === null ? null : DateTime.toEpochMillis(at))

/**
 * One typed array per column of `tasks` (`Arrays`), for `insertMany` and `updateMany`. Plain loops: a backfill builds a
 * thousand rows per page.
 */
const taskColumns = (tasks: ReadonlyArray<Task>) => {
  const column = <A>(of: (task: Task) => A) => tasks.map(of)
  const json = column(jsonColumns)
  return {
    id: Arrays.texts(column((task) => task.id)),
    organization: Arrays.texts(column((task) => task.organizationId)),
    kind: Arrays.texts(column((task) => task.kind)),
    title: Arrays.texts(column((task) => task.title)),
    description: Arrays.texts(column((task) => task.description)),
    status: Arrays.texts(column((task) => task.status)),
    priority: Arrays.texts(column((task) => task.priority)),
    due: Arrays.jsons(json.map((j) => j.due)),
    dueAt: Arrays.instants(column((task) => dueAt(task.due)?.getTime() ?? null)),
    assignees: Arrays.jsons(json.map((j) => j.assignees)),
    assigneeKeys: Arrays.jsons(column((task) => assigneeKeys(task.assignees))),
    tags: Arrays.jsons(column((task) => task.tags)),
    subjects: Arrays.jsons(json.map((j) => j.subjects)),
    notes: Arrays.jsons(json.map((j) => j.notes)),
    closedAt: Arrays.instants(column((task) => millis(task.closedAt))),
    createdAt: Arrays.instants(column((task) => millis(task.createdAt))),
    updatedAt: Arrays.instants(column((task) => millis(task.updatedAt))),
    deletedAt: Arrays.instants(column((task) => millis(task.deletedAt))),
    version: Arrays.ints(column((task) => task.version)),
  }
}

/** `insertMany`'s parameters: the tasks' columns (t) and their links' (l, a row per link in the task's order). */
const insertColumns = (tasks: ReadonlyArray<Task>, bases: ReadonlyMap<VendorRecordId, LinkBase> | undefined) => {
  const t = taskColumns(tasks)
  const links = tasks.flatMap((task) => task.links.map((link, position) => ({ task, link, position })))
  const base = (recordId: VendorRecordId) => bases?.get(recordId)
  const l = {
    id: Arrays.texts(links.map(({ link }) => link.id)),
    organization: Arrays.texts(links.map(({ task }) => task.organizationId)),
    connection: Arrays.texts(links.map(({ link }) => link.connectionId)),
    vendor: Arrays.texts(links.map(({ link }) => link.vendor)),
    record: Arrays.texts(links.map(({ link }) => link.recordId)),
    task: Arrays.texts(links.map(({ task }) => task.id)),
    position: Arrays.ints(links.map(({ position }) => position)),
    parent: Arrays.texts(links.map(({ link }) => link.parent)),
    vendorStatus: Arrays.texts(links.map(({ link }) => link.vendorStatus)),
    extension: Arrays.jsons(links.map(({ link }) => link.extension)),
    syncedAt: Arrays.instants(links.map(({ link }) => millis(link.syncedAt))),
    deletedAt: Arrays.instants(links.map(({ link }) => millis(link.deletedAt))),
    base: Arrays.jsonTexts(
      links.map(({ link }) => {
        const found = base(link.recordId)
        return found === undefined ? null : (found.text ?? JSON.stringify(found.base))
      }),
    ),
    hash: Arrays.texts(links.map(({ link }) => base(link.recordId)?.hash ?? null)),
  }
  return { t, l }
}

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const columns = encode("TaskRepository.encode", JsonColumns)

  // Link rows for `INSERT INTO links ${linkColumns} …` from `source`, a relation of tasks with `id`,
  // `organization_id` and `links` (the domain's JSON of the task's links): one row per link, in the task's order.
  const linkColumns = sql`(id, organization_id, connection_id, vendor, record_id, task_id, position, parent,
                           vendor_status, extension, synced_at, deleted_at, base, base_hash)`
  // A link's merge base is written here only when `bases` (a JSON object by record id of { base, hash }) names its
  // record; otherwise `LinkRepository.record` stores it (and `insertMany` with a new link).
  const linkRows = (source: Statement.Fragment, bases: Statement.Fragment = sql`'{}'::jsonb`) => sql`
    SELECT e->>'id', source.organization_id, e->>'connectionId', e->>'vendor', e->>'recordId', source.id,
           n::int - 1, e->>'parent', e->>'vendorStatus', NULLIF(e->'extension', 'null'::jsonb),
           (e->>'syncedAt')::timestamptz, (e->>'deletedAt')::timestamptz,
           given.bases -> (e->>'recordId') -> 'base', given.bases -> (e->>'recordId') ->> 'hash'
    FROM ${source} AS source, (SELECT ${bases} AS bases) AS given,
         jsonb_array_elements(source.links) WITH ORDINALITY AS link(e, n)`
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
    // Locked and read in one statement: FOR UPDATE is not allowed beside the projection's aggregate subquery, so the
    // rows are locked (in id order, as every locking writer takes them) in a materialised CTE the projection reads.
    // Measured at 100,000 tasks: a separate `SELECT 1 … FOR UPDATE` cost a second index scan, 12 ms a 700-task page.
    const found = yield* rows(
      "TaskRepository.getMany",
      TaskRow,
    )(
      options.lock === true
        ? sql`WITH t AS MATERIALIZED (
                SELECT id, organization_id, kind, title, description, status, priority, due, assignees, tags,
                  closed_at, subjects, notes, created_at, updated_at, deleted_at, version
                FROM tasks WHERE organization_id = ${org} AND id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE)
              SELECT ${taskProjection(sql)} AS task FROM t`
        : sql`SELECT ${taskProjection(sql)} AS task FROM tasks t WHERE t.organization_id = ${org} AND t.id = ANY(${ids}::text[])`,
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

  // One statement for any number of tasks and their links, so atomic without a savepoint: a backfill inserts a whole
  // page of new records at once. Each column goes as one typed array (`Arrays`), so the server neither parses a page
  // of JSON nor unpacks it row by row. (A data-modifying WITH always runs; the links' foreign key is checked once the
  // whole statement is done.)
  const insertMany = Effect.fn("TaskRepository.insertMany")(function* (
    tasks: ReadonlyArray<Task>,
    bases?: ReadonlyMap<VendorRecordId, LinkBase>,
  ) {
    if (tasks.length === 0) return
    const { t, l } = yield* Effect.sync(() => insertColumns(tasks, bases))
    yield* exec("TaskRepository.insert")(sql`
      WITH inserted AS (
        INSERT INTO tasks (id, organization_id, kind, title, description, status, priority, due, due_at, assignees,
                           assignee_keys, tags, subjects, notes, closed_at, created_at, updated_at, deleted_at,
                           version)
        SELECT id, organization_id, kind, title, description, status, priority, due, due_at, assignees,
               ARRAY(SELECT jsonb_array_elements_text(assignee_keys)), ARRAY(SELECT jsonb_array_elements_text(tags)),
               subjects, notes, closed_at, created_at, updated_at, deleted_at, version
        FROM unnest(${t.id}::text[], ${t.organization}::text[], ${t.kind}::text[], ${t.title}::text[],
                    ${t.description}::text[], ${t.status}::text[], ${t.priority}::text[], ${t.due}::jsonb[],
                    ${t.dueAt}::timestamptz[], ${t.assignees}::jsonb[], ${t.assigneeKeys}::jsonb[], ${t.tags}::jsonb[],
                    ${t.subjects}::jsonb[], ${t.notes}::jsonb[], ${t.closedAt}::timestamptz[],
                    ${t.createdAt}::timestamptz[], ${t.updatedAt}::timestamptz[], ${t.deletedAt}::timestamptz[],
                    ${t.version}::int[])
          AS x(id, organization_id, kind, title, description, status, priority, due, due_at, assignees, assignee_keys,
               tags, subjects, notes, closed_at, created_at, updated_at, deleted_at, version))
      INSERT INTO links ${linkColumns}
      SELECT * FROM unnest(${l.id}::text[], ${l.organization}::text[], ${l.connection}::text[], ${l.vendor}::text[],
                           ${l.record}::text[], ${l.task}::text[], ${l.position}::int[], ${l.parent}::text[],
                           ${l.vendorStatus}::text[], ${l.extension}::jsonb[], ${l.syncedAt}::timestamptz[],
                           ${l.deletedAt}::timestamptz[], ${l.base}::jsonb[], ${l.hash}::text[])`)
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

  const update = Effect.fn("TaskRepository.update")(function* (
    task: Task,
    expectedVersion: number,
    bases?: ReadonlyMap<VendorRecordId, LinkBase>,
  ) {
    const json = yield* columns(task)
    // The bases as one JSON object by record id, each from the text it was hashed from (never encoded twice).
    const entries = [...(bases ?? [])].map(
      ([id, b]) =>
        `${JSON.stringify(id)}:{"base":${b.text ?? JSON.stringify(b.base)},"hash":${JSON.stringify(b.hash)}}`,
    )
    const baseObject = `{${entries.join(",")}}`
    const stored = new Task({ ...task, version: expectedVersion + 1 })
    // One statement, so atomic without a transaction of its own: the task at its expected version, then (only if it
    // moved) its links — those that left the task go with their merge base, those that stay keep theirs. The DELETE
    // and the upsert touch different links, so one snapshot serves both.
    const ids = task.links.map((link) => link.id)
    const statement = sql`
      WITH updated AS (
        UPDATE tasks SET title = ${task.title}, description = ${task.description}, status = ${task.status},
          priority = ${task.priority}, due = ${sql.json(json.due)}, due_at = ${dueAt(task.due)},
          assignees = ${sql.json(json.assignees)}, assignee_keys = ${assigneeKeys(task.assignees)}, tags = ${task.tags},
          subjects = ${sql.json(json.subjects)}, notes = ${sql.json(json.notes)}, closed_at = ${toDate(task.closedAt)},
          updated_at = ${toDate(task.updatedAt)}, deleted_at = ${toDate(task.deletedAt)}, version = ${stored.version}
        WHERE organization_id = ${task.organizationId} AND id = ${task.id} AND version = ${expectedVersion}
        RETURNING id, organization_id, version),
      removed AS (
        DELETE FROM links WHERE task_id IN (SELECT id FROM updated) AND NOT (id = ANY(${ids}::text[]))),
      written AS (
        INSERT INTO links ${linkColumns}
        ${linkRows(
          sql`(SELECT u.id, u.organization_id, ${sql.json(json.links)}::jsonb AS links FROM updated u)`,
          sql`${baseObject}::jsonb`,
        )}
        ON CONFLICT (id) DO UPDATE SET position = excluded.position, parent = excluded.parent,
          vendor_status = excluded.vendor_status, extension = excluded.extension, synced_at = excluded.synced_at,
          deleted_at = excluded.deleted_at,
          base = CASE WHEN excluded.base_hash IS NULL THEN links.base ELSE excluded.base END,
          base_hash = coalesce(excluded.base_hash, links.base_hash)
        WHERE links.task_id = excluded.task_id)
      SELECT version FROM updated`
    const row = yield* firstRow("TaskRepository.update", VersionRow)(statement)
    if (row === null) return yield* conflictOrMissing(task, expectedVersion)
    return stored
  })

  // One statement for a page's merged tasks, each at its expected version; any that moved fails the lot (savepoint).
  const updateMany = Effect.fn("TaskRepository.updateMany")(function* (tasks: ReadonlyArray<VersionedTask>) {
    if (tasks.length === 0) return
    const t = taskColumns(tasks.map(({ task }) => task))
    const expected = Arrays.ints(tasks.map(({ expectedVersion }) => expectedVersion))
    const statement = sql`
      UPDATE tasks t SET title = x.title, description = x.description, status = x.status, priority = x.priority,
        due = x.due, due_at = x.due_at, assignees = x.assignees,
        assignee_keys = ARRAY(SELECT jsonb_array_elements_text(x.assignee_keys)),
        tags = ARRAY(SELECT jsonb_array_elements_text(x.tags)), subjects = x.subjects, notes = x.notes,
        closed_at = x.closed_at, updated_at = x.updated_at, deleted_at = x.deleted_at, version = x.expected + 1
      FROM unnest(${t.id}::text[], ${t.organization}::text[], ${t.title}::text[], ${t.description}::text[],
                  ${t.status}::text[], ${t.priority}::text[], ${t.due}::jsonb[], ${t.dueAt}::timestamptz[],
                  ${t.assignees}::jsonb[], ${t.assigneeKeys}::jsonb[], ${t.tags}::jsonb[], ${t.subjects}::jsonb[],
                  ${t.notes}::jsonb[], ${t.closedAt}::timestamptz[], ${t.updatedAt}::timestamptz[],
                  ${t.deletedAt}::timestamptz[], ${expected}::int[])
        AS x(id, organization_id, title, description, status, priority, due, due_at, assignees, assignee_keys, tags,
             subjects, notes, closed_at, updated_at, deleted_at, expected)
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

  // Refreshed once a table holds more than twice the rows the planner counted (+1,000), with no wait for autovacuum's
  // next round: after a backfill's first pages the planner otherwise believes an organization holds a few hundred
  // tasks and answers a page's lookup by id by scanning that organization's whole index (seen: 9.7 ms → 4.2 ms for 150
  // ids at 20,000 tasks, growing with size). Only the columns statements filter, join and sort on are sampled: the
  // payload columns (jsonb, and `search`, whose 1,000-entry target makes ANALYZE read 300,000 rows) cost most of a
  // full ANALYZE (measured: 6.5 s of a 100,000-record backfill, 2.5 s of it one ANALYZE of `tasks`) and no statement
  // of a pull is planned on them. A column list leaves the table's change counter as it was, so the server's
  // autovacuum still owes and makes the full one; this rule counts rows instead. The activity counters lag by up to
  // a second, which only delays a refresh by a page. SKIP_LOCKED: a table the server is already analysing is left
  // to it rather than waited for; the next page asks again.
  const refreshStatistics = Effect.gen(function* () {
    const stale = yield* rows(
      "TaskRepository.refreshStatistics",
      StaleTableRow,
    )(sql`
      SELECT s.relname AS "table", array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        JOIN pg_attribute a ON a.attrelid = s.relid AND a.attnum > 0 AND NOT a.attisdropped
          AND a.atttypid NOT IN ('json'::regtype, 'jsonb'::regtype, 'tsvector'::regtype)
      WHERE s.schemaname = current_schema() AND s.relname IN ('tasks', 'links', 'history', 'task_assignees')
        AND s.n_live_tup > 2 * greatest(c.reltuples, 0) + 1000
      GROUP BY s.relname ORDER BY s.relname`)
    for (const { table, columns } of stale)
      yield* exec("TaskRepository.refreshStatistics")(
        sql`ANALYZE (SKIP_LOCKED) ${sql(table)} (${sql.csv(columns.map((column) => sql`${sql(column)}`))})`,
      )
    return stale.length > 0
  })

  return TaskRepository.of({ get, getMany, findByRecord, insert, insertMany, update, updateMany, refreshStatistics })
})

export const layer = Layer.effect(TaskRepository, make)
