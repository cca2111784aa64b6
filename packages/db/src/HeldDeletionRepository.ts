// HeldDeletionRepository on PostgreSQL/PGlite: mass deletions a complete listing asked for and the engine held for an
// operator, at most one undecided per connection (a newer listing replaces it), confirmed or rejected once.
import { PgClient } from "@effect/sql-pg"
import type { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import { HeldDeletion, HeldDeletionNotFound, HeldDeletionRepository } from "@taskbridge/domain/ports/Repositories"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { exec, firstRow, rows } from "./internal/Store.ts"

const HeldRow = Schema.Struct({ held: Schema.toCodecJson(HeldDeletion) })

/** The row at alias `d`, in the shape `Schema.toCodecJson(HeldDeletion)` reads. */
export const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', d.id::text, 'organizationId', d.organization_id, 'connectionId', d.connection_id,
  'generation', d.generation, 'records', to_jsonb(d.records), 'live', d.live, 'state', d.state,
  'decidedBy', d.decided_by, 'createdAt', d.created_at, 'decidedAt', d.decided_at)`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const hold = Effect.fn("HeldDeletionRepository.hold")(function* (
    entry: Pick<HeldDeletion, "organizationId" | "connectionId" | "generation" | "records" | "live">,
  ) {
    // The earlier undecided one is dropped in the same transaction: only the newest listing's view counts.
    yield* exec("HeldDeletionRepository.hold")(
      sql`DELETE FROM held_deletions WHERE connection_id = ${entry.connectionId} AND state = 'held'`,
    )
    const row = yield* firstRow(
      "HeldDeletionRepository.hold",
      HeldRow,
    )(sql`
      WITH d AS (
        INSERT INTO held_deletions (organization_id, connection_id, generation, records, live)
        VALUES (${entry.organizationId}, ${entry.connectionId}, ${entry.generation}, ${entry.records}::text[],
                ${entry.live})
        RETURNING *
      )
      SELECT ${projection(sql)} AS held FROM d`)
    if (row === null) return yield* Effect.die("INSERT … RETURNING returned no row")
    return row.held
  })

  const drop = Effect.fn("HeldDeletionRepository.drop")(function* (connection: ConnectionId) {
    yield* exec("HeldDeletionRepository.drop")(
      sql`DELETE FROM held_deletions WHERE connection_id = ${connection} AND state = 'held'`,
    )
  })

  const held = Effect.fn("HeldDeletionRepository.held")(function* (org: OrganizationId, connection?: ConnectionId) {
    const where = [sql`d.organization_id = ${org}`, sql`d.state = 'held'`]
    if (connection !== undefined) where.push(sql`d.connection_id = ${connection}`)
    const found = yield* rows(
      "HeldDeletionRepository.held",
      HeldRow,
    )(sql`SELECT ${projection(sql)} AS held FROM held_deletions d WHERE ${sql.and(where)} ORDER BY d.id`)
    return found.map((row) => row.held)
  })

  const decide = Effect.fn("HeldDeletionRepository.decide")(function* (
    org: OrganizationId,
    id: string,
    state: "confirmed" | "rejected",
    by: string,
  ) {
    if (!/^\d{1,18}$/.test(id)) return yield* new HeldDeletionNotFound({ id })
    const row = yield* firstRow(
      "HeldDeletionRepository.decide",
      HeldRow,
    )(sql`
      WITH d AS (
        UPDATE held_deletions SET state = ${state}, decided_by = ${by}, decided_at = now()
        WHERE organization_id = ${org} AND id = ${id}::bigint AND state = 'held'
        RETURNING *
      )
      SELECT ${projection(sql)} AS held FROM d`)
    if (row === null) return yield* new HeldDeletionNotFound({ id })
    return row.held
  })

  return HeldDeletionRepository.of({ hold, drop, held, decide })
})

export const layer = Layer.effect(HeldDeletionRepository, make)
