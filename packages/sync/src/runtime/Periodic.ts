// Periodic jobs per key — e.g. one pull per vendor connection every 30 s — that survive restarts and run on one
// runner at a time. Built like ClusterCron (a persisted, delayed message that schedules its successor), but keyed:
// one entity per key, so keys are added at run time instead of being fixed layers at startup.
import { DateTime, Duration, Effect, Layer, PrimaryKey, Schedule, Schema } from "effect"
import * as ClusterSchema from "effect/cluster/ClusterSchema"
import * as DeliverAt from "effect/cluster/DeliverAt"
import * as Entity from "effect/cluster/Entity"
import type { Sharding } from "effect/cluster/Sharding"
import * as Singleton from "effect/cluster/Singleton"
import * as Rpc from "effect/rpc/Rpc"

/** What `execute` returns to end a key's chain (e.g. its connection was removed); anything else keeps it going. */
export const stop: unique symbol = Symbol.for("@taskbridge/sync/Periodic/stop")

export interface PeriodicOptions<E, R, EK = never, RK = never> {
  /** Unique per job; part of the entity type, so renaming it orphans pending ticks. */
  readonly name: string
  /** Default 30 s. Ticks fall on multiples of it since the epoch, which is what lets duplicate chains merge. */
  readonly interval?: Duration.Input | undefined
  /**
   * Runs once per tick; returning `stop` ends the key's chain. A failure is logged and the next tick is the retry.
   * `trigger` is the reason given to `trigger` for an extra run, undefined for a scheduled tick.
   */
  readonly execute: (key: string, scheduledAt: DateTime.Utc, trigger?: string) => Effect.Effect<unknown, E, R>
  /** The keys that should be running, (re)started by a singleton whenever the cluster starts. */
  readonly keys?: Effect.Effect<Iterable<string>, EK, RK> | undefined
}

export interface Periodic<R> {
  /** Registers the job's entity (and the startup singleton); every runner must include it. */
  readonly layer: Layer.Layer<never, never, Sharding | R>
  /** Starts `key`'s chain; idempotent, so callers need not know whether it already runs. */
  readonly start: (key: string) => Effect.Effect<void, never, Sharding>
  /**
   * Runs `key` once more now (an operator's button, a webhook's hint), queued behind any tick in progress: the key's
   * entity handles one message at a time, so an extra run never overlaps a scheduled one. Returns when queued.
   */
  readonly trigger: (key: string, reason: string) => Effect.Effect<void, never, Sharding>
}

export const defaultInterval = Duration.seconds(30)

// The primary key makes a second message for the same instant a duplicate, and DeliverAt holds it until then.
class Tick extends Schema.Class<Tick>("@taskbridge/sync/Periodic/Tick")({ at: Schema.DateTimeUtc }) {
  [PrimaryKey.symbol]() {
    return DateTime.formatIso(this.at)
  }
  [DeliverAt.symbol]() {
    return this.at
  }
}

// An extra run; its id makes a retried send of the same request one message.
class Trigger extends Schema.Class<Trigger>("@taskbridge/sync/Periodic/Trigger")({
  id: Schema.String,
  reason: Schema.String,
  at: Schema.DateTimeUtc,
}) {
  [PrimaryKey.symbol]() {
    return this.id
  }
}

// Losing a chain means a connection silently stops syncing, so scheduling retries until storage is back.
const untilStored = Schedule.min([Schedule.exponential("200 millis", 1.5), Schedule.spaced("30 seconds")])

/**
 * Defines a periodic job. Every tick of a key lands on the same epoch-aligned grid, so a chain restarted by `start`
 * or by the startup singleton names the same next instant as the chain already pending, and the message store keeps
 * one. Delivery is at least once: a runner that crashes mid-tick runs that tick again after restart.
 */
export const make = <E, R, EK = never, RK = never>(options: PeriodicOptions<E, R, EK, RK>): Periodic<R | RK> => {
  const every = Duration.toMillis(Duration.fromInputUnsafe(options.interval ?? defaultInterval))
  if (!(every >= 1)) throw new RangeError(`periodic job ${options.name}: interval must be at least 1 ms`)

  const entity = Entity.make(`Periodic/${options.name}`, [
    Rpc.make("tick", { payload: Tick })
      .annotate(ClusterSchema.Persisted, true)
      // A tick that started finishes even while its runner shuts down, rather than running twice.
      .annotate(ClusterSchema.Uninterruptible, true),
    Rpc.make("now", { payload: Trigger }).annotate(ClusterSchema.Persisted, true),
  ])

  // Sends `key`'s next tick: the first grid instant after both now and `after` (the tick in hand), so a runner whose
  // clock lags still never names an instant the key already ran, which the store would drop as a duplicate.
  const schedule = Effect.fn("Periodic.schedule")(
    function* (key: string, after: number) {
      const client = yield* entity.client
      const now = DateTime.toEpochMillis(yield* DateTime.now)
      const at = DateTime.makeUnsafe((Math.floor(Math.max(now, after) / every) + 1) * every)
      yield* client(key).tick(new Tick({ at }), { discard: true })
    },
    (effect, key) =>
      effect.pipe(
        Effect.tapCause((cause) => Effect.logWarning(`periodic ${options.name}: scheduling ${key} failed`, cause)),
        Effect.retry(untilStored),
        Effect.orDie,
      ),
  )

  const start = Effect.fn("Periodic.start")(function* (key: string) {
    yield* schedule(key, 0)
  })

  const tick = Effect.fn("Periodic.tick")(function* (key: string, at: DateTime.Utc) {
    const outcome = yield* options
      .execute(key, at)
      .pipe(
        Effect.catchCause((cause) =>
          Effect.as(Effect.logWarning(`periodic ${options.name} failed for ${key}`, cause), undefined),
        ),
      )
    if (outcome !== stop) yield* schedule(key, DateTime.toEpochMillis(at))
  })

  const trigger = Effect.fn("Periodic.trigger")(
    function* (key: string, reason: string) {
      const client = yield* entity.client
      const at = yield* DateTime.now
      const id = `${reason}:${crypto.randomUUID()}`
      yield* client(key).now(new Trigger({ id, reason, at }), { discard: true })
    },
    (effect) => Effect.orDie(effect),
  )

  const now = Effect.fn("Periodic.now")(function* (key: string, request: Trigger) {
    yield* options
      .execute(key, request.at, request.reason)
      .pipe(
        Effect.catchCause((cause) =>
          Effect.logWarning(`periodic ${options.name} (${request.reason}) failed for ${key}`, cause),
        ),
      )
  })

  const handlers = entity.toLayer({
    tick: (request) => tick(request.address.entityId, request.payload.at),
    now: (request) => now(request.address.entityId, request.payload),
  })

  const restart =
    options.keys === undefined
      ? Layer.empty
      : Singleton.make(
          `Periodic/${options.name}`,
          options.keys.pipe(
            Effect.flatMap((keys) => Effect.forEach(keys, start, { discard: true })),
            Effect.catchCause((cause) => Effect.logError(`periodic ${options.name}: listing keys failed`, cause)),
          ),
        )

  return { layer: Layer.merge(handlers, restart), start, trigger }
}
