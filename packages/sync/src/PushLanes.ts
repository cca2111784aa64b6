// One push lane per connection: the cluster entity that sends a connection's queued changes. The outbox is the durable
// queue; a lane is only told which tasks to look at (a volatile `wake`, no message stored), drains each task's rows in
// order with up to `concurrency` tasks at once, and backs a failing task off without holding the others. The entity is
// sharded by connection, so one runner at a time pushes a connection; a wake that is lost (a runner died, a shard
// moved) is made up by the outbox sweep, and a row left `sending` by a killed runner reconciles with the vendor before
// anything is sent again (Push.ts). See ARCHITECTURE.md, "Push lanes".

import { SyncError } from "@taskbridge/domain/Errors"
import { ConnectionId, TaskId } from "@taskbridge/domain/Ids"
import { Cause, Clock, Duration, Effect, Fiber, Latch, Option, Schema } from "effect"
import * as Entity from "effect/cluster/Entity"
import type { Sharding } from "effect/cluster/Sharding"
import * as Rpc from "effect/rpc/Rpc"
import { SyncEngine } from "./Engine.ts"

/** Why a lane is told about tasks: a change queued them (or an operator retried one), or the sweep found them unsent. */
export const WakeReason = Schema.Literals(["change", "sweep"])

/** What a lane holds, for operators and tests: tasks waiting for a turn, being drained, held back, backing off. */
export const LaneStatus = Schema.Struct({
  ready: Schema.Array(TaskId),
  inFlight: Schema.Array(TaskId),
  /** Drained to a row it may not send yet (an open conflict, a paused connection): looked at again when named. */
  parked: Schema.Array(TaskId),
  /** Failed (the vendor or the store) and tried again after a delay. */
  backingOff: Schema.Array(TaskId),
})
export type LaneStatus = typeof LaneStatus.Type

export const PushLane = Entity.make("taskbridge/PushLane", [
  Rpc.make("wake", { payload: Schema.Struct({ tasks: Schema.Array(TaskId), reason: WakeReason }) }),
  Rpc.make("status", { success: LaneStatus }),
])

/** Tasks of one connection drained at once: the vendor sees at most this many writes in flight from one lane. */
const concurrency = 128

/** A parked task is looked at again by the sweep after this long even if no change names it (as the old sweep did). */
const parkedForMillis = 120_000

/** Backoff for a task whose push failed: doubling from half a second to 30 s, jittered; a vendor's Retry-After wins. */
const backoffMillis = (failures: number, error: unknown) => {
  if (error instanceof SyncError && Option.isSome(error.retryAfter)) return Duration.toMillis(error.retryAfter.value)
  const base = Math.min(30_000, 500 * 2 ** Math.min(failures - 1, 16))
  return base * (0.8 + Math.random() * 0.4)
}

const build = Effect.gen(function* () {
  const address = yield* Entity.CurrentAddress
  const connection = ConnectionId.make(address.entityId)
  const engine = yield* SyncEngine
  const ready = new Set<TaskId>()
  const inFlight = new Set<TaskId>()
  const parked = new Map<TaskId, number>()
  const backoff = new Map<TaskId, { readonly failures: number; readonly at: number }>()
  // Open while there is something to look at: a wake, a finished drain. The loop closes it before each look.
  const latch = Latch.makeUnsafe(false)

  const finished = (task: TaskId, outcome: "done" | "held" | "paused" | { readonly error: unknown }, now: number) => {
    inFlight.delete(task)
    if (typeof outcome === "object") {
      const failures = (backoff.get(task)?.failures ?? 0) + 1
      backoff.set(task, { failures, at: now + backoffMillis(failures, outcome.error) })
      ready.add(task)
    } else {
      backoff.delete(task)
      if (outcome === "done") parked.delete(task)
      else parked.set(task, now + parkedForMillis)
    }
    Latch.openUnsafe(latch)
  }

  const drainTask = (task: TaskId) =>
    engine.push(connection, task).pipe(
      Effect.exit,
      Effect.flatMap((exit) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          if (exit._tag === "Success") return finished(task, exit.value, now)
          if (Cause.hasInterruptsOnly(exit.cause)) return
          const error = Option.getOrUndefined(Cause.findErrorOption(exit.cause))
          // Nothing a push meets goes unrecorded: the vendor's failure (it stays queued and is tried again) or a defect.
          yield* error instanceof SyncError
            ? Effect.logWarning(`push of task ${task} at connection ${connection} will be tried again`, exit.cause)
            : Effect.logError(`push of task ${task} at connection ${connection} failed; trying again`, exit.cause)
          finished(task, { error }, now)
        }),
      ),
    )

  // Starts every ready task that may go now and answers when the next backoff ends (Infinity: none pending).
  const start = (now: number) =>
    Effect.gen(function* () {
      let soonest = Number.POSITIVE_INFINITY
      for (const task of ready) {
        if (inFlight.size >= concurrency) break
        if (inFlight.has(task)) continue
        const at = backoff.get(task)?.at ?? 0
        if (at > now) {
          soonest = Math.min(soonest, at)
          continue
        }
        ready.delete(task)
        inFlight.add(task)
        yield* Effect.forkScoped(drainTask(task))
      }
      return soonest
    })

  const step = Effect.gen(function* () {
    Latch.closeUnsafe(latch)
    const now = yield* Clock.currentTimeMillis
    const soonest = yield* start(now)
    yield* Number.isFinite(soonest)
      ? Effect.raceFirst(latch.await, Effect.sleep(Math.max(1, soonest - now)))
      : latch.await
  })
  // The lane lives as long as its entity: a step that dies is logged and the loop goes on, never leaving a connection
  // whose wakes nobody drains.
  yield* step.pipe(
    Effect.catchCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.failCause(cause)
        : Effect.andThen(
            Effect.logError(`push lane of connection ${connection} failed a step`, cause),
            Effect.sleep("1 second"),
          ),
    ),
    Effect.forever,
    Effect.forkScoped,
  )

  return PushLane.of({
    wake: ({ payload }) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        for (const task of payload.tasks) {
          if (payload.reason === "change") {
            // A new change (or an operator's retry) is looked at now: it may supersede a held row or end a backoff.
            parked.delete(task)
            const failing = backoff.get(task)
            if (failing !== undefined) backoff.set(task, { failures: failing.failures, at: now })
          } else if ((parked.get(task) ?? 0) > now || inFlight.has(task)) {
            continue
          }
          ready.add(task)
        }
        Latch.openUnsafe(latch)
      }),
    status: () =>
      Effect.map(Clock.currentTimeMillis, (now) => ({
        ready: [...ready],
        inFlight: [...inFlight],
        parked: [...parked].filter(([, until]) => until > now).map(([task]) => task),
        backingOff: [...backoff].filter(([, b]) => b.at > now).map(([task]) => task),
      })),
  })
})

/** The lanes on a runner; one per connection, kept while its shard stays here (a lane costs a few maps when idle). */
export const PushLaneLayer = PushLane.toLayer(build, { concurrency: "unbounded", maxIdleTime: Duration.infinity })

/**
 * Tells `connection`'s lane to look at `tasks`. The caller waits at most `waitMillis` (the time a reachable lane takes
 * to take the message); a lane that cannot be reached now (no runner holds its shard yet) gets it in the background
 * once one does, and misses nothing meanwhile: the rows are in the outbox and the sweep wakes it within its interval.
 */
export const wake = (
  connection: ConnectionId,
  tasks: ReadonlyArray<TaskId>,
  reason: typeof WakeReason.Type,
): Effect.Effect<void, never, Sharding> =>
  Effect.gen(function* () {
    if (tasks.length === 0) return
    const client = yield* PushLane.client
    const delivery = yield* client(connection)
      .wake({ tasks: [...new Set(tasks)], reason }, { discard: true })
      .pipe(
        Effect.timeout(unreachableAfter),
        Effect.catchCause((cause) =>
          Effect.logWarning(`push lane of connection ${connection} not reached; the outbox sweep will wake it`, cause),
        ),
        Effect.forkDetach,
      )
    yield* Fiber.await(delivery).pipe(Effect.timeoutOption(waitMillis))
  })

/** How long a caller waits for a wake to be taken before leaving it to finish in the background. */
const waitMillis = 250
/** A wake still not taken after this is dropped (the sweep has woken the lane by then). */
const unreachableAfter = Duration.seconds(30)

/** What `connection`'s lane holds now. */
export const status = (connection: ConnectionId) =>
  Effect.flatMap(PushLane.client, (client) => client(connection).status())
