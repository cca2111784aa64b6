// OutboxRepository on PostgreSQL/PGlite: local changes waiting to be pushed, read oldest-first per task and
// connection. Enqueueing supersedes older unsent updates whose fields the new change covers, in the same statement.
import { PgClient } from "@effect/sql-pg"
import type { ConnectionId, OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import {
  type NewOutboxEntry,
  OutboxEntry,
  OutboxPayload,
  OutboxRepository,
  type OutboxState,
} from "@taskbridge/domain/ports/Repositories"
import type { RecordChange } from "@taskbridge/domain/VendorRecord"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { encode, exec, firstRow, rows } from "./internal/Store.ts"

const EntryRow = Schema.Struct({ entry: Schema.toCodecJson(OutboxEntry) })
const SentRow = Schema.Struct({ id: Schema.String, more: Schema.Boolean })

/** The outbox row at alias `o`, in the shape `Schema.toCodecJson(OutboxEntry)` reads. */
export const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', o.id::text, 'organizationId', o.organization_id, 'connectionId', o.connection_id,
  'taskId', o.task_id, 'recordId', o.record_id,
  'payload', o.change, 'fields', to_jsonb(o.fields), 'state', o.state, 'attempts', o.attempts,
  'lastError', o.last_error, 'createdAt', o.created_at, 'updatedAt', o.updated_at)`

/**
 * The vendor-side fields an update writes. A note is appended, never replaced, and extension patches are partial,
 * so they are named per sub-field; a create writes everything and is never superseded, so it names none.
 */
export const changedFields = (payload: OutboxPayload): Array<string> => {
  if (payload.operation === "create") return []
  const change: RecordChange = payload.change
  return [
    ...Object.keys(change.fields),
    ...(change.vendorStatus === undefined ? [] : ["status"]),
    ...(change.note === undefined ? [] : ["note"]),
    ...Object.keys(change.extension ?? {})
      .filter((key) => key !== "_tag")
      .map((key) => `extension.${key}`),
  ]
}

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const encodePayload = encode("OutboxRepository.enqueue", Schema.toCodecJson(OutboxPayload))
  const one = (operation: string) => firstRow(operation, EntryRow)

  // Any number of changes in one statement. A pending update is superseded when every field it writes is written again
  // by a newer change of the same task and it carries no note (notes append); a create names no fields, so it
  // supersedes nothing and is never superseded. The older change can never be superseded without the newer one queued.
  const enqueueMany = Effect.fn("OutboxRepository.enqueueMany")(function* (entries: ReadonlyArray<NewOutboxEntry>) {
    if (entries.length === 0) return []
    const input = yield* Effect.forEach(entries, (entry) =>
      Effect.map(encodePayload(entry.payload), (change) => ({
        organization_id: entry.organizationId,
        connection_id: entry.connectionId,
        task_id: entry.taskId,
        record_id: entry.recordId,
        operation: entry.payload.operation,
        change,
        fields: changedFields(entry.payload),
      })),
    )
    const found = yield* rows(
      "OutboxRepository.enqueue",
      EntryRow,
    )(sql`
      WITH input AS (
        SELECT * FROM ROWS FROM (jsonb_to_recordset(${sql.json(input)}) AS (organization_id text, connection_id text,
          task_id text, record_id text, operation text, change jsonb, fields text[]))
          WITH ORDINALITY AS x(organization_id, connection_id, task_id, record_id, operation, change, fields, n)
      ), superseded AS (
        UPDATE outbox SET state = 'superseded', updated_at = now()
        FROM input i
        WHERE outbox.connection_id = i.connection_id AND outbox.task_id = i.task_id
          AND outbox.state = 'pending' AND outbox.operation = 'update'
          AND cardinality(outbox.fields) > 0 AND NOT ('note' = ANY(outbox.fields)) AND outbox.fields <@ i.fields
        RETURNING outbox.id
      ), o AS (
        INSERT INTO outbox (organization_id, connection_id, task_id, record_id, operation, change, fields)
        SELECT organization_id, connection_id, task_id, record_id, operation, change, fields FROM input ORDER BY n
        RETURNING *
      )
      SELECT ${projection(sql)} AS entry FROM o ORDER BY o.id`)
    return found.map((row) => row.entry)
  })

  const enqueue = Effect.fn("OutboxRepository.enqueue")(function* (entry: NewOutboxEntry) {
    const [queued] = yield* enqueueMany([entry])
    if (queued === undefined) return yield* Effect.die("INSERT … RETURNING returned no row")
    return queued
  })

  const next = Effect.fn("OutboxRepository.next")(function* (connection: ConnectionId, task: TaskId) {
    const row = yield* one("OutboxRepository.next")(sql`
      SELECT ${projection(sql)} AS entry FROM outbox o
      WHERE o.connection_id = ${connection} AND o.task_id = ${task} AND o.state IN ('pending', 'sending')
      ORDER BY o.id LIMIT 1`)
    return row?.entry ?? null
  })

  const unfinished = Effect.fn("OutboxRepository.unfinished")(function* (
    connection: ConnectionId,
    tasks: ReadonlyArray<TaskId>,
  ) {
    if (tasks.length === 0) return []
    const found = yield* rows(
      "OutboxRepository.unfinished",
      EntryRow,
    )(sql`
      SELECT ${projection(sql)} AS entry FROM outbox o
      WHERE o.connection_id = ${connection} AND o.task_id = ANY(${tasks}::text[]) AND o.state IN ('pending', 'sending')
      ORDER BY o.id`)
    return found.map((row) => row.entry)
  })

  const claim = Effect.fn("OutboxRepository.claim")(function* (id: string) {
    // `sending` may be claimed again: a worker that died mid-send left it so, and the engine resumes it.
    const row = yield* one("OutboxRepository.claim")(sql`
      WITH o AS (
        UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = now()
        WHERE id = ${id}::bigint AND state IN ('pending', 'sending')
        RETURNING *
      )
      SELECT ${projection(sql)} AS entry FROM o`)
    return row?.entry ?? null
  })

  const mark = Effect.fn("OutboxRepository.mark")(function* (
    id: string,
    state: "pending" | "sent" | "dead" | "discarded",
    error: string | null,
  ) {
    yield* exec("OutboxRepository.mark")(
      sql`UPDATE outbox SET state = ${state}, last_error = ${error}, updated_at = now() WHERE id = ${id}::bigint`,
    )
  })

  const markSentMany = Effect.fn("OutboxRepository.markSentMany")(function* (ids: ReadonlyArray<string>) {
    if (ids.length === 0) return new Map<string, boolean>()
    // The EXISTS reads the snapshot the statement began with, where the named rows are still unsent: they are left
    // out by id, so what is left is what their tasks still have queued.
    const found = yield* rows(
      "OutboxRepository.markSent",
      SentRow,
    )(sql`
      WITH sent AS (
        UPDATE outbox SET state = 'sent', last_error = NULL, updated_at = now() WHERE id = ANY(${ids}::bigint[])
        RETURNING id, connection_id, task_id
      )
      SELECT s.id::text AS id, EXISTS (
        SELECT 1 FROM outbox o
        WHERE o.connection_id = s.connection_id AND o.task_id = s.task_id AND o.state IN ('pending', 'sending')
          AND o.id <> ALL(${ids}::bigint[])
      ) AS more FROM sent s`)
    return new Map(found.map((row) => [row.id, row.more]))
  })

  const markSent = Effect.fn("OutboxRepository.markSent")(function* (id: string) {
    return (yield* markSentMany([id])).get(id) ?? false
  })

  const list = Effect.fn("OutboxRepository.list")(function* (
    org: OrganizationId,
    options: { readonly state: OutboxState; readonly connection?: ConnectionId; readonly limit: number },
  ) {
    const where = [sql`o.organization_id = ${org}`, sql`o.state = ${options.state}`]
    if (options.connection !== undefined) where.push(sql`o.connection_id = ${options.connection}`)
    const found = yield* rows(
      "OutboxRepository.list",
      EntryRow,
    )(
      sql`SELECT ${projection(sql)} AS entry FROM outbox o WHERE ${sql.and(where)} ORDER BY o.id LIMIT ${options.limit}`,
    )
    return found.map((row) => row.entry)
  })

  return OutboxRepository.of({ enqueue, enqueueMany, next, unfinished, claim, mark, markSent, markSentMany, list })
})

export const layer = Layer.effect(OutboxRepository, make)
