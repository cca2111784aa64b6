// Turning stored intent into durable work: a queued outbox row becomes a PushChange execution, a connection's pull
// schedule is started or poked. The API calls the Dispatcher right after its transaction commits; the outbox sweep
// (a periodic job on the runners) starts whatever that missed — a crash between commit and dispatch, a push-back a
// pull queued, a row left unsent while its connection was paused — so nothing stored is ever left behind.

import { Views } from "@taskbridge/db/Views"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import type { OutboxEntry } from "@taskbridge/domain/ports/Repositories"
import { Context, DateTime, Duration, Effect, Layer } from "effect"
import type { Sharding } from "effect/cluster/Sharding"
import type { WorkflowEngine } from "effect/workflow/WorkflowEngine"
import type { PullReason } from "./Engine.ts"
import * as Runtime from "./Runtime.ts"
import type { PullSchedule } from "./Schedules.ts"
import { PushChange } from "./Workflows.ts"

/** Starts the push of one outbox row; `dispatch` names a later, fresh execution of it (see `PushChange`). */
export const startPush = (entry: OutboxEntry, dispatch?: string) =>
  Runtime.start(PushChange, {
    outboxId: entry.id,
    connectionId: entry.connectionId,
    taskId: entry.taskId,
    ...(dispatch === undefined ? {} : { dispatch }),
  }).pipe(Effect.asVoid)

export class Dispatcher extends Context.Service<
  Dispatcher,
  {
    /** Starts a push for each queued row (idempotent per row and `dispatch`). */
    readonly push: (entries: ReadonlyArray<OutboxEntry>, dispatch?: string) => Effect.Effect<void>
    /** Pulls a connection once more now, after any pull in progress. */
    readonly pullNow: (connection: ConnectionId, reason: Exclude<PullReason, "schedule">) => Effect.Effect<void>
    /** Starts (or restarts, after a resume) a connection's pull schedule. */
    readonly watch: (connection: ConnectionId) => Effect.Effect<void>
  }
>()("@taskbridge/sync/Dispatcher") {
  /** On any cluster member: a runner, or an API process that is only a client of the workers. */
  static readonly layer = (schedule: PullSchedule) =>
    Layer.effect(
      Dispatcher,
      Effect.gen(function* () {
        const context = yield* Effect.context<WorkflowEngine | Sharding>()
        return Dispatcher.of({
          push: (entries, dispatch) =>
            Effect.forEach(entries, (entry) => startPush(entry, dispatch), { discard: true }).pipe(
              Effect.provide(context),
              Effect.orDie,
            ),
          pullNow: (connection, reason) => schedule.trigger(connection, reason).pipe(Effect.provide(context)),
          watch: (connection) => schedule.start(connection).pipe(Effect.provide(context)),
        })
      }),
    )
}

export interface SweepOptions {
  /** How often unsent rows are looked for. Default 5 s. */
  readonly interval?: Duration.Input | undefined
  /** A row untouched this long is dispatched afresh (its execution is gone or finished early). Default 2 min. */
  readonly staleAfter?: Duration.Input | undefined
}

/**
 * The outbox sweep: every `interval`, unsent rows of enabled connections are started. A row never tried joins its
 * first execution (same key, so a row the API already dispatched is not pushed twice); a row untouched for
 * `staleAfter` gets a fresh execution named after the sweep window, at most one per window. Pushing twice is safe
 * anyway: a claim is atomic and a retried attempt reconciles with the vendor before sending.
 */
export const outboxSweep = (options: SweepOptions = {}) => {
  const staleMillis = Duration.toMillis(Duration.fromInputUnsafe(options.staleAfter ?? Duration.minutes(2)))
  return Runtime.periodic({
    name: "outbox-sweep",
    interval: options.interval ?? Duration.seconds(5),
    keys: Effect.succeed(["all"]),
    execute: () =>
      Effect.gen(function* () {
        const unsent = yield* (yield* Views).unsent(500)
        const now = DateTime.toEpochMillis(yield* DateTime.now)
        yield* Effect.forEach(
          unsent,
          (entry) => {
            const idle = now - DateTime.toEpochMillis(entry.updatedAt)
            if (idle >= staleMillis) return startPush(entry, `sweep-${Math.floor(now / staleMillis)}`)
            return entry.attempts === 0 && entry.state === "pending" ? startPush(entry) : Effect.void
          },
          { discard: true },
        )
      }),
  })
}
