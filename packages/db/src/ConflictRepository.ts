// ConflictRepository on PostgreSQL/PGlite: merge conflicts the engine could not decide, at most one open per
// subject, connection and field (a replayed pull refreshes it), until an operator resolves it.
import { PgClient } from "@effect/sql-pg"
import type { OrganizationId } from "@taskbridge/domain/Ids"
import {
  ConflictNotOpen,
  ConflictRecord,
  ConflictRepository,
  type NewConflict,
  type SubjectKey,
} from "@taskbridge/domain/ports/Repositories"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { firstRow, rows } from "./internal/Store.ts"

const ConflictRow = Schema.Struct({ conflict: Schema.toCodecJson(ConflictRecord) })

/** The conflict row at alias `c`, in the shape `Schema.toCodecJson(ConflictRecord)` reads. */
const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', c.id::text, 'organizationId', c.organization_id,
  'subject', jsonb_build_object('kind', c.subject_kind, 'id', c.subject_id), 'connectionId', c.connection_id,
  'field', c.field, 'base', c.base, 'local', c.local, 'remote', c.remote, 'state', c.state,
  'resolution', c.resolution, 'resolvedBy', c.resolved_by, 'createdAt', c.created_at, 'resolvedAt', c.resolved_at)`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const record = Effect.fn("ConflictRepository.record")(function* (conflict: NewConflict) {
    const { subject } = conflict
    const row = yield* firstRow(
      "ConflictRepository.record",
      ConflictRow,
    )(sql`
      WITH c AS (
        INSERT INTO conflicts (organization_id, subject_kind, subject_id, connection_id, field, base, local, remote)
        VALUES (${conflict.organizationId}, ${subject.kind}, ${subject.id}, ${conflict.connectionId}, ${conflict.field},
                ${sql.json(conflict.base)}, ${sql.json(conflict.local)}, ${sql.json(conflict.remote)})
        ON CONFLICT (subject_id, connection_id, field) WHERE state = 'open'
        DO UPDATE SET base = excluded.base, local = excluded.local, remote = excluded.remote
        RETURNING *
      )
      SELECT ${projection(sql)} AS conflict FROM c`)
    if (row === null) return yield* Effect.die("INSERT … RETURNING returned no row")
    return row.conflict
  })

  const open = Effect.fn("ConflictRepository.open")(function* (org: OrganizationId, subject?: SubjectKey) {
    const where = [sql`c.organization_id = ${org}`, sql`c.state = 'open'`]
    if (subject !== undefined) where.push(sql`c.subject_kind = ${subject.kind} AND c.subject_id = ${subject.id}`)
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

  return ConflictRepository.of({ record, open, resolve })
})

export const layer = Layer.effect(ConflictRepository, make)
