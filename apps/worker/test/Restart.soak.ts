// The database restart soak (`pnpm test:soak`): two workers sync three Candid connections on a PostgreSQL server of
// the test's own, which is crashed (`pg_ctl stop -m immediate`) while a backfill and a batch of pushes are in flight,
// kept down for a few seconds and started again — the real server restarting with crash recovery, not a proxy cut.
// Afterwards every vendor record is one local task and every edit one applied PATCH; the summary line gives figures.
import { postgres } from "@taskbridge/db/testing/Backends"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, Exit, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { type Cluster, startCluster } from "./support/Cluster.ts"
import { audit, editTasks, recoverAfterOutage } from "./support/Ledger.ts"
import { type PrivatePostgres, startPrivatePostgres } from "./support/PrivatePostgres.ts"

const slots = ["a", "b"] as const
const downMs = 3_000

describe("database restart soak [private postgres]", () => {
  it("a PostgreSQL crash and restart mid-sync: every backfill and edit completes exactly once", async () => {
    let server: PrivatePostgres | undefined
    let cluster: Cluster | undefined
    const scope = Effect.runSync(Scope.make())
    try {
      server = await startPrivatePostgres()
      const db = await Effect.runPromise(Scope.provide(scope)(postgres(server.adminUrl).fresh))
      // Pages of 100 behind 50 ms per call: a backfill of ≈ 1,500 records is fifteen pages long, so the crash meets one.
      cluster = await startCluster(db, {
        connections: 3,
        size: 2_500,
        latencyMs: 50,
        seed: 41,
        pageSize: 100,
        requestLogCapacity: 100_000,
      })
      const c = cluster
      const context = { timeoutMs: 180_000, context: c.logs }
      for (const slot of slots) await c.startWorker(slot)
      await c.connect([0, 1])
      await eventually("the first two backfills", () => c.allBackfilled(), context)

      // In flight when the server goes: pushes held 500 ms at the vendor, and the third connection's backfill.
      for (const e of c.emulators) e.control.faults.add({ kind: "latency", method: "PATCH", latencyMs: 500 })
      const edits = await editTasks(c, 4, new Set())
      await c.connect([2])
      await eventually(
        "a backfill under way",
        () => ((c.emulators[2]?.control.requests.list({ since: 0 }).length ?? 0) > 2 ? true : undefined),
        context,
      )
      const before = await audit(c, edits)
      const backfilling = (await c.allBackfilled()) === undefined
      server.crash()
      await new Promise((resolve) => setTimeout(resolve, downMs))
      server.start()

      const { exited, retried, result } = await recoverAfterOutage(c, slots, edits, context)
      console.log(
        `restart soak: PostgreSQL crashed and down ${downMs / 1000} s with ${before.unpushed} of ${edits.length} edits ` +
          `unpushed and a backfill under way; workers exited ${exited.length}, failed backfills pulled again ${retried}; ` +
          `records compared ${result.records}, edits ${result.edits}, lost ${result.missing + result.unpushed}, ` +
          `duplicates ${result.duplicates + result.duplicateWrites}, resent while held ${result.resends}`,
      )
      expect(before.unpushed, "pushes were in flight when the server went").toBeGreaterThan(0)
      expect(backfilling, "a backfill was under way when the server went").toBe(true)
      expect(result, result.findings.join("\n")).toMatchObject({
        missing: 0,
        duplicates: 0,
        unpushed: 0,
        duplicateWrites: 0,
        unsent: 0,
      })
    } finally {
      await cluster?.close()
      await Promise.race([
        Effect.runPromise(Scope.close(scope, Exit.void)),
        new Promise((resolve) => setTimeout(resolve, 30_000).unref()),
      ])
      server?.close()
    }
  }, 600_000)
})
