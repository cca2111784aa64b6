// LinkRepository on PostgreSQL/PGlite: which task a vendor record is, its parent, its merge base (the vendor record
// as last synced, stored as `Schema.toCodecJson(VendorRecord)`) with the content hash for change detection, the full
// listing that last saw it (mark and sweep) and its tombstone. Every write takes a whole page in one statement.
import { PgClient } from "@effect/sql-pg"
import { type ConnectionId, TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import { LinkRepository, type LinkUpdate, PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Layer, Schema } from "effect"
import * as Arrays from "./internal/Arrays.ts"
import { exec, firstRow, rows } from "./internal/Store.ts"

const VendorRecordJson = Schema.toCodecJson(VendorRecord)
const LinkRow = Schema.Struct({
  taskId: TaskId,
  parent: Schema.NullOr(Schema.String),
  base: Schema.NullOr(VendorRecordJson),
  hash: Schema.NullOr(Schema.String),
  deletedAt: Schema.NullOr(Schema.toCodecJson(Schema.DateTimeUtc)),
  syncedAt: Schema.NullOr(Schema.toCodecJson(Schema.DateTimeUtc)),
})
const RecordLinkRow = Schema.Struct({ record: VendorRecordId, ...LinkRow.fields })
const RecordIdRow = Schema.Struct({ record: VendorRecordId })
const TombstoneRow = Schema.Struct({ recordId: VendorRecordId, taskId: TaskId })
const CountRow = Schema.Struct({ live: Schema.Int })

const toDate = (at: DateTime.Utc) => DateTime.toDateUtc(at)

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const linkColumns = sql`task_id AS "taskId", parent, base, base_hash AS hash,
    to_char(deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "deletedAt",
    to_char(synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "syncedAt"`

  // A namespaced two-key transaction lock (as RateBudgetRepository's), taken in its own statement so that the reads
  // after it see every row its previous holder committed.
  const lock = Effect.fn("LinkRepository.lock")(function* (connection: ConnectionId) {
    yield* exec("LinkRepository.lock")(
      sql`SELECT pg_advisory_xact_lock(hashtext('taskbridge.links'), hashtext(${connection}))`,
    )
  })

  const find = Effect.fn("LinkRepository.find")(function* (connection: ConnectionId, record: VendorRecordId) {
    return yield* firstRow(
      "LinkRepository.find",
      LinkRow,
    )(sql`SELECT ${linkColumns} FROM links WHERE connection_id = ${connection} AND record_id = ${record}`)
  })

  const findMany = Effect.fn("LinkRepository.findMany")(function* (
    connection: ConnectionId,
    records: ReadonlyArray<VendorRecordId>,
  ) {
    if (records.length === 0) return new Map()
    const found = yield* rows(
      "LinkRepository.findMany",
      RecordLinkRow,
    )(sql`
      SELECT record_id AS record, ${linkColumns}
      FROM links WHERE connection_id = ${connection} AND record_id = ANY(${records}::text[])`)
    return new Map(found.map(({ record, ...link }) => [record, link]))
  })

  const record = Effect.fn("LinkRepository.record")(function* (
    connection: ConnectionId,
    updates: ReadonlyArray<LinkUpdate>,
  ) {
    if (updates.length === 0) return
    // The id list lets the planner fetch exactly those links by (connection_id, record_id) before joining the input,
    // whatever it guesses about the size of the arrays. One typed array per column (`Arrays`).
    const ids = updates.map((u) => u.recordId)
    const updated = yield* rows(
      "LinkRepository.record",
      RecordIdRow,
    )(sql`
      UPDATE links SET vendor_status = x.vendor_status, extension = x.extension, parent = x.parent,
        synced_at = x.synced_at, base = x.base, base_hash = x.hash, deleted_at = NULL
      FROM unnest(${Arrays.texts(ids)}::text[], ${Arrays.texts(updates.map((u) => u.vendorStatus))}::text[],
                  ${Arrays.jsons(updates.map((u) => (u.extension === null ? null : encodeExtension(u.extension))))}::jsonb[],
                  ${Arrays.texts(updates.map((u) => u.parent))}::text[],
                  ${Arrays.instants(updates.map((u) => DateTime.toEpochMillis(u.syncedAt)))}::timestamptz[],
                  ${Arrays.jsonTexts(updates.map((u) => u.text ?? JSON.stringify(u.base)))}::jsonb[],
                  ${Arrays.texts(updates.map((u) => u.hash))}::text[])
        AS x(record_id, vendor_status, extension, parent, synced_at, base, hash)
      WHERE links.connection_id = ${connection} AND links.record_id = ANY(${ids}::text[])
        AND links.record_id = x.record_id
      RETURNING links.record_id AS record`)
    // A base without a link would belong to no task: the engine links the record (insert) first.
    const linked = new Set<string>(updated.map((row) => row.record))
    const missing = ids.filter((id) => !linked.has(id))
    if (missing.length > 0) {
      return yield* new PersistenceError({
        operation: "LinkRepository.record",
        detail: `no link for record ${missing.slice(0, 5).join(", ")} at connection ${connection}`,
      })
    }
  })

  const markSeen = Effect.fn("LinkRepository.markSeen")(function* (
    connection: ConnectionId,
    generation: string,
    records: ReadonlyArray<VendorRecordId>,
  ) {
    if (records.length === 0) return
    yield* exec("LinkRepository.markSeen")(sql`
      UPDATE links SET seen_generation = ${generation}
      WHERE connection_id = ${connection} AND record_id = ANY(${records}::text[])
        AND seen_generation IS DISTINCT FROM ${generation}`)
  })

  const unseen = Effect.fn("LinkRepository.unseen")(function* (
    connection: ConnectionId,
    generation: string,
    startedAt: DateTime.Utc,
  ) {
    const missing = yield* rows(
      "LinkRepository.unseen",
      RecordIdRow,
    )(sql`
      SELECT record_id AS record FROM links
      WHERE connection_id = ${connection} AND deleted_at IS NULL AND seen_generation IS DISTINCT FROM ${generation}
        AND (synced_at IS NULL OR synced_at < ${toDate(startedAt)})
      ORDER BY record_id`)
    const count = yield* firstRow(
      "LinkRepository.unseen",
      CountRow,
    )(sql`SELECT count(*)::int AS live FROM links WHERE connection_id = ${connection} AND deleted_at IS NULL`)
    return { records: missing.map((row) => row.record), live: count?.live ?? 0 }
  })

  const tombstone = Effect.fn("LinkRepository.tombstone")(function* (
    connection: ConnectionId,
    records: ReadonlyArray<VendorRecordId>,
    at: DateTime.Utc,
  ) {
    if (records.length === 0) return []
    return yield* rows(
      "LinkRepository.tombstone",
      TombstoneRow,
    )(sql`
      UPDATE links SET deleted_at = ${toDate(at)}
      WHERE connection_id = ${connection} AND record_id = ANY(${records}::text[]) AND deleted_at IS NULL
      RETURNING record_id AS "recordId", task_id AS "taskId"`)
  })

  return LinkRepository.of({ lock, find, findMany, record, markSeen, unseen, tombstone })
})

const encodeExtension = Schema.encodeSync(Schema.toCodecJson(VendorRecord.fields.snapshot.fields.extension))

export const layer = Layer.effect(LinkRepository, make)
