// ConflictRepository on PostgreSQL/PGlite: merge conflicts the engine could not decide, at most one open per
// task, connection and field (a replayed pull refreshes it), until an operator resolves it.
import { PgClient } from "@effect/sql-pg"
import type { OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import {
  ConflictNotOpen,
  ConflictRecord,
  ConflictRepository,
  type NewConflict,
} from "@taskbridge/domain/ports/Repositories"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { exec, firstRow, rows } from "./internal/Store.ts"

const ConflictRow = Schema.Struct({ conflict: Schema.toCodecJson(ConflictRecord) })

/** The conflict row at alias `c`, in the shape `Schema.toCodecJson(ConflictRecord)` reads. */
const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', c.id::text, 'organizationId', c.organization_id,
  'taskId', c.task_id, 'connectionId', c.connection_id,
  'field', c.field, 'base', c.base, 'local', c.local, 'remote', c.remote, 'state', c.state,
  'resolution', c.resolution, 'resolvedBy', c.resolved_by, 'createdAt', c.created_at, 'resolvedAt', c.resolved_at)`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const upsert = (conflicts: ReadonlyArray<NewConflict>) => {
    const input = conflicts.map((c) => ({
      organization_id: c.organizationId,
      task_id: c.taskId,
      connection_id: c.connectionId,
      field: c.field,
      base: c.base,
      local: c.local,
      remote: c.remote,
    }))
    // A page may name one field twice (a record listed twice); the later value wins, as the merge of its copies did.
    return sql`
      WITH input AS (
        SELECT DISTINCT ON (task_id, connection_id, field) *
        FROM ROWS FROM (jsonb_to_recordset(${sql.json(input)}) AS (organization_id text, task_id text,
          connection_id text, field text, base jsonb, local jsonb, remote jsonb)) WITH ORDINALITY AS x(organization_id,
          task_id, connection_id, field, base, local, remote, n)
        ORDER BY task_id, connection_id, field, n DESC
      ), c AS (
        INSERT INTO conflicts (organization_id, task_id, connection_id, field, base, local, remote)
        -- A side may be JSON null (no description), which jsonb_to_recordset reads as SQL NULL: it is kept as null.
        SELECT organization_id, task_id, connection_id, field, COALESCE(base, 'null'::jsonb),
               COALESCE(local, 'null'::jsonb), COALESCE(remote, 'null'::jsonb) FROM input
        ON CONFLICT (task_id, connection_id, field) WHERE state = 'open'
        DO UPDATE SET base = excluded.base, local = excluded.local, remote = excluded.remote
        RETURNING *
      )
      SELECT ${projection(sql)} AS conflict FROM c`
  }

  const record = Effect.fn("ConflictRepository.record")(function* (conflict: NewConflict) {
    const row = yield* firstRow("ConflictRepository.record", ConflictRow)(upsert([conflict]))
    if (row === null) return yield* Effect.die("INSERT … RETURNING returned no row")
    return row.conflict
  })

  const recordMany = Effect.fn("ConflictRepository.recordMany")(function* (conflicts: ReadonlyArray<NewConflict>) {
    if (conflicts.length === 0) return
    yield* exec("ConflictRepository.recordMany")(upsert(conflicts))
  })

  const open = Effect.fn("ConflictRepository.open")(function* (org: OrganizationId, task?: TaskId) {
    const where = [sql`c.organization_id = ${org}`, sql`c.state = 'open'`]
    if (task !== undefined) where.push(sql`c.task_id = ${task}`)
    const found = yield* rows(
      "ConflictRepository.open",
      ConflictRow,
    )(sql`SELECT ${projection(sql)} AS conflict FROM conflicts c WHERE ${sql.and(where)} ORDER BY c.id`)
    return found.map((row) => row.conflict)
  })

  const resolve = Effect.fn("ConflictRepository.resolve")(function* (
    org: OrganizationId,
    id: string,
    value: Schema.Json,
    by: string | null,
  ) {
    // Ids are bigserial; anything else cannot name a conflict, and must not reach the cast as a SQL error.
    if (!/^\d{1,18}$/.test(id)) return yield* new ConflictNotOpen({ id })
    const row = yield* firstRow(
      "ConflictRepository.resolve",
      ConflictRow,
    )(sql`
      WITH c AS (
        UPDATE conflicts SET state = 'resolved', resolution = ${sql.json(value)}, resolved_by = ${by},
          resolved_at = now()
        WHERE organization_id = ${org} AND id = ${id}::bigint AND state = 'open'
        RETURNING *
      )
      SELECT ${projection(sql)} AS conflict FROM c`)
    if (row === null) return yield* new ConflictNotOpen({ id })
    return row.conflict
  })

  return ConflictRepository.of({ record, recordMany, open, resolve })
})

export const layer = Layer.effect(ConflictRepository, make)
