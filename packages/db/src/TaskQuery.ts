// The inbox query: an organization's work items of every kind and vendor, filtered by kind, status, vendor,
// connection, assignee, due range, overdue, open conflict, failed push, text and tombstone, newest (or oldest) change
// first, in keyset pages (opaque base64url cursors over `(updated_at, id)`, never OFFSET). Each encoded row also
// carries what the console's inbox shows beside the task: overdue, conflict and dead-letter flags and its last change.
// Every filter has an index behind it (migrations 0002, 0008, 0011); `bench/TaskQuery.bench.ts` measures them at 1,000,000.
import { PgClient } from "@effect/sql-pg"
import { Assignee } from "@taskbridge/domain/Assignment"
import { ConnectionId, OrganizationId, Vendor } from "@taskbridge/domain/Ids"
import type { PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { CanonicalStatus } from "@taskbridge/domain/Status"
import { type Task, WorkItemKind } from "@taskbridge/domain/Task"
import { BoundedInstant, List, limits, Text } from "@taskbridge/domain/Text"
import { Context, DateTime, Effect, Layer, Option, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import type { Fragment } from "effect/sql/Statement"
import { rows } from "./internal/Store.ts"
import { assigneeKeys, TaskRow, taskProjection } from "./internal/TaskColumns.ts"

/** Each list is "any of"; an absent or empty list does not filter. Due bounds: `dueFrom` ≤ due < `dueBefore`. */
export const TaskListFilter = Schema.Struct({
  kinds: Schema.optionalKey(List(WorkItemKind)),
  statuses: Schema.optionalKey(List(CanonicalStatus)),
  vendors: Schema.optionalKey(List(Vendor)),
  connections: Schema.optionalKey(List(ConnectionId, limits.filterList)),
  assignees: Schema.optionalKey(List(Assignee)),
  dueFrom: Schema.optionalKey(BoundedInstant),
  dueBefore: Schema.optionalKey(BoundedInstant),
  /** Words matched as prefixes in title and description ("pay cla" finds "Payer claim"). */
  text: Schema.optionalKey(Text(limits.search)),
  /** true: due before now and not done or cancelled; false: anything else. */
  overdue: Schema.optionalKey(Schema.Boolean),
  /** true: with at least one open merge conflict; false: with none. */
  hasConflict: Schema.optionalKey(Schema.Boolean),
  /** true: with a dead-lettered (failed, not retried or discarded) outbox change; false: with none. */
  hasFailedPush: Schema.optionalKey(Schema.Boolean),
  /** Work items whose vendor deleted them: left out (the default), only them, or both. */
  deleted: Schema.optionalKey(Schema.Literals(["exclude", "only", "include"])),
})
export type TaskListFilter = typeof TaskListFilter.Type

export const defaultPageSize = 50
export const maxPageSize = 200

/** Last change first (the default) or oldest change first; both walk the same indexes, forwards or backwards. */
export const TaskSort = Schema.Literals(["updated-desc", "updated-asc"])
export type TaskSort = typeof TaskSort.Type

export const TaskListRequest = Schema.Struct({
  organizationId: OrganizationId,
  filter: TaskListFilter,
  sort: Schema.optionalKey(TaskSort),
  cursor: Schema.optionalKey(Text(limits.cursor)),
  limit: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: maxPageSize })))),
})
export type TaskListRequest = typeof TaskListRequest.Type

export interface TaskPage {
  readonly items: ReadonlyArray<Task>
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null
}

export class InvalidCursor extends Schema.TaggedError<InvalidCursor>()("InvalidCursor", { cursor: Schema.String }) {
  override get message() {
    return "the cursor is not one this list returned"
  }
}

/** Which side made a change: `local` (an API caller, a conflict resolution, our own push) or `vendor` (a pull). */
export const ChangeSide = Schema.Literals(["local", "vendor"])
export type ChangeSide = typeof ChangeSide.Type

/** What the inbox shows of a row beyond the task itself. */
export const InboxFacts = Schema.Struct({
  overdue: Schema.Boolean,
  hasConflict: Schema.Boolean,
  hasFailedPush: Schema.Boolean,
  /** The latest history record's side, origin, actor and time; null for a task with no history. */
  lastChange: Schema.NullOr(
    Schema.Struct({
      side: ChangeSide,
      origin: Schema.Literals(["api", "pull", "webhook", "push", "conflict-resolution"]),
      actor: Schema.NullOr(Schema.String),
      connectionId: Schema.NullOr(Schema.String),
      at: Schema.String,
    }),
  ),
})
export type InboxFacts = typeof InboxFacts.Type

/** A page whose tasks are in their JSON form (`Schema.toCodecJson(Task)`), read as the database built them. */
export interface EncodedTaskPage {
  readonly items: ReadonlyArray<typeof TaskRow.Encoded.task & { readonly inbox: InboxFacts }>
  readonly nextCursor: string | null
}

export class TaskQuery extends Context.Service<
  TaskQuery,
  {
    readonly list: (request: TaskListRequest) => Effect.Effect<TaskPage, InvalidCursor | PersistenceError>
    /**
     * `list` for a caller that sends the tasks on as JSON (the API's inbox): the rows are not decoded into tasks and
     * encoded back, since the projection already is the codec's JSON (a test holds the two equal).
     */
    readonly listEncoded: (request: TaskListRequest) => Effect.Effect<EncodedTaskPage, InvalidCursor | PersistenceError>
  }
>()("@taskbridge/db/TaskQuery") {}

// Microsecond UTC text: exactly what `timestamptz` holds, so a cursor never skips or repeats a row.
const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/
const Cursor = Schema.fromJsonString(Schema.Tuple([Schema.String.check(Schema.isPattern(AT)), Schema.String]))
const decodeCursorJson = Schema.decodeUnknownOption(Cursor)

/** The `(at, id)` a cursor of `encodeCursor` names; None for anything else. */
export const decodeCursor = (cursor: string) => decodeCursorJson(Buffer.from(cursor, "base64url").toString("utf8"))

export const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString("base64url")

const ListRow = Schema.Struct({ task: TaskRow.fields.task, at: Schema.String })
/** A JSON object, checked as one: its members are not walked. */
const JsonObject = Schema.declare(
  (u: unknown): u is { readonly [key: string]: unknown } => typeof u === "object" && u !== null && !Array.isArray(u),
  { expected: "a JSON object" },
)
// Only what the cursor needs is read from an encoded row; the rest goes on untouched. Its members are not walked
// one by one (as `Record` or `Json` would): they are JSON the database's projection built and the driver parsed.
const EncodedListRow = Schema.Struct({
  task: JsonObject.pipe(Schema.check(Schema.makeFilter((t) => typeof t.id === "string"))),
  at: Schema.String,
  inbox: JsonObject,
})

/** Prefix terms for `to_tsquery`: letters and digits only, so user input can never be tsquery syntax. */
export const textQuery = (text: string): string | null => {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  return words.length === 0 ? null : words.map((word) => `${word}:*`).join(" & ")
}

const present = <A>(list: ReadonlyArray<A> | undefined): list is ReadonlyArray<A> =>
  list !== undefined && list.length > 0

/** The WHERE clauses of a filter on the task at alias `t`, always scoped to the organization (assignees: `pageQuery`). */
export const conditions = (sql: SqlClient, org: OrganizationId, filter: TaskListFilter): Array<Fragment> => {
  const where = [sql`t.organization_id = ${org}`]
  const deleted = filter.deleted ?? "exclude"
  if (deleted === "exclude") where.push(sql`t.deleted_at IS NULL`)
  if (deleted === "only") where.push(sql`t.deleted_at IS NOT NULL`)
  if (present(filter.kinds)) where.push(sql`t.kind = ANY(${filter.kinds}::text[])`)
  if (present(filter.statuses)) where.push(sql`t.status = ANY(${filter.statuses}::text[])`)
  // Through links: the semi-join probes links_task per candidate task, or starts from links_connection_task /
  // links_org_vendor_task when the connection or vendor is the selective part.
  if (present(filter.connections)) {
    where.push(sql`EXISTS (SELECT 1 FROM links l WHERE l.task_id = t.id
                           AND l.connection_id = ANY(${filter.connections}::text[]))`)
  }
  if (present(filter.vendors)) {
    where.push(sql`EXISTS (SELECT 1 FROM links l WHERE l.task_id = t.id AND l.organization_id = ${org}
                           AND l.vendor = ANY(${filter.vendors}::text[]))`)
  }
  if (filter.overdue !== undefined) {
    const overdue = sql`(t.due_at IS NOT NULL AND t.status NOT IN ('done', 'cancelled') AND t.due_at < now())`
    where.push(filter.overdue ? overdue : sql`NOT ${overdue}`)
  }
  // Semi-joins from the few open conflicts / dead letters (partial indexes of migration 0008), not a probe per task.
  if (filter.hasConflict !== undefined) {
    const open = sql`t.id IN (SELECT c.task_id FROM conflicts c WHERE c.organization_id = ${org} AND c.state = 'open')`
    where.push(filter.hasConflict ? open : sql`NOT ${open}`)
  }
  if (filter.hasFailedPush !== undefined) {
    const dead = sql`t.id IN (SELECT o.task_id FROM outbox o WHERE o.organization_id = ${org} AND o.state = 'dead')`
    where.push(filter.hasFailedPush ? dead : sql`NOT ${dead}`)
  }
  if (filter.dueFrom !== undefined) where.push(sql`t.due_at >= ${DateTime.toDateUtc(filter.dueFrom)}`)
  if (filter.dueBefore !== undefined) where.push(sql`t.due_at < ${DateTime.toDateUtc(filter.dueBefore)}`)
  const text = filter.text === undefined ? null : textQuery(filter.text)
  if (text !== null) where.push(sql`t.search @@ to_tsquery('simple', ${text})`)
  return where
}

/** The page query (one row more than `limit`); exported so the benchmark can EXPLAIN exactly what runs. */
export const pageQuery = Effect.fn("TaskQuery.pageQuery")(function* (sql: SqlClient, request: TaskListRequest) {
  const { organizationId: org, filter } = request
  const where = conditions(sql, org, filter)
  // A page filtered by assignees walks `task_assignees` (migration 11) in the inbox's order, one walk per key: each
  // walk's first rows that pass the other conditions, merged, hold the page's first rows (a task two keys name is
  // in both, once). Any other page walks `tasks`. Either way the order is (updated_at, id) of the task.
  const keys = present(filter.assignees) ? [...new Set(assigneeKeys(filter.assignees))] : null
  const [sortAt, sortId] = keys === null ? [sql`t.updated_at`, sql`t.id`] : [sql`a.updated_at`, sql`a.task_id`]
  // A cursor only holds the position, so it continues in whichever order the request names.
  const ascending = request.sort === "updated-asc"
  if (request.cursor !== undefined) {
    const decoded = decodeCursor(request.cursor)
    if (Option.isNone(decoded)) return yield* new InvalidCursor({ cursor: request.cursor })
    const [at, id] = decoded.value
    where.push(
      ascending
        ? sql`(${sortAt}, ${sortId}) > (${at}::timestamptz, ${id})`
        : sql`(${sortAt}, ${sortId}) < (${at}::timestamptz, ${id})`,
    )
  }
  const order = (at: Fragment, id: Fragment) => (ascending ? sql`${at} ASC, ${id} ASC` : sql`${at} DESC, ${id} DESC`)
  // One row more than the page tells whether another page exists without a COUNT.
  const limit = (request.limit ?? defaultPageSize) + 1
  // Written into the text, not bound: a bound LIMIT leaves the generic plan blind to how few rows are wanted (it
  // plans to read the whole organization, hundreds of times slower), so PostgreSQL re-plans every execution instead
  // of reusing the prepared plan — a planning cost as large as the query's. An integer the request schema bounds.
  const limitLiteral = sql.literal(String(Math.trunc(limit)))
  const projected = (sortAtOfRow: Fragment) => sql`SELECT ${taskProjection(sql)} AS task,
    to_char(${sortAtOfRow} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, ${inboxFacts(sql)} AS inbox`
  // A page of `tasks` is read and projected in one pass: PostgreSQL evaluates the projection (its per-row subqueries
  // included) only for the rows the LIMIT keeps — after the sort, when one is needed — so choosing the page first
  // and joining back to `tasks` only added a second probe per row (≈ 9–11% of the query's time at 1,000,000 tasks).
  if (keys === null) {
    return sql`${projected(sql`t.updated_at`)} FROM tasks t WHERE ${sql.and(where)}
      ORDER BY ${order(sortAt, sortId)} LIMIT ${limitLiteral}`
  }
  // An assignee page merges its walks first (DISTINCT over at most keys × limit rows) and projects only the page.
  const page = sql`SELECT DISTINCT w.id, w.sort_at
            FROM unnest(${keys}::text[]) AS k(key) CROSS JOIN LATERAL (
              SELECT t.id, t.updated_at AS sort_at FROM task_assignees a JOIN tasks t ON t.id = a.task_id
              WHERE a.organization_id = ${org} AND a.assignee_key = k.key AND ${sql.and(where)}
              ORDER BY ${order(sortAt, sortId)} LIMIT ${limitLiteral}) w
            ORDER BY ${order(sql`w.sort_at`, sql`w.id`)} LIMIT ${limitLiteral}`
  return sql`${projected(sql`p.sort_at`)} FROM (${page}) p JOIN tasks t ON t.id = p.id
    ORDER BY ${order(sql`p.sort_at`, sql`p.id`)}`
})

/** The inbox facts of the task at alias `t`, as `InboxFacts` JSON. */
const inboxFacts = (sql: SqlClient) => sql`jsonb_build_object(
  'overdue', (t.due_at IS NOT NULL AND t.status NOT IN ('done', 'cancelled') AND t.due_at < now()),
  'hasConflict', EXISTS (SELECT 1 FROM conflicts c WHERE c.task_id = t.id AND c.state = 'open'),
  'hasFailedPush', EXISTS (SELECT 1 FROM outbox o WHERE o.organization_id = t.organization_id AND o.task_id = t.id
                           AND o.state = 'dead'),
  'lastChange', (SELECT jsonb_build_object(
                   'side', CASE WHEN h.origin IN ('pull', 'webhook') THEN 'vendor' ELSE 'local' END,
                   'origin', h.origin, 'actor', h.actor, 'connectionId', h.connection_id,
                   'at', to_char(h.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                 FROM history h WHERE h.task_id = t.id ORDER BY h.id DESC LIMIT 1))`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const read = rows("TaskQuery.list", ListRow)

  const readEncoded = rows("TaskQuery.list", EncodedListRow)

  /** The page and the cursor after it, from rows of either form. */
  const paged = <T>(
    found: ReadonlyArray<{ readonly task: T; readonly at: string }>,
    limit: number,
    idOf: (task: T) => string,
  ) => {
    const items = found.slice(0, limit)
    const last = items.at(-1)
    return {
      items: items.map((row) => row.task),
      nextCursor: found.length > limit && last !== undefined ? encodeCursor(last.at, idOf(last.task)) : null,
    }
  }

  const list = Effect.fn("TaskQuery.list")(function* (request: TaskListRequest) {
    return paged(yield* read(yield* pageQuery(sql, request)), request.limit ?? defaultPageSize, (task) => task.id)
  })

  const listEncoded = Effect.fn("TaskQuery.listEncoded")(function* (request: TaskListRequest) {
    const found = yield* readEncoded(yield* pageQuery(sql, request))
    const withFacts = found.map((row) => ({ task: { ...row.task, inbox: row.inbox } as typeof row.task, at: row.at }))
    const page = paged(withFacts, request.limit ?? defaultPageSize, (task) => String(task.id))
    return page as unknown as EncodedTaskPage
  })

  return TaskQuery.of({ list, listEncoded })
})

export const layer = Layer.effect(TaskQuery, make)
