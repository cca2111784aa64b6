// Sync health over time for the console's charts, read from the sync runs and the outbox: per connection and time
// bucket, the pulls that finished (records, records/s, failures), the last successful pull and the lag behind it at
// the bucket's end, and the outbox depth then; and the runs themselves, newest first, in keyset pages.
import { PgClient } from "@effect/sql-pg"
import { ConnectionId, type OrganizationId } from "@taskbridge/domain/Ids"
import { type PersistenceError, SyncRun } from "@taskbridge/domain/ports/Repositories"
import { Context, Effect, Layer, Schema } from "effect"
import { rows } from "./internal/Store.ts"
import { projection as runProjection } from "./SyncRunRepository.ts"

export const HealthPoint = Schema.Struct({
  /** The bucket's start and end (ISO instants); values describe the runs that finished within it. */
  from: Schema.String,
  to: Schema.String,
  runs: Schema.Int,
  failures: Schema.Int,
  records: Schema.Int,
  /** Records per second of pulling (records over the runs' summed durations); null without a finished run. */
  recordsPerSecond: Schema.NullOr(Schema.Number),
  /** Failed over finished runs in the bucket; null without a finished run. */
  errorRate: Schema.NullOr(Schema.Number),
  /** The latest successful pull finished by the bucket's end, and how far behind it the end was. */
  lastPullAt: Schema.NullOr(Schema.String),
  lagSeconds: Schema.NullOr(Schema.Number),
  /** Changes waiting to be sent (pending or in flight) at the bucket's end. */
  outboxDepth: Schema.Int,
})
export type HealthPoint = typeof HealthPoint.Type

export const ConnectionSeries = Schema.Struct({ connectionId: ConnectionId, points: Schema.Array(HealthPoint) })
export type ConnectionSeries = typeof ConnectionSeries.Type

export interface SeriesRequest {
  readonly organizationId: OrganizationId
  readonly connectionId?: ConnectionId | undefined
  /** The window ends now and reaches back this far, cut into `buckets` equal parts. */
  readonly windowSeconds: number
  readonly buckets: number
}

export interface RunsRequest {
  readonly organizationId: OrganizationId
  readonly connectionId?: ConnectionId | undefined
  /** Runs older than this run id (the previous page's last); none: the newest. */
  readonly before?: string | undefined
  readonly limit: number
}

type Io<A> = Effect.Effect<A, PersistenceError>

export class HealthHistory extends Context.Service<
  HealthHistory,
  {
    readonly series: (request: SeriesRequest) => Io<ReadonlyArray<ConnectionSeries>>
    readonly runs: (request: RunsRequest) => Io<ReadonlyArray<SyncRun>>
  }
>()("@taskbridge/db/HealthHistory") {}

const SeriesRow = Schema.Struct({ connection_id: ConnectionId, points: Schema.Array(HealthPoint) })
const RunRow = Schema.Struct({ run: Schema.toCodecJson(SyncRun) })

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const iso = (column: string) => sql.literal(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)

  const series = Effect.fn("HealthHistory.series")(function* (request: SeriesRequest) {
    const step = request.windowSeconds / request.buckets
    const only = request.connectionId === undefined ? sql`` : sql`AND c.id = ${request.connectionId}`
    // Each bucket is a few index probes per connection (sync_runs by connection and id, the outbox's unsent and
    // per-connection update-time indexes), so a chart costs buckets × connections small reads, not a scan.
    const found = yield* rows(
      "HealthHistory.series",
      SeriesRow,
    )(sql`
      WITH b AS (
        SELECT now() - make_interval(secs => ${request.windowSeconds}) + make_interval(secs => ${step} * i) AS lo,
               now() - make_interval(secs => ${request.windowSeconds}) + make_interval(secs => ${step} * (i + 1)) AS hi
        FROM generate_series(0, ${request.buckets - 1}) AS i
      )
      SELECT c.id AS connection_id, COALESCE(jsonb_agg(jsonb_build_object(
        'from', ${iso("b.lo")}, 'to', ${iso("b.hi")},
        'runs', r.runs, 'failures', r.failures, 'records', r.records,
        'recordsPerSecond', CASE WHEN r.runs = 0 THEN NULL ELSE r.records / GREATEST(r.seconds, 0.001) END,
        'errorRate', CASE WHEN r.runs = 0 THEN NULL ELSE r.failures::float8 / r.runs END,
        'lastPullAt', ${iso("p.at")},
        'lagSeconds', CASE WHEN p.at IS NULL THEN NULL ELSE GREATEST(0, extract(epoch FROM (b.hi - p.at))) END,
        'outboxDepth', o.depth
      ) ORDER BY b.lo), '[]'::jsonb) AS points
      FROM connections c CROSS JOIN b
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS runs, (count(*) FILTER (WHERE s.state = 'failed'))::int AS failures,
               COALESCE(sum(s.records), 0)::int AS records,
               COALESCE(sum(extract(epoch FROM (s.finished_at - s.started_at))), 0)::float8 AS seconds
        FROM sync_runs s
        WHERE s.connection_id = c.id AND s.finished_at >= b.lo AND s.finished_at < b.hi
      ) r
      CROSS JOIN LATERAL (
        SELECT max(s.finished_at) AS at FROM sync_runs s
        WHERE s.connection_id = c.id AND s.state = 'succeeded' AND s.finished_at < b.hi
      ) p
      CROSS JOIN LATERAL (
        SELECT (
          (SELECT count(*) FROM outbox u WHERE u.connection_id = c.id AND u.state IN ('pending', 'sending')
             AND u.created_at < b.hi)
          + (SELECT count(*) FROM outbox u WHERE u.connection_id = c.id AND u.updated_at >= b.hi
               AND u.state NOT IN ('pending', 'sending') AND u.created_at < b.hi)
        )::int AS depth
      ) o
      WHERE c.organization_id = ${request.organizationId} ${only}
      GROUP BY c.id, c.created_at
      ORDER BY c.created_at, c.id`)
    return found.map((row) => ({ connectionId: row.connection_id, points: row.points }))
  })

  const runs = Effect.fn("HealthHistory.runs")(function* (request: RunsRequest) {
    const only = request.connectionId === undefined ? sql`` : sql`AND r.connection_id = ${request.connectionId}`
    const before =
      request.before === undefined || !/^\d{1,18}$/.test(request.before)
        ? sql``
        : sql`AND r.id < ${request.before}::bigint`
    const found = yield* rows(
      "HealthHistory.runs",
      RunRow,
    )(sql`
      SELECT ${runProjection(sql)} AS run FROM sync_runs r
      WHERE r.organization_id = ${request.organizationId} ${only} ${before}
      ORDER BY r.id DESC LIMIT ${request.limit}`)
    return found.map((row) => row.run)
  })

  return HealthHistory.of({ series, runs })
})

export const layer = Layer.effect(HealthHistory, make)
