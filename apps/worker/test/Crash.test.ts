// Crash recovery of the worker process, fast enough for every test run: `kill -9` at random points of a backfill and
// of a push (four kills in all, each followed by a restart) on PostgreSQL, after which every vendor record is one
// local task and every edit reached Candid as exactly one applied PATCH. The soak (Crash.soak.ts) does this 20+ times.
import { type AddressInfo, connect, createServer, type Socket } from "node:net"
import { backends } from "@taskbridge/db/testing/Backends"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, Exit, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { type Cluster, startCluster } from "./support/Cluster.ts"
import { type Kill, killDuringBackfill, killDuringPush } from "./support/Crashes.ts"
import { audit, editTasks, settled, settledAudit } from "./support/Ledger.ts"
import { random } from "./support/Random.ts"
import { startTcpProxy } from "./support/TcpProxy.ts"

describe("the database proxy the crash suites cut", () => {
  it("drops every connection and refuses new ones while cut, and forwards again once restored", async () => {
    const upstream = createServer((socket) => socket.pipe(socket))
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve))
    const port = (upstream.address() as AddressInfo).port
    const proxy = await startTcpProxy({ host: "127.0.0.1", port })
    const echo = (socket: Socket, text: string) =>
      new Promise<string>((resolve) => {
        socket.once("data", (data) => resolve(data.toString()))
        socket.write(text)
      })
    const open = () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(proxy.port, "127.0.0.1", () => resolve(socket)).once("error", reject)
      })
    const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once("close", () => resolve()))
    try {
      const before = await open()
      expect(await echo(before, "ping")).toBe("ping")
      expect(proxy.upstreamPorts().size).toBe(1)
      const gone = closed(before)
      proxy.cut()
      await gone
      const refused = await open()
      await closed(refused)
      expect(proxy.refused()).toBe(1)
      proxy.restore()
      const after = await open()
      expect(await echo(after, "pong")).toBe("pong")
      after.destroy()
    } finally {
      await proxy.close()
      upstream.close()
    }
  })
})

// Worker processes share PostgreSQL; on PGlite the embedded API's crash is tested in apps/api instead.
for (const backend of backends.filter((b) => b.name === "postgres")) {
  describe("worker crash recovery [postgres]", () => {
    it("a worker killed with SIGKILL during backfills and pushes restarts, and everything completes exactly once", async () => {
      const rng = random("worker crash")
      const scope = Effect.runSync(Scope.make())
      let cluster: Cluster | undefined
      try {
        const db = await Effect.runPromise(Scope.provide(scope)(backend.fresh))
        // About 2,500 records per connection: three pages of 999, each behind 100 ms of vendor latency.
        cluster = await startCluster(db, { connections: 3, size: 4_000, latencyMs: 100, seed: 21 })
        const c = cluster
        const context = { timeoutMs: 120_000, context: c.logs }
        await c.startWorker("w")
        await c.connect()
        const kills: Array<Kill> = []
        kills.push(await killDuringBackfill(c, rng, "w", 6))
        kills.push(await killDuringBackfill(c, rng, "w", 3))
        await eventually("every backfill", c.allBackfilled, context)
        const afterBackfill = await audit(c, [])
        expect(afterBackfill).toMatchObject({ missing: 0, duplicates: 0, duplicateWrites: 0 })

        // Each PATCH waits 1 s at Candid, so a kill finds pushes at the vendor as well as queued ones.
        for (const e of c.emulators) e.control.faults.add({ kind: "latency", method: "PATCH", latencyMs: 1_000 })
        // Two batches, each killed into: all of a batch's PATCHes reach Candid at once, so one kill per batch.
        const edits = await editTasks(c, 2, new Set())
        const pushed = async () => settled(await audit(c, edits))
        kills.push(await killDuringPush(c, rng, "w", 4, pushed))
        edits.push(...(await editTasks(c, 2, new Set(edits.map((e) => e.recordId)))))
        kills.push(await killDuringPush(c, rng, "w", 4, pushed))
        const result = await settledAudit(c, edits, context)
        console.log(
          `worker crash: ${kills.length} kills (${kills.map((k) => `${k.phase}${k.during ? "" : " (after)"}`).join(", ")}); ` +
            `records ${result.records}, edits ${result.edits}, lost ${result.missing + result.unpushed}, ` +
            `duplicates ${result.duplicates + result.duplicateWrites}, resent while held by a killed process ${result.resends}`,
        )
        expect(result.findings).toEqual([])
        expect(result).toMatchObject({ missing: 0, duplicates: 0, unpushed: 0, duplicateWrites: 0, unsent: 0 })
        expect(result.edits).toBe(12)
        // The first kill of each phase comes after one to a few vendor calls of work that takes many more.
        expect(kills.filter((k) => k.during).map((k) => k.phase)).toEqual(expect.arrayContaining(["backfill", "push"]))
      } finally {
        await cluster?.close()
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    }, 300_000)
  })
}
