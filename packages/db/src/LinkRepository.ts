// LinkRepository on PostgreSQL/PGlite: which canonical subject a vendor record is, and its merge base (the vendor
// record as last synced, stored as `Schema.toCodecJson(VendorRecord)`) with the content hash for change detection.
import { PgClient } from "@effect/sql-pg"
import type { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import { LinkRepository, PersistenceError, SubjectKey } from "@taskbridge/domain/ports/Repositories"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Effect, Layer, Schema } from "effect"
import { encode, firstRow } from "./internal/Store.ts"

const VendorRecordJson = Schema.toCodecJson(VendorRecord)
const LinkRow = Schema.Struct({
  subject: SubjectKey,
  base: Schema.NullOr(VendorRecordJson),
  hash: Schema.NullOr(Schema.String),
})
const IdRow = Schema.Struct({ id: Schema.String })

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const encodeRecord = encode("LinkRepository.putBase", VendorRecordJson)

  const find = Effect.fn("LinkRepository.find")(function* (connection: ConnectionId, record: VendorRecordId) {
    return yield* firstRow(
      "LinkRepository.find",
      LinkRow,
    )(sql`
      SELECT CASE WHEN task_id IS NOT NULL THEN jsonb_build_object('kind', 'task', 'id', task_id)
                  ELSE jsonb_build_object('kind', 'escalation', 'id', escalation_id) END AS subject,
             base, base_hash AS hash
      FROM links WHERE connection_id = ${connection} AND record_id = ${record}`)
  })

  const putBase = Effect.fn("LinkRepository.putBase")(function* (
    connection: ConnectionId,
    record: VendorRecord,
    hash: string,
  ) {
    const base = yield* encodeRecord(record)
    const updated = yield* firstRow(
      "LinkRepository.putBase",
      IdRow,
    )(sql`
      UPDATE links SET base = ${sql.json(base)}, base_hash = ${hash}
      WHERE connection_id = ${connection} AND record_id = ${record.id}
      RETURNING id`)
    // A base without a link would belong to no subject: the engine links the record (insert) first.
    if (updated === null) {
      return yield* new PersistenceError({
        operation: "LinkRepository.putBase",
        detail: `no link for record ${record.id} at connection ${connection}`,
      })
    }
  })

  return LinkRepository.of({ find, putBase })
})

export const layer = Layer.effect(LinkRepository, make)
