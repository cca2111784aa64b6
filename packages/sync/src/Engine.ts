// The sync engine's entry points: pull a connection (one at a time per connection, recorded as a sync run with
// page/record progress, a first pull being the backfill), push a record's queued changes, and apply a local edit.
// Durable scheduling (workflows, crons) wraps these in Runtime.ts; they are also callable directly.

import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { ConnectionPaused } from "@taskbridge/domain/Errors"
import type { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import { CheckpointRepository, type SubjectKey, SyncRunRepository } from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { Context, Effect, Layer, Semaphore, Stream } from "effect"
import { type Resolution, resolveConflict } from "./Conflicts.ts"
import { createTask, type NewTask } from "./Create.ts"
import { discard, requeue } from "./DeadLetters.ts"
import { type EscalationEdit, updateEscalation } from "./Escalations.ts"
import { type LocalChange, updateTask } from "./Local.ts"
import { applyPage, type Target } from "./Pull.ts"
import { drain } from "./Push.ts"

const target = (id: ConnectionId) =>
  Effect.gen(function* () {
    const connection = yield* (yield* ConnectionRepository).find(id)
    const adapter = yield* (yield* VendorAdapters).forConnection(id)
    return { connection, adapter } satisfies Target
  })

/** Why a pull runs: its schedule, an operator's "pull now", or a vendor webhook's hint. */
export type PullReason = "schedule" | "manual" | "webhook"

/** Every page is applied (with its checkpoint) in its own transaction; the run records progress as it goes. */
const pull = Effect.fn("Engine.pull")(function* (id: ConnectionId, reason: PullReason = "schedule") {
  const found = yield* target(id)
  if (!found.connection.enabled) return yield* new ConnectionPaused({ id })
  const t: Target = { ...found, origin: reason === "webhook" ? "webhook" : "pull" }
  const checkpoint = yield* (yield* CheckpointRepository).get(id)
  const runs = yield* SyncRunRepository
  const kind = checkpoint === null ? "backfill" : reason === "webhook" ? "webhook" : "incremental"
  const run = yield* runs.start(t.connection.organizationId, id, kind)
  const outcome = yield* Stream.runForEach(t.adapter.listChanges(checkpoint), (page) =>
    Effect.andThen(
      applyPage(t, page),
      runs.progress(run.id, { records: page.records.length, total: page.progress.total }),
    ),
  ).pipe(Effect.exit)
  const error = outcome._tag === "Failure" ? String(outcome.cause) : null
  return yield* runs.finish(run.id, { error })
})

/** A paused connection's changes stay queued (pending) until it is resumed; nothing is sent meanwhile. */
const push = (connection: ConnectionId, subject: SubjectKey) =>
  Effect.flatMap(target(connection), (t) => (t.connection.enabled ? drain(t, connection, subject) : Effect.void))

/** Retry a dead letter: back to pending, then pushed in order with the rest of its record's changes. */
const retry = (organization: OrganizationId, id: string) =>
  Effect.flatMap(requeue(organization, id), (entry) => push(entry.connectionId, entry.subject))

/** The service's methods need nothing from their caller: the layer captured their dependencies. */
type Provided<E> = E extends Effect.Effect<infer A, infer Err, infer _R> ? Effect.Effect<A, Err> : never

export class SyncEngine extends Context.Service<
  SyncEngine,
  {
    readonly pull: (connection: ConnectionId, reason?: PullReason) => Provided<ReturnType<typeof pull>>
    readonly push: (connection: ConnectionId, subject: SubjectKey) => Provided<ReturnType<typeof push>>
    readonly update: (change: LocalChange) => Provided<ReturnType<typeof updateTask>>
    readonly updateEscalation: (edit: EscalationEdit) => Provided<ReturnType<typeof updateEscalation>>
    readonly create: (task: NewTask) => Provided<ReturnType<typeof createTask>>
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
      const locks = new Map<string, Semaphore.Semaphore>()
      const lock = (key: string) => {
        const existing = locks.get(key)
        if (existing !== undefined) return existing
        const created = Semaphore.makeUnsafe(1)
        locks.set(key, created)
        return created
      }
      return SyncEngine.of({
        pull: (connection, reason) =>
          lock(`pull:${connection}`).withPermits(1)(pull(connection, reason)).pipe(Effect.provide(context)),
        push: (connection, subject) =>
          lock(`push:${connection}:${subject.kind}:${subject.id}`)
            .withPermits(1)(push(connection, subject))
            .pipe(Effect.provide(context)),
        update: (change) => updateTask(change).pipe(Effect.provide(context)),
        updateEscalation: (edit) => updateEscalation(edit).pipe(Effect.provide(context)),
        create: (task) => createTask(task).pipe(Effect.provide(context)),
        resolve: (resolution) => resolveConflict(resolution).pipe(Effect.provide(context)),
        retry: (organization, id) => retry(organization, id).pipe(Effect.provide(context)),
        discard: (organization, id) => discard(organization, id).pipe(Effect.provide(context)),
      })
    }),
  )
}
