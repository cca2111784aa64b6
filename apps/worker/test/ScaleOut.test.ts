// Scale-out for real, on PostgreSQL: three spawned workers share one database and its shards, six connections backfill
// on them, and `kill -9` of one while its pushes hang at the vendor moves its shards to the other two, which finish
// those pushes; the emulators' request logs show each edit applied exactly once, and each record is one local task.
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { backends } from "@taskbridge/db/testing/Backends"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, Exit, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { type Cluster, startCluster } from "./support/Cluster.ts"
import { audit, editTasks, settledAudit, vendorRecords } from "./support/Ledger.ts"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const slots = ["a", "b", "c"] as const
const shardsPerGroup = 300

const total = (held: ReadonlyMap<string, ReadonlySet<number>>) => [...held.values()].reduce((n, s) => n + s.size, 0)

describe("scale-out settings", () => {
  it("a worker refuses a shard lock expiration that is not a duration, naming the setting", async () => {
    const { DATABASE_URL: _, ...inherited } = process.env
    const child = spawn(process.execPath, [main], {
      // Never reached: the settings are read before the database is opened.
      env: {
        ...inherited,
        DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
        TASKBRIDGE_SHARD_LOCK_EXPIRATION: "soon",
      },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve))
    expect(code).toBe(1)
    expect(output).toContain("TASKBRIDGE_SHARD_LOCK_EXPIRATION")
  }, 60_000)
})

// PGlite belongs to one process, so there is no scale-out to test on it.
for (const backend of backends.filter((b) => b.name === "postgres")) {
  describe("scale-out [postgres]", () => {
    it("spreads work over three workers; a worker killed mid-push hands its shards and its pushes to the others", async () => {
      const scope = Effect.runSync(Scope.make())
      let cluster: Cluster | undefined
      try {
        const db = await Effect.runPromise(Scope.provide(scope)(backend.fresh))
        cluster = await startCluster(db, { connections: 6, size: 400, latencyMs: 10 })
        const c = cluster
        const context = { timeoutMs: 90_000, context: c.logs }
        for (const slot of slots) await c.startWorker(slot)

        // Every worker holds a share, and together they hold every shard once.
        const spread = await eventually(
          "the shards to spread over all three workers",
          async () => {
            const held = await c.shardsBySlot()
            return [...held.values()].every((s) => s.size > 0) && total(held) === shardsPerGroup ? held : undefined
          },
          context,
        )
        console.log(`shards per worker: ${slots.map((s) => `${s}=${spread.get(s)?.size}`).join(" ")}`)

        await c.connect()
        const runs = await eventually("every connection's backfill", c.allBackfilled, context)
        const first = await audit(c, [])
        expect(first).toMatchObject({ missing: 0, duplicates: 0, duplicateWrites: 0 })
        expect(runs.map((r) => r?.records)).toEqual(c.emulators.map((_, i) => vendorRecords(c, i).length))

        // Every PATCH hangs 3 s at the vendor, so the pushes are in flight when the worker dies.
        for (const emulator of c.emulators) {
          emulator.control.faults.add({ kind: "latency", method: "PATCH", latencyMs: 3_000, count: 3 })
        }
        const edits = await editTasks(c, 3, new Set())
        const held = await c.shardsBySlot()
        const owners = await Promise.all(
          edits.map(async (e) => {
            const shard = await c.shardOfPush(e)
            return slots.find((s) => held.get(s)?.has(shard)) ?? "none"
          }),
        )
        // The victim is whichever worker runs the most of these pushes: at least one of 18 is certain.
        const victim = slots.reduce((best, s) =>
          owners.filter((o) => o === s).length > owners.filter((o) => o === best).length ? s : best,
        )
        const victimPushes = owners.filter((o) => o === victim).length
        expect(victimPushes).toBeGreaterThan(0)
        // Killed once at least one of its PATCHes is at the vendor (the emulator logs a request as it arrives).
        await eventually(
          "a PATCH in flight",
          () =>
            c.emulators.some((e) => e.control.requests.list({ since: 0 }).some((r) => r.method === "PATCH"))
              ? true
              : undefined,
          context,
        )
        await c.killWorker(victim)
        const victimShards = held.get(victim)?.size ?? 0

        const survivors = slots.filter((s) => s !== victim)
        const after = await eventually(
          "the killed worker's shards to move to the survivors",
          async () => {
            const now = await c.shardsBySlot()
            return survivors.every((s) => (now.get(s)?.size ?? 0) > (held.get(s)?.size ?? 0)) &&
              survivors.reduce((n, s) => n + (now.get(s)?.size ?? 0), 0) === shardsPerGroup
              ? now
              : undefined
          },
          context,
        )
        const result = await settledAudit(c, edits, context)
        console.log(
          `scale-out: killed ${victim} (${victimShards} shards, ${victimPushes} of ${edits.length} pushes in flight); ` +
            `survivors now hold ${survivors.map((s) => `${s}=${after.get(s)?.size}`).join(" ")}; ` +
            `records ${result.records}, edits ${result.edits}, lost 0, duplicates ${result.duplicates + result.duplicateWrites}, ` +
            `resent while held by a killed process ${result.resends}`,
        )
        expect(result.findings).toEqual([])
        expect(result).toMatchObject({ missing: 0, duplicates: 0, unpushed: 0, duplicateWrites: 0, unsent: 0 })
        expect(result.edits).toBe(18)
      } finally {
        await cluster?.close()
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    }, 240_000)
  })
}
