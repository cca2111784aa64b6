// Read models for the API and the runtime beyond the repositories' per-record operations: each connection's sync
// status, an organization's change feed (the `events` stream), and the sweeps the runtime starts work from (unsent
// outbox rows and enabled connections across organizations). Indexed by migrations 0006 and 0007.
import { PgClient } from "@effect/sql-pg"
import { ConnectionId, type OrganizationId } from "@taskbridge/domain/Ids"
import { HistoryRecord, OutboxEntry, type PersistenceError, SyncRun } from "@taskbridge/domain/ports/Repositories"
import { WorkItemKind } from "@taskbridge/domain/Task"
import { Context, Effect, Layer, Schema } from "effect"
import { projection as historyProjection } from "./HistoryRepository.ts"
import { rows } from "./internal/Store.ts"
import { projection as outboxProjection } from "./OutboxRepository.ts"
import { projection as runProjection } from "./SyncRunRepository.ts"

/** One connection's health: what the console's sync page and `sync.status` show. */
export const ConnectionHealth = Schema.Struct({
  connectionId: ConnectionId,
  /** The latest pull of any kind, running or finished. */
  lastRun: Schema.NullOr(SyncRun),
  /** When the latest successful pull finished; lag is measured from it. */
  lastSuccessAt: Schema.NullOr(Schema.DateTimeUtc),
  /** The first pull (the backfill) with its progress; null before one started. */
  backfill: Schema.NullOr(SyncRun),
  outbox: Schema.Struct({ pending: Schema.Int, sending: Schema.Int, dead: Schema.Int }),
  openConflicts: Schema.Int,
  /** A mass deletion waiting for an operator's decision, if any. */
  heldDeletion: Schema.NullOr(
    Schema.Struct({ id: Schema.String, records: Schema.Int, live: Schema.Int, createdAt: Schema.DateTimeUtc }),
  ),
  /** Failed runs among the last 20. */
  recentRuns: Schema.Int,
  recentFailures: Schema.Int,
})
export type ConnectionHealth = typeof ConnectionHealth.Type

type Io<A, E = never> = Effect.Effect<A, E | PersistenceError>

export class Views extends Context.Service<
  Views,
  {
    /** Health of each of an organization's connections (one row per connection, in creation order). */
    readonly health: (org: OrganizationId) => Io<ReadonlyArray<ConnectionHealth>>
    /** History after `afterId` (exclusive), oldest first, with each task's kind: the feed `events` tails. */
    readonly feed: (
      org: OrganizationId,
      afterId: string,
      limit: number,
    ) => Io<ReadonlyArray<{ readonly record: HistoryRecord; readonly kind: WorkItemKind }>>
    /** The highest history id of an organization ("0" when empty): where a fresh event stream starts. */
    readonly feedHead: (org: OrganizationId) => Io<string>
    /** The latest run of each of an organization's connections. */
    readonly latestRuns: (org: OrganizationId) => Io<ReadonlyArray<SyncRun>>
    /** Unsent (pending or interrupted) outbox rows of enabled connections, every organization, oldest first. */
    readonly unsent: (limit: number) => Io<ReadonlyArray<OutboxEntry>>
    /** Every enabled connection: the keys the pull schedule keeps running. */
    readonly enabledConnections: Io<ReadonlyArray<ConnectionId>>
  }
>()("@taskbridge/db/Views") {}

const HealthRow = Schema.Struct({ health: Schema.toCodecJson(ConnectionHealth) })
const RecordRow = Schema.Struct({ record: Schema.toCodecJson(HistoryRecord), kind: WorkItemKind })
const RunRow = Schema.Struct({ run: Schema.toCodecJson(SyncRun) })
const EntryRow = Schema.Struct({ entry: Schema.toCodecJson(OutboxEntry) })
const IdRow = Schema.Struct({ id: ConnectionId })
const HeadRow = Schema.Struct({ head: Schema.String })

// Ids are bigserials; comparing them as numbers, not text, keeps "10" after "9".
const historyId = (id: string) => (/^\d{1,18}$/.test(id) ? id : "0")

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const health = Effect.fn("Views.health")(function* (org: OrganizationId) {
    const found = yield* rows(
      "Views.health",
      HealthRow,
    )(sql`
      SELECT jsonb_build_object(
        'connectionId', c.id,
        'lastRun', (SELECT ${runProjection(sql)} FROM sync_runs r WHERE r.connection_id = c.id ORDER BY r.id DESC LIMIT 1),
        'lastSuccessAt', (SELECT r.finished_at FROM sync_runs r
                          WHERE r.connection_id = c.id AND r.state = 'succeeded' ORDER BY r.id DESC LIMIT 1),
        'backfill', (SELECT ${runProjection(sql)} FROM sync_runs r
                     WHERE r.connection_id = c.id AND r.kind = 'backfill' ORDER BY r.id DESC LIMIT 1),
        'outbox', (SELECT jsonb_build_object(
                     'pending', count(*) FILTER (WHERE o.state = 'pending'),
                     'sending', count(*) FILTER (WHERE o.state = 'sending'),
                     'dead', count(*) FILTER (WHERE o.state = 'dead'))
                   FROM outbox o
                   WHERE o.organization_id = c.organization_id AND o.connection_id = c.id
                     AND o.state IN ('pending', 'sending', 'dead')),
        'openConflicts', (SELECT count(*) FROM conflicts k
                          WHERE k.organization_id = c.organization_id AND k.connection_id = c.id AND k.state = 'open'),
        'heldDeletion', (SELECT jsonb_build_object('id', d.id::text, 'records', cardinality(d.records), 'live', d.live,
                                                   'createdAt', d.created_at)
                         FROM held_deletions d WHERE d.connection_id = c.id AND d.state = 'held'),
        'recentRuns', (SELECT count(*) FROM (SELECT 1 FROM sync_runs r WHERE r.connection_id = c.id
                                              AND r.state <> 'running' ORDER BY r.id DESC LIMIT 20) x),
        'recentFailures', (SELECT count(*) FILTER (WHERE x.state = 'failed')
                           FROM (SELECT r.state FROM sync_runs r WHERE r.connection_id = c.id
                                 AND r.state <> 'running' ORDER BY r.id DESC LIMIT 20) x)
      ) AS health
      FROM connections c WHERE c.organization_id = ${org}
      ORDER BY c.created_at, c.id`)
    return found.map((row) => row.health)
  })

  const feed = Effect.fn("Views.feed")(function* (org: OrganizationId, afterId: string, limit: number) {
    const found = yield* rows(
      "Views.feed",
      RecordRow,
    )(sql`
      SELECT ${historyProjection(sql)} AS record, COALESCE(t.kind, 'task') AS kind
      FROM history h LEFT JOIN tasks t ON t.id = h.task_id
      WHERE h.organization_id = ${org} AND h.id > ${historyId(afterId)}::bigint
      ORDER BY h.id LIMIT ${limit}`)
    return found
  })

  const feedHead = Effect.fn("Views.feedHead")(function* (org: OrganizationId) {
    const found = yield* rows(
      "Views.feedHead",
      HeadRow,
    )(sql`SELECT coalesce(max(h.id), 0)::text AS head FROM history h WHERE h.organization_id = ${org}`)
    return found[0]?.head ?? "0"
  })

  const latestRuns = Effect.fn("Views.latestRuns")(function* (org: OrganizationId) {
    const found = yield* rows(
      "Views.latestRuns",
      RunRow,
    )(sql`
      SELECT ${runProjection(sql)} AS run FROM connections c
      JOIN LATERAL (SELECT * FROM sync_runs r WHERE r.connection_id = c.id ORDER BY r.id DESC LIMIT 1) r ON true
      WHERE c.organization_id = ${org}
      ORDER BY c.id`)
    return found.map((row) => row.run)
  })

  const unsent = Effect.fn("Views.unsent")(function* (limit: number) {
    const found = yield* rows(
      "Views.unsent",
      EntryRow,
    )(sql`
      SELECT ${outboxProjection(sql)} AS entry FROM outbox o
      JOIN connections c ON c.id = o.connection_id AND c.enabled
      WHERE o.state IN ('pending', 'sending')
      ORDER BY o.id LIMIT ${limit}`)
    return found.map((row) => row.entry)
  })

  const enabledConnections = rows(
    "Views.enabledConnections",
    IdRow,
  )(sql`SELECT id FROM connections WHERE enabled ORDER BY id`).pipe(Effect.map((found) => found.map((row) => row.id)))

  return Views.of({ health, feed, feedHead, latestRuns, unsent, enabledConnections })
})

export const layer = Layer.effect(Views, make)
