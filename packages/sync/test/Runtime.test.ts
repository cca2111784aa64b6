// The durable-execution runtime on every backend and cluster shape: retried activities apply their effect once, an
// idempotency key names one execution, periodic jobs fire per key, a workflow survives `kill -9` of its process
// (test/fixtures/crash-worker.ts), and workers on one PostgreSQL share, route and hand over shards.
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { Sharding } from "effect/cluster/Sharding"
import { SqlClient } from "effect/sql/SqlClient"
import * as Runtime from "../src/Runtime.ts"
import { backends } from "./support/backends.ts"
import { spawnFixture } from "./support/child.ts"
import { fast } from "./support/fast.ts"
import { awaitShards, transferOwnedBy } from "./support/shards.ts"
import { runners, shapes, stack, tempDir, uid } from "./support/stack.ts"
import { awaitTicks, interval, Ticks, ticksOf } from "./support/Ticks.ts"
import { counts, Gate, Transfer } from "./support/Transfer.ts"

for (const backend of backends) {
  for (const shape of shapes(backend)) {
    describe(`runtime [${shape.name} on ${backend.name}]`, () => {
      const cluster = Layer.unwrap(Effect.map(backend.fresh, (db) => stack(db, shape.config)))
      layer(cluster, { excludeTestServices: true, timeout: "60 seconds" })((it) => {
        it.effect("retries a transiently failing activity and applies its side effect exactly once", () =>
          Effect.gen(function* () {
            const id = uid("retry")
            const result = yield* Runtime.run(Transfer, { id, amount: 5, failures: 2 })
            assert.strictEqual(result.attempt, 3, "two transient failures, then success")
            // Three attempts each wrote; only the keyed write landed once. The naive control shows it had to.
            assert.deepStrictEqual(yield* counts(id), { attempts: 3, effects: 1, naive: 3 })
          }),
        )

        it.effect("gives up after the retry budget and reports the activity's error", () =>
          Effect.gen(function* () {
            const id = uid("exhausted")
            const exit = yield* Effect.exit(Runtime.run(Transfer, { id, amount: 1, failures: 99 }))
            assert.isTrue(Exit.isFailure(exit))
            assert.deepStrictEqual(yield* counts(id), { attempts: 6, effects: 1, naive: 6 })
          }),
        )

        it.effect("runs one execution per idempotency key and returns its result to every caller", () =>
          Effect.gen(function* () {
            const payload = { id: uid("once"), amount: 7, failures: 0 }
            const [a, b] = yield* Effect.all([Runtime.run(Transfer, payload), Runtime.run(Transfer, payload)], {
              concurrency: 2,
            })
            const again = yield* Runtime.run(Transfer, payload)
            // The nonce is drawn inside the activity: equal nonces mean one activity run served all three calls.
            assert.deepStrictEqual([b, again], [a, a])
            assert.deepStrictEqual(yield* counts(payload.id), { attempts: 1, effects: 1, naive: 1 })
            const executionId = yield* Runtime.start(Transfer, payload)
            assert.strictEqual(executionId, yield* Transfer.executionId(payload))
            const polled = yield* Runtime.poll(Transfer, executionId)
            assert.deepInclude(polled, { _tag: "Some" })
          }),
        )

        it.effect("fires a periodic job per key on its interval, once per tick, until the job stops it", () =>
          Effect.gen(function* () {
            const [twice, single, once] = [uid("twice"), uid("single"), uid("once")]
            yield* Effect.forEach([twice, twice, single, once], Ticks.start, { discard: true })
            for (const at of yield* awaitTicks([twice, single], 3)) {
              // On the interval's grid and never twice at one instant: the second `start` joined the running chain
              // (a late tick skips missed instants rather than bursting to catch up).
              assert.isTrue(
                at.every((t, i) => t % interval === 0 && t > (at[i - 1] ?? 0)),
                `ticked at ${at}`,
              )
            }
            assert.lengthOf(yield* ticksOf(once), 1, "the job ended this key's chain")
            assert.isNotEmpty(yield* ticksOf("boot"), "the startup singleton started the configured keys")
          }),
        )

        it.effect("keeps the cluster in its own tables; runners and shard locks only where they are shared", () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient
            const tables = yield* sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
              WHERE table_name LIKE 'cluster%' ORDER BY table_name`
            const messages = ["cluster_messages", "cluster_migrations", "cluster_replies"]
            // PGlite keeps runner storage in memory: SQL shard locks would hold its single connection.
            const runnerStorage = ["cluster_locks", "cluster_runner_migrations", "cluster_runners"]
            const expected = backend.name === "pglite" ? messages : [...messages, ...runnerStorage]
            assert.deepStrictEqual(
              tables.map((t) => t.name),
              expected.sort(),
            )
          }),
        )
      })
    })
  }
}

const crashWorker = fileURLToPath(new URL("./fixtures/crash-worker.ts", import.meta.url))

for (const backend of backends) {
  // PostgreSQL: the real multi-process `worker` runner. PGlite: the embedded runner on a data dir that outlives it.
  const runner = backend.name === "postgres" ? { TASKBRIDGE_RUNNER: "worker" } : {}
  describe(`crash recovery [${backend.name}]`, () => {
    it.live(
      "a workflow whose process is killed with SIGKILL mid-activity resumes in a fresh process, effect applied once",
      () =>
        Effect.gen(function* () {
          const db = yield* backend.fresh
          const env = { ...db.env, ...runner }
          const gate = join(yield* tempDir, "open")
          const id = uid("crash")
          const first = yield* spawnFixture(crashWorker, ["start", id, gate], env)
          // The activity has committed its effect and now waits at the gate: the worst moment to die, since the
          // activity's result is not yet recorded and the replay must run it again.
          yield* first.line(`blocked ${id}`)
          // Runner registrations exist with SQL runner storage only, i.e. on PostgreSQL.
          const killed = backend.name === "postgres" ? yield* runners(db) : []
          if (backend.name === "postgres") assert.lengthOf(killed, 1, "the first worker registered itself")
          first.process.kill("SIGKILL")
          assert.strictEqual(yield* first.exited, null, "killed by the signal, not exited")
          yield* Effect.promise(() => writeFile(gate, ""))

          const second = yield* spawnFixture(crashWorker, ["finish", id, gate], env)
          const result: unknown = JSON.parse(yield* second.line("result "))
          assert.strictEqual(yield* second.exited, 0, second.output())
          assert.deepInclude(result, { attempt: 1 })
          // Two runs of the activity body (the killed one and the replay), one applied effect; the unkeyed control
          // write ran twice, which is what an idempotency key is for.
          assert.deepStrictEqual(yield* counts(id).pipe(Effect.provide(db.layer), Effect.orDie), {
            attempts: 2,
            effects: 1,
            naive: 2,
          })
          // A clean shutdown unregisters the runner; only the killed one's row may remain until its heartbeat expires.
          const left = backend.name === "postgres" ? yield* runners(db) : []
          assert.isTrue(
            left.every((address) => killed.includes(address)),
            `registered after shutdown: ${left}`,
          )
        }).pipe(Effect.scoped),
      60_000,
    )
  })
}

const postgres = backends.find((backend) => backend.name === "postgres")
if (postgres !== undefined) {
  describe("worker cluster [postgres]", () => {
    it.live(
      "a joining worker takes a share of the shards, serves what is routed to it, and hands them back on shutdown",
      () =>
        Effect.gen(function* () {
          const db = yield* postgres.fresh
          const ranOn = new Map<string, string>()
          // Each worker's gate records where the activity ran.
          const gate = (name: string) =>
            Layer.succeed(Gate, { pass: (id) => Effect.sync(() => void ranOn.set(id, name)) })
          const worker = (name: string) => stack(db, { _tag: "worker", sharding: fast }, gate(name))
          const a = yield* Layer.build(worker("a"))
          const bScope = yield* Scope.fork(yield* Effect.scope)
          const b = yield* Layer.buildWithScope(worker("b"), bScope)
          const [shardingA, shardingB] = [Context.get(a, Sharding), Context.get(b, Sharding)]
          // No configuration beyond the database: b found a through cluster_runners and the shards were split.
          yield* awaitShards(
            (shards) =>
              shards.some(shardingB.hasShardId) &&
              shards.every((shard) => shardingA.hasShardId(shard) !== shardingB.hasShardId(shard)),
          )
          const onA = yield* transferOwnedBy(shardingA, (shard) => shardingA.hasShardId(shard))
          const onB = yield* transferOwnedBy(shardingA, (shard) => shardingB.hasShardId(shard))
          // Both started from a; the one whose shard b holds crosses the socket to b and runs there.
          yield* Effect.forEach([onA, onB], (payload) => Runtime.run(Transfer, payload).pipe(Effect.provide(a)))
          assert.deepStrictEqual([ranOn.get(onA.id), ranOn.get(onB.id)], ["a", "b"])

          const movedToA = yield* transferOwnedBy(shardingA, (shard) => shardingB.hasShardId(shard))
          yield* Scope.close(bScope, Exit.void)
          assert.lengthOf(yield* runners(db), 1, "b unregistered on shutdown")
          yield* awaitShards((shards) => shards.every(shardingA.hasShardId))
          yield* Runtime.run(Transfer, movedToA).pipe(Effect.provide(a))
          assert.strictEqual(ranOn.get(movedToA.id), "a")
          for (const payload of [onA, onB, movedToA]) {
            assert.deepInclude(yield* counts(payload.id).pipe(Effect.provide(a)), { attempts: 1, effects: 1 })
          }
        }).pipe(Effect.scoped),
      60_000,
    )
  })
}
