// HistoryRepository on PostgreSQL/PGlite: the append-only audit trail of every change with its origin. Only INSERT
// and SELECT are issued here; the database's triggers refuse anything else (migration 0004).
import { PgClient } from "@effect/sql-pg"
import type { OrganizationId } from "@taskbridge/domain/Ids"
import {
  FieldChange,
  type HistoryEntry,
  HistoryRecord,
  HistoryRepository,
  type SubjectKey,
} from "@taskbridge/domain/ports/Repositories"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { encode, exec, rows } from "./internal/Store.ts"

const RecordRow = Schema.Struct({ record: Schema.toCodecJson(HistoryRecord) })

/** The history row at alias `h`, in the shape `Schema.toCodecJson(HistoryRecord)` reads. */
export const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', h.id::text, 'organizationId', h.organization_id,
  'subject', jsonb_build_object('kind', h.subject_kind, 'id', h.subject_id), 'origin', h.origin,
  'actor', h.actor, 'connectionId', h.connection_id, 'changes', h.changes, 'at', h.at)`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const encodeChanges = encode("HistoryRepository.append", Schema.toCodecJson(Schema.Array(FieldChange)))

  const append = Effect.fn("HistoryRepository.append")(function* (entry: HistoryEntry) {
    const changes = yield* encodeChanges(entry.changes)
    yield* exec("HistoryRepository.append")(sql`
      INSERT INTO history (organization_id, subject_kind, subject_id, origin, actor, connection_id, changes)
      VALUES (${entry.organizationId}, ${entry.subject.kind}, ${entry.subject.id}, ${entry.origin}, ${entry.actor},
              ${entry.connectionId}, ${sql.json(changes)})`)
  })

  const list = Effect.fn("HistoryRepository.list")(function* (org: OrganizationId, subject: SubjectKey) {
    const found = yield* rows(
      "HistoryRepository.list",
      RecordRow,
    )(sql`
      SELECT ${projection(sql)} AS record
      FROM history h
      WHERE h.organization_id = ${org} AND h.subject_kind = ${subject.kind} AND h.subject_id = ${subject.id}
      ORDER BY h.id`)
    return found.map((row) => row.record)
  })

  return HistoryRepository.of({ append, list })
})

export const layer = Layer.effect(HistoryRepository, make)
