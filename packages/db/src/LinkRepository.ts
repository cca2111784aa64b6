// LinkRepository on PostgreSQL/PGlite: which canonical subject a vendor record is, and its merge base (the vendor
// record as last synced, stored as `Schema.toCodecJson(VendorRecord)`) with the content hash for change detection.
import { PgClient } from "@effect/sql-pg"
import { type ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import { LinkRepository, PersistenceError, SubjectKey } from "@taskbridge/domain/ports/Repositories"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Effect, Layer, Schema } from "effect"
import { encode, firstRow, rows } from "./internal/Store.ts"

const VendorRecordJson = Schema.toCodecJson(VendorRecord)
const LinkRow = Schema.Struct({
  subject: SubjectKey,
  base: Schema.NullOr(VendorRecordJson),
  hash: Schema.NullOr(Schema.String),
})
const RecordLinkRow = Schema.Struct({ record: VendorRecordId, ...LinkRow.fields })
const RecordIdRow = Schema.Struct({ record: VendorRecordId })

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const encodeRecord = encode("LinkRepository.putBase", VendorRecordJson)

  const linkColumns = sql`
    CASE WHEN task_id IS NOT NULL THEN jsonb_build_object('kind', 'task', 'id', task_id)
         ELSE jsonb_build_object('kind', 'escalation', 'id', escalation_id) END AS subject,
    base, base_hash AS hash`

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
    const found = yield* rows(
      "LinkRepository.findMany",
      RecordLinkRow,
    )(sql`
      SELECT record_id AS record, ${linkColumns}
      FROM links WHERE connection_id = ${connection} AND record_id = ANY(${records}::text[])`)
    return new Map(found.map(({ record, ...link }) => [record, link]))
  })

  const putBases = Effect.fn("LinkRepository.putBases")(function* (
    connection: ConnectionId,
    bases: ReadonlyArray<{ readonly record: VendorRecord; readonly hash: string }>,
  ) {
    if (bases.length === 0) return
    const input = yield* Effect.forEach(bases, ({ record, hash }) =>
      Effect.map(encodeRecord(record), (base) => ({ record_id: record.id, base, hash })),
    )
    // The id list lets the planner fetch exactly those links by (connection_id, record_id) before joining the input,
    // whatever it guesses about the size of the JSON recordset.
    const ids = bases.map(({ record }) => record.id)
    const updated = yield* rows(
      "LinkRepository.putBase",
      RecordIdRow,
    )(sql`
      UPDATE links SET base = x.base, base_hash = x.hash
      FROM jsonb_to_recordset(${sql.json(input)}) AS x(record_id text, base jsonb, hash text)
      WHERE links.connection_id = ${connection} AND links.record_id = ANY(${ids}::text[])
        AND links.record_id = x.record_id
      RETURNING links.record_id AS record`)
    // A base without a link would belong to no subject: the engine links the record (insert) first.
    const linked = new Set<string>(updated.map((row) => row.record))
    const missing = ids.filter((id) => !linked.has(id))
    if (missing.length > 0) {
      return yield* new PersistenceError({
        operation: "LinkRepository.putBase",
        detail: `no link for record ${missing.join(", ")} at connection ${connection}`,
      })
    }
  })

  const putBase = (connection: ConnectionId, record: VendorRecord, hash: string) =>
    putBases(connection, [{ record, hash }])

  return LinkRepository.of({ find, findMany, putBase, putBases })
})

export const layer = Layer.effect(LinkRepository, make)
