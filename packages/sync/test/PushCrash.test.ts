// The push survives a crash: a worker process is killed with SIGKILL while its PATCH hangs at Candid, a fresh
// process takes the push lane over, reconciles with Candid (the change did not land) and sends it once.
// PostgreSQL runs the real multi-process worker runner; PGlite the embedded runner on a data dir that outlives it.
import { randomBytes } from "node:crypto"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId, VendorRecordId } from "@taskbridge/domain/Ids"
import { OutboxRepository, TaskRepository } from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Layer, Schedule } from "effect"
import { FetchHttpClient } from "effect/http"
import { SyncEngine } from "../src/Engine.ts"
import * as Registry from "../src/Registry.ts"
import { backends, type FreshDatabase, repositories } from "./support/backends.ts"
import { candidConnection } from "./support/candid.ts"
import { spawnFixture } from "./support/child.ts"

type Candid = Awaited<ReturnType<typeof startCandid>>
const pushWorker = fileURLToPath(new URL("./fixtures/push-worker.ts", import.meta.url))
const key = randomBytes(32)
const user = "0d3c5b1e-2f4a-4c6b-8d9e-1a2b3c4d5e6f"

const inProcess = (db: FreshDatabase) =>
  Layer.provideMerge(SyncEngine.layer, Registry.layer).pipe(
    Layer.provideMerge(repositories(db, new Uint8Array(key))),
    Layer.provideMerge(
      Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer, Registry.VendorDefinitions.layer(definitions)),
    ),
  )

/** An organization, a Candid connection, a backfill and one local edit waiting in the outbox. */
const prepare = (candid: Candid) =>
  Effect.gen(function* () {
    const connection = yield* candidConnection(candid, "crash")
    const engine = yield* SyncEngine
    yield* engine.pull(connection.id)
    const recordId = candid.state().store.ids.task.encode(candid.state().store.tasks.cols.org.indexOf(0))
    const task = yield* (yield* TaskRepository).findByRecord(connection.id, VendorRecordId.make(recordId))
    if (task === null) return yield* Effect.die(new Error("no local task"))
    const patch = { assignees: [Assignee.cases.User.make({ id: UserId.make(user) })] }
    const { queued } = yield* engine.update({
      organizationId: connection.organizationId,
      id: task.id,
      expectedVersion: task.version,
      patch,
      actor: "tester",
      origin: "api",
    })
    return {
      outboxId: queued[0]?.id ?? "",
      connectionId: connection.id,
      taskId: task.id,
      recordId,
      org: connection.organizationId,
    }
  })

for (const backend of backends) {
  const runner = backend.name === "postgres" ? { TASKBRIDGE_RUNNER: "worker" } : {}
  describe(`push crash recovery [${backend.name}]`, () => {
    it.live(
      "a worker killed with SIGKILL mid-push restarts, and the change reaches Candid exactly once",
      () =>
        Effect.gen(function* () {
          const candid = yield* Effect.acquireRelease(
            Effect.promise(() => startCandid({ port: 0, seed: 9, size: 20 })),
            (c) => Effect.promise(() => c.close()),
          )
          const db = yield* backend.fresh
          const env = { ...db.env, ...runner, TASKBRIDGE_SECRET_KEY: key.toString("base64") }
          const ids = yield* prepare(candid).pipe(Effect.provide(inProcess(db)))
          const args = [ids.outboxId, ids.connectionId, ids.taskId]
          const seq = candid.control.requests.nextSeq()
          // The PATCH hangs at Candid and is never processed: the worker dies waiting for the answer.
          candid.control.faults.add({ kind: "timeout", count: 1, method: "PATCH", holdMs: 120_000 })
          const first = yield* spawnFixture(pushWorker, ["start", ...args], env)
          yield* first.line("started")
          const patchesSince = () =>
            candid.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "PATCH")
          yield* Effect.sync(() => patchesSince().length).pipe(
            Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (n) => n > 0 }),
            Effect.timeout("60 seconds"),
            Effect.orDie,
          )
          first.process.kill("SIGKILL")
          assert.strictEqual(yield* first.exited, null, "killed by the signal")

          const second = yield* spawnFixture(pushWorker, ["finish", ...args], env)
          yield* second.line("pushed", "90 seconds")
          assert.strictEqual(yield* second.exited, 0, second.output())
          // The held PATCH never got an answer (status null); exactly one PATCH was applied.
          assert.deepStrictEqual(
            patchesSince().map((r) => r.status),
            [null, 200],
          )
          const after = yield* Effect.gen(function* () {
            const adapter = yield* (yield* VendorAdapters).forConnection(ids.connectionId)
            const record = yield* adapter.get({ id: VendorRecordId.make(ids.recordId), parent: null })
            const sent = yield* (yield* OutboxRepository).list(ids.org, { state: "sent", limit: 10 })
            return { record, sent }
          }).pipe(Effect.provide(inProcess(db)))
          const assignees = after.record.snapshot.fields.assignees
          assert.deepStrictEqual(
            assignees.map((a) => (a._tag === "User" ? a.id : "")),
            [user],
            "Candid has the change",
          )
          assert.deepStrictEqual(
            after.sent.map((e) => e.id),
            [ids.outboxId],
          )
        }).pipe(Effect.scoped, Effect.orDie),
      180_000,
    )
  })
}
