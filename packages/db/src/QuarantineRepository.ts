// QuarantineRepository on PostgreSQL/PGlite: vendor records a pull could not read, one row per connection and record
// (counted each time it is seen broken), released when a later pull reads the record fine.
import { createHash } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import type { ConnectionId, OrganizationId, VendorRecordId } from "@taskbridge/domain/Ids"
import { Quarantined, QuarantineRepository } from "@taskbridge/domain/ports/Repositories"
import type { QuarantinedRecord } from "@taskbridge/domain/ports/VendorAdapter"
import { DateTime, Effect, Layer, Schema } from "effect"
import { exec, rows } from "./internal/Store.ts"

const Row = Schema.Struct({ held: Schema.toCodecJson(Quarantined) })
const CountRow = Schema.Struct({ connection: Schema.String, held: Schema.Number })

/** The row's key: the vendor's id, or (no readable id) a digest of what was wrong with it and what it held. */
const keyOf = (record: QuarantinedRecord) =>
  record.recordId !== null
    ? `id:${record.recordId}`
    : `digest:${createHash("sha256")
        .update(`${record.reason}\u0000${JSON.stringify(record.payload)}`)
        .digest("hex")}`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const hold = Effect.fn("QuarantineRepository.hold")(function* (
    org: OrganizationId,
    connection: ConnectionId,
    records: ReadonlyArray<QuarantinedRecord>,
    now: DateTime.Utc,
  ) {
    // One row per key even when a page repeats a record: the last one wins.
    const byKey = new Map(records.map((r) => [keyOf(r), r]))
    if (byKey.size === 0) return
    const at = DateTime.toDateUtc(now).toISOString()
    const input = [...byKey.entries()].map(([key, r]) => ({
      record_key: key,
      record_id: r.recordId,
      reason: r.reason,
      payload: r.payload,
    }))
    yield* exec("QuarantineRepository.hold")(sql`
      INSERT INTO quarantined_records
        (connection_id, record_key, organization_id, record_id, reason, payload, first_seen_at, last_seen_at)
      SELECT ${connection}, record_key, ${org}, record_id, reason, payload, ${at}::timestamptz, ${at}::timestamptz
      FROM jsonb_to_recordset(${sql.json(input)}) AS x(record_key text, record_id text, reason text, payload jsonb)
      ON CONFLICT (connection_id, record_key) DO UPDATE SET
        reason = EXCLUDED.reason, payload = EXCLUDED.payload, last_seen_at = EXCLUDED.last_seen_at,
        seen = quarantined_records.seen + 1`)
  })

  const release = Effect.fn("QuarantineRepository.release")(function* (
    connection: ConnectionId,
    records: ReadonlyArray<VendorRecordId>,
  ) {
    if (records.length === 0) return
    yield* exec("QuarantineRepository.release")(sql`
      DELETE FROM quarantined_records
      WHERE connection_id = ${connection} AND record_key = ANY(${records.map((r) => `id:${r}`)}::text[])`)
  })

  const list = Effect.fn("QuarantineRepository.list")(function* (
    org: OrganizationId,
    options: { readonly connectionId?: ConnectionId | undefined; readonly limit: number },
  ) {
    const where = [sql`q.organization_id = ${org}`]
    if (options.connectionId !== undefined) where.push(sql`q.connection_id = ${options.connectionId}`)
    const found = yield* rows(
      "QuarantineRepository.list",
      Row,
    )(sql`
      SELECT jsonb_build_object(
        'connectionId', q.connection_id, 'recordId', q.record_id, 'reason', q.reason, 'payload', q.payload,
        'seen', q.seen, 'firstSeenAt', q.first_seen_at, 'lastSeenAt', q.last_seen_at) AS held
      FROM quarantined_records q WHERE ${sql.and(where)}
      ORDER BY q.last_seen_at DESC, q.connection_id, q.record_key
      LIMIT ${options.limit}`)
    return found.map((row) => row.held)
  })

  const counts = Effect.fn("QuarantineRepository.counts")(function* (org: OrganizationId) {
    const found = yield* rows(
      "QuarantineRepository.counts",
      CountRow,
    )(sql`
      SELECT connection_id AS connection, count(*)::int AS held FROM quarantined_records
      WHERE organization_id = ${org} GROUP BY connection_id`)
    return new Map(found.map((r) => [r.connection as ConnectionId, r.held]))
  })

  return QuarantineRepository.of({ hold, release, list, counts })
})

export const layer = Layer.effect(QuarantineRepository, make)
