// `health.*` (viewers): sync health over time for the console's charts — `series` buckets each connection's pulls
// (records, records/s, error rate), last successful pull and lag, and outbox depth over a window ending now; `runs`
// pages through the pulls themselves (pages, records, duration, records/s, error), newest first.
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { ConnectionSeries, HealthHistory } from "@taskbridge/db/HealthHistory"
import { maxPageSize } from "@taskbridge/db/TaskQuery"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { SyncRun } from "@taskbridge/domain/ports/Repositories"
import { DateTime, Effect, Schema } from "effect"
import { input, output, procedure, router, run } from "../Trpc.ts"

const between = (minimum: number, maximum: number) =>
  Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum, maximum })))

export const SeriesInput = Schema.Struct({
  connectionId: Schema.optionalKey(ConnectionId),
  /** How far back from now (seconds): a minute up to 30 days; default 6 hours. */
  windowSeconds: Schema.optionalKey(between(60, 30 * 24 * 3600)),
  /** Points per connection: 1–240; default 60. */
  buckets: Schema.optionalKey(between(1, 240)),
})

export const RunsInput = Schema.Struct({
  connectionId: Schema.optionalKey(ConnectionId),
  /** The previous page's `nextCursor`. */
  cursor: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^\d{1,18}$/))),
  limit: Schema.optionalKey(between(1, maxPageSize)),
})

export const SeriesOutput = Schema.Struct({
  windowSeconds: Schema.Int,
  bucketSeconds: Schema.Number,
  connections: Schema.Array(ConnectionSeries),
})

export const RunDetail = Schema.Struct({
  run: SyncRun,
  /** Seconds from start to finish (to now while it runs). */
  durationSeconds: Schema.Number,
  recordsPerSecond: Schema.Number,
})

const encodeSeries = output(SeriesOutput)
const encodeRuns = output(Schema.Struct({ items: Schema.Array(RunDetail), nextCursor: Schema.NullOr(Schema.String) }))

/** A connection named by the caller must be theirs; another organization's answers like one that does not exist. */
const owned = (org: Parameters<ConnectionRepository["Service"]["get"]>[0], id: ConnectionId | undefined) =>
  id === undefined ? Effect.void : Effect.asVoid(ConnectionRepository.use((c) => c.get(org, id)))

export const healthRouter = router({
  series: procedure("viewer")
    .input(input(SeriesInput))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const org = ctx.identity.organizationId
          yield* owned(org, input.connectionId)
          const windowSeconds = input.windowSeconds ?? 6 * 3600
          const buckets = input.buckets ?? 60
          const connections = yield* (yield* HealthHistory).series({
            organizationId: org,
            connectionId: input.connectionId,
            windowSeconds,
            buckets,
          })
          return encodeSeries({ windowSeconds, bucketSeconds: windowSeconds / buckets, connections })
        }),
      ),
    ),

  runs: procedure("viewer")
    .input(input(RunsInput))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const org = ctx.identity.organizationId
          yield* owned(org, input.connectionId)
          const limit = input.limit ?? 50
          const found = yield* (yield* HealthHistory).runs({
            organizationId: org,
            connectionId: input.connectionId,
            before: input.cursor,
            limit: limit + 1,
          })
          const now = yield* DateTime.now
          const page = found.slice(0, limit)
          const items = page.map((r) => {
            const end = r.finishedAt ?? now
            const seconds = Math.max(0, (DateTime.toEpochMillis(end) - DateTime.toEpochMillis(r.startedAt)) / 1000)
            return { run: r, durationSeconds: seconds, recordsPerSecond: seconds > 0 ? r.records / seconds : 0 }
          })
          const last = page.at(-1)
          return encodeRuns({ items, nextCursor: found.length > limit && last !== undefined ? last.id : null })
        }),
      ),
    ),
})
