// The sync engine's entry points, the same for every vendor and kind of work item: pull a connection (one at a time
// per connection, recorded as a sync run with page/record progress, a first pull being the backfill), push a task's
// queued changes, apply a local edit, create, restore, resolve conflicts, decide held deletions and dead letters.
// Durable scheduling (workflows, crons) wraps these in Runtime.ts; they are also callable directly.

import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { ConnectionPaused, SyncError, Transient } from "@taskbridge/domain/Errors"
import type { ConnectionId, OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import {
  CheckpointRepository,
  type SyncRun,
  SyncRunRepository,
  TaskRepository,
} from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { Cause, Context, DateTime, Effect, Layer, Option, Stream } from "effect"
import { type Resolution, resolveConflict } from "./Conflicts.ts"
import { createTask, type NewTask } from "./Create.ts"
import { discard, requeue } from "./DeadLetters.ts"
import * as GroupCommit from "./GroupCommit.ts"
import { type Decision, decideHeld } from "./HeldDeletions.ts"
import * as KeyedLock from "./KeyedLock.ts"
import { type LocalChange, type Restore, restoreTask, updateTask } from "./Local.ts"
import { applyPage, prepare, type Target } from "./Pull.ts"
import { type Answer, drain, Settles, settleTogether } from "./Push.ts"

const target = (id: ConnectionId) =>
  Effect.gen(function* () {
    // One read: the connection and its settings' version, which tells whether the cached adapter is still current.
    const { connection, version } = yield* (yield* ConnectionRepository).findVersioned(id)
    const adapter = yield* (yield* VendorAdapters).forConnection(id, version)
    return { connection, adapter } satisfies Target
  })

/** Why a pull runs: its schedule, an operator's "pull now", or a vendor webhook's hint. */
export type PullReason = "schedule" | "manual" | "webhook"

/** Pages fetched ahead of the one being written; each is at most a vendor page, so memory stays bounded. */
const prefetch = 2

/** A run that showed no progress for this long belongs to a process that died (no page takes anywhere near it). */
const abandonedAfterSeconds = 300

/**
 * Whether the connection's backfill has completed. A backfill whose process died after committing a page leaves a
 * checkpoint, so the pull that resumes it must still count as the backfill (or the backfill would read "running"
 * until abandoned, then "failed", though its records all arrived): until one backfill run succeeds, every run is
 * one. The newest runs tell: any settled run other than a failed backfill means it was done.
 */
const backfilled = Effect.fn("Engine.backfilled")(function* (id: ConnectionId) {
  const recent = yield* (yield* SyncRunRepository).list(id, 20)
  const settled = recent.filter((run) => run.state !== "running")
  // Twenty runs with none settled: leave the kind as it would have been before, rather than loop on a guess.
  if (settled.length === 0) return recent.length > 0 && recent.some((run) => run.kind !== "backfill")
  return settled.some((run) => run.kind !== "backfill" || run.state === "succeeded")
})

/**
 * Every page is applied (with its checkpoint) in its own transaction; the run records progress as it goes. A failure
 * is recorded in the run, which is returned with the typed error that ended it.
 */
const pullRun = Effect.fn("Engine.pullRun")(function* (id: ConnectionId, reason: PullReason) {
  const found = yield* target(id)
  if (!found.connection.enabled) return yield* new ConnectionPaused({ id })
  const t: Target = { ...found, origin: reason === "webhook" ? "webhook" : "pull" }
  const checkpoint = yield* (yield* CheckpointRepository).get(id)
  const runs = yield* SyncRunRepository
  yield* runs.abandon(id, "interrupted: the process running it stopped", abandonedAfterSeconds)
  const kind =
    checkpoint === null || !(yield* backfilled(id)) ? "backfill" : reason === "webhook" ? "webhook" : "incremental"
  const run = yield* runs.start(t.connection.organizationId, id, kind)
  // The next page is fetched, decoded and hashed while this one is written: the vendor, this process and the
  // database work at once instead of taking turns. Each page still commits with its own checkpoint, in order.
  // Each page is stamped with when it was read, so a push that stores an answer while it waits is not undone by it.
  const pages = t.adapter.listChanges(checkpoint).pipe(
    Stream.mapEffect((page) => Effect.map(DateTime.now, (readAt) => prepare(page, readAt))),
    Stream.buffer({ capacity: prefetch }),
  )
  // After each committed page the planner's statistics are refreshed if the page's writes outgrew them (a backfill
  // from empty does at every doubling): otherwise its next pages, and the incremental pulls after it, are planned
  // for the tables as they were. Only an optimisation: a failure is logged and the pull goes on.
  const tasks = yield* TaskRepository
  const refresh = tasks.refreshStatistics.pipe(
    Effect.asVoid,
    Effect.catchTag("PersistenceError", (error) =>
      Effect.logWarning(`refreshing the planner's statistics failed: ${error.message}`),
    ),
  )
  const outcome = yield* Stream.runForEach(pages, (prepared) =>
    applyPage(t, prepared).pipe(
      Effect.andThen(
        runs.progress(run.id, { records: prepared.page.records.length, total: prepared.page.progress.total }),
      ),
      Effect.andThen(refresh),
    ),
  ).pipe(Effect.exit)
  if (outcome._tag === "Failure") yield* Effect.logWarning(`pull of connection ${id} failed`, outcome.cause)
  const finished = yield* runs.finish(run.id, {
    error: outcome._tag === "Failure" ? describeFailure(outcome.cause) : null,
  })
  const failure = outcome._tag === "Failure" ? Option.getOrNull(Cause.findErrorOption(outcome.cause)) : null
  return { run: finished, failure: failure instanceof SyncError ? failure : null }
})

const pull = (id: ConnectionId, reason: PullReason = "schedule") => Effect.map(pullRun(id, reason), ({ run }) => run)

/** When this process last started a pull of each connection that succeeded (epoch ms). */
type PulledAt = Map<ConnectionId, number>

const remember = (pulled: PulledAt, id: ConnectionId, run: SyncRun) => {
  const startedAt = DateTime.toEpochMillis(run.startedAt)
  if (run.state === "succeeded" && startedAt > (pulled.get(id) ?? 0)) pulled.set(id, startedAt)
}

/**
 * The push's look before writing, for a vendor whose manifest says `pull`: a pull of the connection that started
 * within `withinMillis` of the request, from this process or another (the runs are shared), stands; otherwise one
 * runs now. Callers that wait on the same pull lock share the pull that follows, so a backlog of pushes costs one
 * listing per window instead of a read each. A pull that stands is found before the lock is queued for: this
 * process's own last pull answers without a query, another's with one, so a push never waits behind a pull in
 * progress (a scheduled one, say) when an earlier one is recent enough; under a backlog that wait serialised every
 * push of the connection.
 */
const freshPull = Effect.fn("Engine.freshPull")(function* (
  locked: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  pulled: PulledAt,
  id: ConnectionId,
  withinMillis: number,
) {
  const requestedAt = DateTime.toEpochMillis(yield* DateTime.now)
  const fresh = (startedAt: number | undefined) => startedAt !== undefined && startedAt >= requestedAt - withinMillis
  if (fresh(pulled.get(id))) return
  const runs = yield* SyncRunRepository
  const recent = Effect.map(runs.list(id, 5), (list) =>
    list.some((run) => run.state === "succeeded" && fresh(DateTime.toEpochMillis(run.startedAt))),
  )
  if (yield* recent) return
  yield* locked(
    Effect.gen(function* () {
      // Looked at again: the pull this caller queued behind may be the one it needs.
      if (fresh(pulled.get(id)) || (yield* recent)) return
      const { run, failure } = yield* pullRun(id, "schedule")
      remember(pulled, id, run)
      if (failure !== null) return yield* failure
      if (run.state === "failed") {
        const reason = new Transient({ detail: `the look before writing could not list: ${run.error}` })
        return yield* new SyncError({ vendor: (yield* target(id)).connection.vendor, operation: "list", reason })
      }
    }),
  )
})

/** What a failed pull's run shows: the typed error's message (it names the vendor and operation), never a stack. */
const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.findErrorOption(cause)
  if (Option.isSome(error)) {
    const e = error.value
    return e instanceof Error
      ? e.message
      : typeof e === "object" && e !== null && "_tag" in e
        ? String(e._tag)
        : String(e)
  }
  return Cause.hasInterruptsOnly(cause) ? "interrupted" : "an unexpected failure; it has been logged"
}

/**
 * A paused connection's changes stay queued (pending) until it is resumed; nothing is sent meanwhile. Answers what
 * is left of the task: nothing (`done`), a row held behind a conflict (`held`), or everything (`paused`).
 */
const push = (connection: ConnectionId, task: TaskId, refresh: Target["refresh"]) =>
  Effect.flatMap(target(connection), (t) =>
    t.connection.enabled ? drain({ ...t, refresh }, connection, task) : Effect.succeed("paused" as const),
  )

/** Retry a dead letter: back to pending, then pushed in order with the rest of its task's changes. */
const retry = (organization: OrganizationId, id: string, refresh: (connection: ConnectionId) => Target["refresh"]) =>
  Effect.flatMap(requeue(organization, id), (entry) =>
    Effect.asVoid(push(entry.connectionId, entry.taskId, refresh(entry.connectionId))),
  )

/** The service's methods need nothing from their caller: the layer captured their dependencies. */
type Provided<E> = E extends Effect.Effect<infer A, infer Err, infer _R> ? Effect.Effect<A, Err> : never

export class SyncEngine extends Context.Service<
  SyncEngine,
  {
    readonly pull: (connection: ConnectionId, reason?: PullReason) => Provided<ReturnType<typeof pull>>
    readonly push: (connection: ConnectionId, task: TaskId) => Provided<ReturnType<typeof push>>
    readonly update: (change: LocalChange) => Provided<ReturnType<typeof updateTask>>
    readonly restore: (input: Restore) => Provided<ReturnType<typeof restoreTask>>
    readonly create: (task: NewTask) => Provided<ReturnType<typeof createTask>>
    readonly decideDeletion: (decision: Decision) => Provided<ReturnType<typeof decideHeld>>
    readonly resolve: (resolution: Resolution) => Provided<ReturnType<typeof resolveConflict>>
    readonly retry: (organization: OrganizationId, id: string) => Provided<ReturnType<typeof retry>>
    readonly discard: (organization: OrganizationId, id: string) => Provided<ReturnType<typeof discard>>
  }
>()("@taskbridge/sync/SyncEngine") {
  /** Pulls of one connection never overlap in this process; pushes of one record go out one at a time. */
  static readonly layer = Layer.effect(
    SyncEngine,
    Effect.gen(function* () {
      const context =
        yield* Effect.context<
          Effect.Services<ReturnType<typeof pull> | ReturnType<typeof push> | ReturnType<typeof updateTask>>
        >()
      const locks = yield* KeyedLock.make
      // A connection's push answers that arrive while one is being stored are stored together (`settleTogether`).
      const answers = yield* GroupCommit.make(
        (_connection: ConnectionId, batch: ReadonlyArray<Answer>) => settleTogether(batch),
        { maxBatch: 64 },
      )
      const settles = Settles.of({
        submit: (answer) => answers.submit(answer.target.connection.id, answer).pipe(Effect.provide(context)),
      })
      const pulled: PulledAt = new Map()
      const refresh =
        (connection: ConnectionId): Target["refresh"] =>
        (withinMillis) =>
          freshPull(locks.withLock(`pull:${connection}`), pulled, connection, withinMillis).pipe(
            Effect.provide(context),
          )
      return SyncEngine.of({
        pull: (connection, reason) =>
          locks
            .withLock(`pull:${connection}`)(pull(connection, reason))
            .pipe(
              Effect.tap((run) => Effect.sync(() => remember(pulled, connection, run))),
              Effect.provide(context),
            ),
        push: (connection, task) =>
          locks
            .withLock(`push:${connection}:${task}`)(push(connection, task, refresh(connection)))
            .pipe(Effect.provide(context), Effect.provideService(Settles, settles)),
        update: (change) => updateTask(change).pipe(Effect.provide(context)),
        restore: (input) => restoreTask(input).pipe(Effect.provide(context)),
        create: (task) => createTask(task).pipe(Effect.provide(context)),
        decideDeletion: (decision) => decideHeld(decision).pipe(Effect.provide(context)),
        resolve: (resolution) => resolveConflict(resolution).pipe(Effect.provide(context)),
        retry: (organization, id) =>
          retry(organization, id, refresh).pipe(Effect.provide(context), Effect.provideService(Settles, settles)),
        discard: (organization, id) => discard(organization, id).pipe(Effect.provide(context)),
      })
    }),
  )
}
