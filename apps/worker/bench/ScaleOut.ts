// `pnpm bench:scaleout`: the same backfill workload (N Candid connections, one emulator each, 50 ms added to every
// vendor call) run by 1 worker and then by 3 on a fresh PostgreSQL database each, reporting records/s for each and
// the 3-vs-1 ratio, printed and written to bench/results/scaleout-<date>.json. Reported, never asserted: the figure
// depends on the machine (2 cores here, shared with the database), which is what the report records beside it.
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { postgres } from "@taskbridge/db/testing/Backends"
import { Effect, Exit, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { startCluster } from "../test/support/Cluster.ts"
import { vendorRecords } from "../test/support/Ledger.ts"

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "6" },
    size: { type: "string", default: "8000" },
    "latency-ms": { type: "string", default: "50" },
    // 100 rather than the adapter's 999, so a backfill is dozens of vendor calls and the added latency counts.
    "page-size": { type: "string", default: "100" },
  },
})
const connections = Number(values.connections)
const size = Number(values.size)
const latencyMs = Number(values["latency-ms"])
const pageSize = Number(values["page-size"])
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const root = resolve(import.meta.dirname, "..", "..", "..")

interface Run {
  readonly workers: number
  readonly records: number
  readonly seconds: number
  readonly recordsPerSecond: number
}

/** One measured run: `workers` runners up and holding every shard, then every backfill started and timed. */
const measure = async (workers: number): Promise<Run> => {
  const scope = Effect.runSync(Scope.make())
  const db = await Effect.runPromise(Scope.provide(scope)(postgres(adminUrl).fresh))
  const cluster = await startCluster(db, { connections, size, latencyMs, pageSize, seed: 41 })
  try {
    for (let i = 0; i < workers; i++) await cluster.startWorker(`w${i}`)
    // Measured once the shards have settled, so a runner's start-up is not counted as throughput.
    await until(async () => {
      const held = await cluster.shardsBySlot()
      return [...held.values()].every((s) => s.size > 0) && [...held.values()].reduce((n, s) => n + s.size, 0) === 300
    })
    await cluster.connect()
    await until(async () => (await cluster.allBackfilled()) !== undefined)
    // The database's own clock: from the first run's start to the last one's end.
    const [span] = await cluster.client.runPromise(
      SqlClient.use(
        (sql) => sql<{ seconds: number; records: number }>`SELECT
          extract(epoch FROM max(finished_at) - min(started_at))::float8 AS seconds, sum(records)::int AS records
          FROM sync_runs WHERE kind = 'backfill' AND state = 'succeeded'`,
      ),
    )
    const expected = cluster.emulators.reduce((n, _, i) => n + vendorRecords(cluster, i).length, 0)
    const seconds = span?.seconds ?? Number.NaN
    if (span?.records !== expected) throw new Error(`backfilled ${span?.records} records, expected ${expected}`)
    return { workers, records: expected, seconds, recordsPerSecond: Math.round(expected / seconds) }
  } finally {
    await cluster.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

// A bench is not a test: it polls its own condition rather than pulling in vitest's helpers.
const until = async (done: () => Promise<boolean>) => {
  const deadline = Date.now() + 600_000
  while (!(await done().catch(() => false))) {
    if (Date.now() > deadline) throw new Error("the workload did not finish within 10 minutes")
    await new Promise((r) => setTimeout(r, 100))
  }
}

const one = await measure(1)
console.log(
  `scale-out: 1 worker  ${one.records} records in ${one.seconds.toFixed(2)} s = ${one.recordsPerSecond} records/s`,
)
const three = await measure(3)
console.log(
  `scale-out: 3 workers ${three.records} records in ${three.seconds.toFixed(2)} s = ${three.recordsPerSecond} records/s`,
)
const ratio = Number((three.recordsPerSecond / one.recordsPerSecond).toFixed(2))
console.log(`scale-out: 3 vs 1 = ${ratio}x`)

const date = new Date().toISOString().slice(0, 10)
const out = join(root, "bench", "results", `scaleout-${date}.json`)
mkdirSync(join(root, "bench", "results"), { recursive: true })
const report = {
  date: new Date().toISOString(),
  workload: {
    connections,
    recordsPerConnection: Math.round(one.records / connections),
    pageSize,
    emulatorLatencyMs: latencyMs,
  },
  machine: { cpus: cpus().length, node: process.version, database: "PostgreSQL on loopback, shared with the workers" },
  runs: [one, three],
  ratio3vs1: ratio,
}
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
console.log(`scale-out: written to ${out}`)
process.exit(0)
