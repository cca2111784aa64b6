// SyncRunRepository on PostgreSQL/PGlite: one row per pull (backfill, incremental, reconcile, webhook-triggered)
// with its progress page by page, so the console can show sync health and a stuck run is visible.
import { PgClient } from "@effect/sql-pg"
import type { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import { PersistenceError, SyncRun, type SyncRunKind, SyncRunRepository } from "@taskbridge/domain/ports/Repositories"
import { Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { exec, firstRow, rows } from "./internal/Store.ts"

const RunRow = Schema.Struct({ run: Schema.toCodecJson(SyncRun) })

/** The run at alias `r`, in the shape `Schema.toCodecJson(SyncRun)` reads. */
export const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', r.id::text, 'organizationId', r.organization_id, 'connectionId', r.connection_id, 'kind', r.kind,
  'state', r.state, 'pages', r.pages, 'records', r.records, 'total', r.total, 'error', r.error,
  'startedAt', r.started_at, 'finishedAt', r.finished_at)`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const one = (operation: string) => firstRow(operation, RunRow)
  // Only `finish` can miss (an unknown id); INSERT … RETURNING always returns its row.
  const returned = Effect.fn("SyncRunRepository.returned")(function* (
    found: { readonly run: SyncRun } | null,
    operation: string,
  ) {
    if (found === null) return yield* new PersistenceError({ operation, detail: "no such sync run" })
    return found.run
  })

  const start = Effect.fn("SyncRunRepository.start")(function* (
    org: OrganizationId,
    connection: ConnectionId,
    kind: SyncRunKind,
  ) {
    const row = yield* one("SyncRunRepository.start")(sql`
      WITH r AS (
        INSERT INTO sync_runs (organization_id, connection_id, kind) VALUES (${org}, ${connection}, ${kind})
        RETURNING *
      )
      SELECT ${projection(sql)} AS run FROM r`)
    return yield* returned(row, "SyncRunRepository.start")
  })

  const progress = Effect.fn("SyncRunRepository.progress")(function* (
    id: string,
    page: { readonly records: number; readonly total: number | null },
  ) {
    yield* exec("SyncRunRepository.progress")(sql`
      UPDATE sync_runs SET pages = pages + 1, records = records + ${page.records}, total = ${page.total}::integer,
        heartbeat_at = now()
      WHERE id = ${id}::bigint AND state = 'running'`)
  })

  const finish = Effect.fn("SyncRunRepository.finish")(function* (
    id: string,
    outcome: { readonly error: string | null },
  ) {
    const state = outcome.error === null ? "succeeded" : "failed"
    const row = yield* one("SyncRunRepository.finish")(sql`
      WITH r AS (
        UPDATE sync_runs SET state = ${state}, error = ${outcome.error}, finished_at = now()
        WHERE id = ${id}::bigint
        RETURNING *
      )
      SELECT ${projection(sql)} AS run FROM r`)
    return yield* returned(row, "SyncRunRepository.finish")
  })

  // A run's process died (kill -9, a crash): nothing will ever finish it, so once it stopped beating it is failed.
  const abandon = Effect.fn("SyncRunRepository.abandon")(function* (
    connection: ConnectionId,
    reason: string,
    silentSeconds: number,
  ) {
    const found = yield* rows(
      "SyncRunRepository.abandon",
      Schema.Struct({ id: Schema.String }),
    )(sql`
      UPDATE sync_runs SET state = 'failed', error = ${reason}, finished_at = now()
      WHERE connection_id = ${connection} AND state = 'running'
        AND heartbeat_at < now() - make_interval(secs => ${silentSeconds})
      RETURNING id::text`)
    return found.length
  })

  const list = Effect.fn("SyncRunRepository.list")(function* (connection: ConnectionId, limit: number) {
    const found = yield* rows(
      "SyncRunRepository.list",
      RunRow,
    )(sql`
      SELECT ${projection(sql)} AS run FROM sync_runs r
      WHERE r.connection_id = ${connection} ORDER BY r.id DESC LIMIT ${limit}`)
    return found.map((row) => row.run)
  })

  return SyncRunRepository.of({ start, progress, finish, abandon, list })
})

export const layer = Layer.effect(SyncRunRepository, make)
