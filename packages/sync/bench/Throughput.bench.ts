// The sync engine's throughput on each database backend (PGlite always, PostgreSQL with TEST_DATABASE_URL), wired as
// the apps wire it (App.engine), against the Candid emulator over real HTTP: a backfill (records/s, the process's memory), an
// incremental pull after vendor-side staff edits, and local edits pushed to Candid (pushes/s, each exactly once).
// BENCH_SYNC_TASKS sizes the emulator (default 20,000 tasks across its organizations). Target: a backfill of at least
// 500 records/s on either backend (about 1,100/s measured on the 2-core reference machine).

import { TaskQuery } from "@taskbridge/db/TaskQuery"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Layer, ManagedRuntime } from "effect"
import { expect, test } from "vitest"
import * as App from "../src/App.ts"
import { SyncEngine } from "../src/Engine.ts"
import { backends, repositories } from "../test/support/backends.ts"
import { candidConnection } from "../test/support/candid.ts"

const size = Number(process.env.BENCH_SYNC_TASKS ?? 20_000)
const vendorEdits = 1_000
const pushes = 200
const backfillTarget = 500
const assignee = Assignee.cases.User.make({ id: UserId.make("6f1c2a52-8c1d-4a8e-9d2b-0c5e7f9a1b3d") })

const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`
const perSecond = (count: number, millis: number) => Math.round((count * 1000) / Math.max(millis, 1))

const timed = async <A>(run: () => Promise<A>) => {
  const started = performance.now()
  const value = await run()
  return { value, millis: performance.now() - started }
}

for (const backend of backends) {
  test(`sync throughput on ${backend.name}: ${size} Candid tasks`, { timeout: 30 * 60_000 }, async () => {
    const candid = await startCandid({ port: 0, seed: 17, size })
    const env = App.engine(
      Layer.unwrap(Effect.map(backend.fresh, (db) => repositories(db, new Uint8Array(32).fill(5)))),
      definitions,
      { allowHosts: ["127.0.0.1"] },
    )
    const runtime = ManagedRuntime.make(env)
    try {
      const connection = await runtime.runPromise(candidConnection(candid, "bench"))
      const pull = () => runtime.runPromise(SyncEngine.use((engine) => engine.pull(connection.id)))

      const rssBefore = process.memoryUsage().rss
      const backfill = await timed(pull)
      expect(backfill.value.state).toBe("succeeded")
      // maxRSS is the peak over the whole process (emulator, PGlite and earlier backends included), not this run's.
      const peakRss = process.resourceUsage().maxRSS * 1024

      candid.control.activity.step(vendorEdits)
      const incremental = await timed(pull)
      expect(incremental.value.state).toBe("succeeded")

      // Local edits of open work, then every push drained the way a push lane runs it, eight records at a time.
      const seq = candid.control.requests.nextSeq()
      const pushed = await timed(() =>
        runtime.runPromise(
          Effect.gen(function* () {
            const engine = yield* SyncEngine
            const page = yield* (yield* TaskQuery).list({
              organizationId: connection.organizationId,
              filter: { statuses: ["open", "in_progress", "waiting"] },
              limit: pushes,
            })
            const queued = yield* Effect.forEach(page.items, (task) =>
              engine.update({
                organizationId: task.organizationId,
                id: task.id,
                expectedVersion: task.version,
                patch: { assignees: [assignee] },
                actor: "bench",
                origin: "api",
              }),
            )
            yield* Effect.forEach(queued, ({ task }) => engine.push(connection.id, task.id), {
              concurrency: 8,
            })
            return page.items.length
          }),
        ),
      )
      const patches = candid.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "PATCH")
      expect(patches).toHaveLength(pushed.value)

      console.table({
        backfill: {
          records: backfill.value.records,
          pages: backfill.value.pages,
          seconds: +(backfill.millis / 1000).toFixed(1),
          "per second": perSecond(backfill.value.records, backfill.millis),
          memory: `process rss ${megabytes(rssBefore)}, peak so far ${megabytes(peakRss)}`,
        },
        [`incremental after ${vendorEdits} vendor edits`]: {
          records: incremental.value.records,
          pages: incremental.value.pages,
          seconds: +(incremental.millis / 1000).toFixed(1),
          "per second": perSecond(incremental.value.records, incremental.millis),
          memory: "",
        },
        "local edits pushed (GET + PATCH each)": {
          records: pushed.value,
          pages: 0,
          seconds: +(pushed.millis / 1000).toFixed(1),
          "per second": perSecond(pushed.value, pushed.millis),
          memory: "",
        },
      })
      expect(perSecond(backfill.value.records, backfill.millis), "backfill records per second").toBeGreaterThanOrEqual(
        backfillTarget,
      )
    } finally {
      await runtime.dispose()
      await candid.close()
    }
  })
}
