// HistoryRepository on PostgreSQL/PGlite: the append-only audit trail of every change with its origin. Only INSERT
// and SELECT are issued here; the database's triggers refuse anything else (migration 0004).
import { PgClient } from "@effect/sql-pg"
import type { OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import { FieldChange, type HistoryEntry, HistoryRecord, HistoryRepository } from "@taskbridge/domain/ports/Repositories"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import * as Arrays from "./internal/Arrays.ts"
import { encodeRows, exec, rows } from "./internal/Store.ts"

const RecordRow = Schema.Struct({ record: Schema.toCodecJson(HistoryRecord) })

/** The history row at alias `h`, in the shape `Schema.toCodecJson(HistoryRecord)` reads. */
export const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', h.id::text, 'organizationId', h.organization_id,
  'taskId', h.task_id, 'origin', h.origin,
  'actor', h.actor, 'connectionId', h.connection_id, 'changes', h.changes, 'at', h.at)`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const changesOf = encodeRows("HistoryRepository.append", Schema.toCodecJson(Schema.Array(FieldChange)))

  // Any number of entries in one statement, in the order given (ids are assigned row by row).
  const appendMany = Effect.fn("HistoryRepository.appendMany")(function* (entries: ReadonlyArray<HistoryEntry>) {
    if (entries.length === 0) return
    const rows = yield* changesOf((encode) =>
      entries.map((entry) => ({
        organization_id: entry.organizationId,
        task_id: entry.taskId,
        origin: entry.origin,
        actor: entry.actor,
        connection_id: entry.connectionId,
        changes: encode(entry.changes),
      })),
    )
    // One typed array per column (`Arrays`); WITH ORDINALITY keeps the given order for the ids.
    yield* exec("HistoryRepository.append")(sql`
      INSERT INTO history (organization_id, task_id, origin, actor, connection_id, changes)
      SELECT organization_id, task_id, origin, actor, connection_id, changes
      FROM unnest(${Arrays.texts(rows.map((r) => r.organization_id))}::text[],
                  ${Arrays.texts(rows.map((r) => r.task_id))}::text[], ${Arrays.texts(rows.map((r) => r.origin))}::text[],
                  ${Arrays.texts(rows.map((r) => r.actor))}::text[],
                  ${Arrays.texts(rows.map((r) => r.connection_id))}::text[],
                  ${Arrays.jsons(rows.map((r) => r.changes))}::jsonb[])
        WITH ORDINALITY AS x(organization_id, task_id, origin, actor, connection_id, changes, n)
      ORDER BY n`)
  })

  const append = (entry: HistoryEntry) => appendMany([entry])

  const list = Effect.fn("HistoryRepository.list")(function* (org: OrganizationId, task: TaskId) {
    const found = yield* rows(
      "HistoryRepository.list",
      RecordRow,
    )(sql`
      SELECT ${projection(sql)} AS record
      FROM history h
      WHERE h.organization_id = ${org} AND h.task_id = ${task}
      ORDER BY h.id`)
    return found.map((row) => row.record)
  })

  return HistoryRepository.of({ append, appendMany, list })
})

export const layer = Layer.effect(HistoryRepository, make)
