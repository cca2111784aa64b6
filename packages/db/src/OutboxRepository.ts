// OutboxRepository on PostgreSQL/PGlite: local changes waiting to be pushed, read oldest-first per subject and
// connection. Enqueueing supersedes older unsent updates whose fields the new change covers, in the same statement.
import { PgClient } from "@effect/sql-pg"
import type { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import {
  type NewOutboxEntry,
  OutboxEntry,
  OutboxPayload,
  OutboxRepository,
  type OutboxState,
  type SubjectKey,
} from "@taskbridge/domain/ports/Repositories"
import type { RecordChange } from "@taskbridge/domain/VendorRecord"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { encode, exec, firstRow, rows } from "./internal/Store.ts"

const EntryRow = Schema.Struct({ entry: Schema.toCodecJson(OutboxEntry) })

/** The outbox row at alias `o`, in the shape `Schema.toCodecJson(OutboxEntry)` reads. */
export const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', o.id::text, 'organizationId', o.organization_id, 'connectionId', o.connection_id,
  'subject', jsonb_build_object('kind', o.subject_kind, 'id', o.subject_id), 'recordId', o.record_id,
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

  const enqueue = Effect.fn("OutboxRepository.enqueue")(function* (entry: NewOutboxEntry) {
    const fields = changedFields(entry.payload)
    const change = yield* encodePayload(entry.payload)
    const { subject } = entry
    // One statement: the older change can never be superseded without the newer one being queued. A pending update
    // is superseded when every field it writes is written again by this one and it carries no note (notes append).
    // A create names no fields, so it supersedes nothing.
    const row = yield* one("OutboxRepository.enqueue")(sql`
      WITH superseded AS (
        UPDATE outbox SET state = 'superseded', updated_at = now()
        WHERE connection_id = ${entry.connectionId} AND subject_kind = ${subject.kind} AND subject_id = ${subject.id}
          AND state = 'pending' AND operation = 'update'
          AND cardinality(fields) > 0 AND NOT ('note' = ANY(fields)) AND fields <@ ${fields}::text[]
        RETURNING id
      ), o AS (
        INSERT INTO outbox (organization_id, connection_id, subject_kind, subject_id, record_id, operation, change, fields)
        VALUES (${entry.organizationId}, ${entry.connectionId}, ${subject.kind}, ${subject.id}, ${entry.recordId},
                ${entry.payload.operation}, ${sql.json(change)}, ${fields}::text[])
        RETURNING *
      )
      SELECT ${projection(sql)} AS entry FROM o`)
    if (row === null) return yield* Effect.die("INSERT … RETURNING returned no row")
    return row.entry
  })

  const next = Effect.fn("OutboxRepository.next")(function* (connection: ConnectionId, subject: SubjectKey) {
    const row = yield* one("OutboxRepository.next")(sql`
      SELECT ${projection(sql)} AS entry FROM outbox o
      WHERE o.connection_id = ${connection} AND o.subject_kind = ${subject.kind} AND o.subject_id = ${subject.id}
        AND o.state IN ('pending', 'sending')
      ORDER BY o.id LIMIT 1`)
    return row?.entry ?? null
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

  return OutboxRepository.of({ enqueue, next, claim, mark, list })
})

export const layer = Layer.effect(OutboxRepository, make)
