// Turning stored intent into work: a queued outbox row wakes its connection's push lane, a connection's pull
// schedule is started or poked. The API calls the Dispatcher right after its transaction commits; the outbox sweep
// (a periodic job on the runners) wakes whatever that missed — a crash between commit and wake, a push-back a pull
// queued, a row left unsent while its connection was paused or its runner died — so nothing stored is left behind.

import { Views } from "@taskbridge/db/Views"
import type { ConnectionId, TaskId } from "@taskbridge/domain/Ids"
import type { OutboxEntry } from "@taskbridge/domain/ports/Repositories"
import { Context, Duration, Effect, Layer } from "effect"
import type { Sharding } from "effect/cluster/Sharding"
import type { WorkflowEngine } from "effect/workflow/WorkflowEngine"
import type { PullReason } from "./Engine.ts"
import * as PushLanes from "./PushLanes.ts"
import * as Runtime from "./Runtime.ts"
import type { PullSchedule } from "./Schedules.ts"

/** Wakes the lanes of `entries`' connections for their tasks. */
const wakeFor = (entries: ReadonlyArray<OutboxEntry>, reason: typeof PushLanes.WakeReason.Type) => {
  const byConnection = new Map<ConnectionId, Array<TaskId>>()
  for (const entry of entries) {
    const tasks = byConnection.get(entry.connectionId) ?? []
    tasks.push(entry.taskId)
    byConnection.set(entry.connectionId, tasks)
  }
  return Effect.forEach(byConnection, ([connection, tasks]) => PushLanes.wake(connection, tasks, reason), {
    discard: true,
  })
}

export class Dispatcher extends Context.Service<
  Dispatcher,
  {
    /** Has each queued row's task looked at by its connection's push lane (sending twice is never the result). */
    readonly push: (entries: ReadonlyArray<OutboxEntry>) => Effect.Effect<void>
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
          push: (entries) => wakeFor(entries, "change").pipe(Effect.provide(context)),
          pullNow: (connection, reason) => schedule.trigger(connection, reason).pipe(Effect.provide(context)),
          watch: (connection) => schedule.start(connection).pipe(Effect.provide(context)),
        })
      }),
    )
}

export interface SweepOptions {
  /** How often unsent rows are looked for. Default 5 s. */
  readonly interval?: Duration.Input | undefined
}

/**
 * The outbox sweep: every `interval`, the lanes of enabled connections with unsent rows are woken for those rows'
 * tasks. A lane ignores a task it is already draining or holding back (a conflict, a paused connection; looked at
 * again after a while) and keeps its backoff for a failing one, so a sweep costs one query and a message per
 * connection; it is what restarts a lane after its runner died or its shard moved.
 */
export const outboxSweep = (options: SweepOptions = {}) =>
  Runtime.periodic({
    name: "outbox-sweep",
    interval: options.interval ?? Duration.seconds(5),
    keys: Effect.succeed(["all"]),
    execute: () =>
      Effect.flatMap(
        Views.use((views) => views.unsent(500)),
        (unsent) => wakeFor(unsent, "sweep"),
      ),
  })
