// A whole scale-out deployment on loopback for the worker suites, the soak and the scale-out bench: Candid emulators
// (one per connection), real `src/main.ts` worker processes on one PostgreSQL database (each behind its own TCP
// proxy), and an API-shaped cluster client in this process that creates the connections, edits and reads the result.
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { type FreshDatabase, repositories } from "@taskbridge/db/testing/Backends"
import { Views } from "@taskbridge/db/Views"
import { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import * as App from "@taskbridge/sync/App"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { fast } from "@taskbridge/sync/testing/Tuning"
import { definitions } from "@taskbridge/vendors/Definitions"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, ManagedRuntime, Redacted } from "effect"
import * as EntityId from "effect/cluster/EntityId"
import { Sharding } from "effect/cluster/Sharding"
import { SqlClient } from "effect/sql/SqlClient"
import { startTcpProxy, type TcpProxy } from "./TcpProxy.ts"

export type Candid = Awaited<ReturnType<typeof startCandid>>

const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url))
const key = Buffer.alloc(32, 7)
export const organizationId = OrganizationId.make("org-scaleout")

export interface WorkerProcess {
  readonly slot: string
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<number | null>
}

export interface ClusterOptions {
  readonly connections: number
  /** Seeded Candid tasks per emulator (the connection syncs its first organization's share, about 60%). */
  readonly size: number
  readonly latencyMs?: number
  readonly seed?: number
  /** Kept for the whole run so a soak's every PATCH stays countable. */
  readonly requestLogCapacity?: number
  /** The connections' Candid page size (the adapter's default is 999); smaller pages mean more vendor calls. */
  readonly pageSize?: number
}

const makeClient = (db: FreshDatabase) =>
  ManagedRuntime.make(
    App.make(
      // The same short shard lock expiry as the workers' TASKBRIDGE_SHARD_LOCK_EXPIRATION below, so the client sees a
      // killed runner leave as soon as they do.
      { definitions, runtime: { _tag: "client", sharding: fast }, egress: { allowHosts: ["127.0.0.1"] } },
      repositories(db, new Uint8Array(key)),
    ),
  )

export type Client = ReturnType<typeof makeClient>

/** The deployment: emulators up, the client runtime built (schema migrated), no worker yet. */
export const startCluster = async (db: FreshDatabase, options: ClusterOptions) => {
  const emulators = await Promise.all(
    Array.from({ length: options.connections }, (_, i) =>
      startCandid({
        port: 0,
        seed: (options.seed ?? 11) + i,
        size: options.size,
        rateLimit: false,
        latencyMs: options.latencyMs ?? 0,
        requestLogCapacity: options.requestLogCapacity ?? 10_000,
      }),
    ),
  )
  const client = makeClient(db)
  await client.runPromise(Effect.void)
  const database = new URL(db.env.DATABASE_URL ?? "")
  const proxies = new Map<string, TcpProxy>()
  const workers = new Map<string, WorkerProcess>()
  const exits: Array<{ slot: string; code: number | null; signal: string | null }> = []
  const connections = emulators.map((_, i) => ConnectionId.make(`conn-scaleout-${i}`))

  /** Starts (or restarts) the worker of `slot` and waits for its runner; a slot keeps its proxy across restarts. */
  const startWorker = async (slot: string): Promise<WorkerProcess> => {
    const proxy =
      proxies.get(slot) ?? (await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) }))
    proxies.set(slot, proxy)
    const url = new URL(database)
    url.hostname = "127.0.0.1"
    url.port = String(proxy.port)
    const { DATABASE_URL: _, TASKBRIDGE_DATA_DIR: __, ...inherited } = process.env
    const child = spawn(process.execPath, [main], {
      env: {
        ...inherited,
        DATABASE_URL: url.toString(),
        TASKBRIDGE_SECRET_KEY: key.toString("base64"),
        // One backfill per connection, then nothing scheduled: every vendor call in the log belongs to the test.
        TASKBRIDGE_PULL_INTERVAL: "1 hour",
        TASKBRIDGE_ALLOWED_HOSTS: "127.0.0.1",
        TASKBRIDGE_SHARD_LOCK_EXPIRATION: String(fast.shardLockExpiration),
      },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let log = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      log += chunk.toString()
    })
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code, signal) => {
        exits.push({ slot, code, signal })
        resolve(code)
      }),
    )
    const worker = { slot, child, output: () => log, exited }
    workers.set(slot, worker)
    await eventually(`worker ${slot}'s runner`, () => (log.includes("runner started") ? true : undefined), {
      timeoutMs: 60_000,
      context: () => log,
    })
    return worker
  }

  /** `kill -9` of the slot's worker; resolves once the process is gone. */
  const killWorker = async (slot: string) => {
    const worker = workers.get(slot)
    if (worker === undefined || worker.child.exitCode !== null || worker.child.signalCode !== null) return
    worker.child.kill("SIGKILL")
    await worker.exited
  }

  let organized = false
  /** Indices of the emulators connected so far. */
  const connected = new Set<number>()
  /**
   * One organization (made on the first call) and a Candid connection for each emulator of `indices` (default all),
   * each watched and pulled now: its backfill.
   */
  const connect = (indices: ReadonlyArray<number> = emulators.map((_, i) => i)) =>
    client.runPromise(
      Effect.gen(function* () {
        if (!organized) yield* (yield* OrganizationRepository).create({ id: organizationId, name: "Scale-out" })
        organized = true
        const dispatcher = yield* Dispatcher
        for (const i of indices) {
          const org = emulators[i]?.state().store.orgs[0]
          const id = connections[i]
          if (org === undefined || id === undefined) return yield* Effect.die(new Error(`no emulator ${i}`))
          yield* (yield* ConnectionRepository).create({
            id,
            organizationId,
            vendor: "candid",
            name: `Candid ${i}`,
            baseUrl: emulators[i]?.url ?? "",
            credentials: Redacted.make(JSON.stringify({ clientId: org.clientId, clientSecret: org.clientSecret })),
            statusScheme: null,
            identityMap: [],
            options: {
              workQueueId: org.workQueueIds[0] ?? "queue",
              ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
            },
            enabled: true,
          })
          yield* dispatcher.watch(id)
          yield* dispatcher.pullNow(id, "manual")
          connected.add(i)
        }
      }),
    )

  /** Each connection's backfill run (state, records), in connection order. */
  const backfills = () =>
    client.runPromise(
      Effect.gen(function* () {
        const health = yield* (yield* Views).health(organizationId)
        return [...connected].map((i) => health.find((h) => h.connectionId === connections[i])?.backfill ?? null)
      }),
    )

  /**
   * Pulls again, now, every connection whose latest backfill failed — what its schedule does on the next tick in a
   * deployment (the suites set the interval to an hour to keep the vendors' logs theirs). Returns how many.
   */
  const retryFailedBackfills = async () => {
    const runs = await backfills()
    const failed = [...connected].filter((_, k) => runs[k]?.state === "failed")
    await client.runPromise(
      Effect.gen(function* () {
        const dispatcher = yield* Dispatcher
        for (const i of failed) {
          const id = connections[i]
          if (id !== undefined) yield* dispatcher.pullNow(id, "manual")
        }
      }),
    )
    return failed.length
  }

  const allBackfilled = async () => {
    const runs = await backfills()
    return runs.every((run) => run?.state === "succeeded") ? runs : undefined
  }

  /**
   * The shard numbers (group "default") each slot's worker holds now: its advisory shard locks, whose key is
   * 1,000,000 + the shard number for the first group, told apart by the proxy's upstream ports.
   */
  const shardsBySlot = async () => {
    const rows = await client.runPromise(
      SqlClient.use(
        (sql) => sql<{
          port: number
          shard: number
        }>`SELECT a.client_port AS port, (l.objid::bigint - 1000000)::int AS shard
          FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${clusterLockNamespace}::oid AND l.objsubid = 2
            AND a.datname = current_database()`,
      ),
    )
    const held = new Map<string, ReadonlySet<number>>()
    for (const [slot, proxy] of proxies) {
      const ports = proxy.upstreamPorts()
      held.set(slot, new Set(rows.filter((r) => ports.has(r.port)).map((r) => r.shard)))
    }
    return held
  }

  /** The default-group shard number a push runs on: its connection's push lane entity (the connection id, hashed). */
  const shardOfPush = (payload: { readonly connectionId: ConnectionId }) =>
    client.runPromise(
      Effect.gen(function* () {
        const sharding = yield* Sharding
        return sharding.getShardId(EntityId.make(payload.connectionId), "default").id
      }),
    )

  // Teardown never hangs a test: a step that does not finish in 10 s is named and left (the database is dropped
  // with FORCE afterwards, the emulators and proxies die with the test process).
  const close = async () => {
    for (const worker of workers.values()) if (worker.child.exitCode === null) worker.child.kill("SIGKILL")
    await bounded("the workers' exits", Promise.all([...workers.values()].map((w) => w.exited)))
    await bounded("the client runtime", client.dispose())
    await bounded("the proxies", Promise.all([...proxies.values()].map((p) => p.close())))
    await bounded("the emulators", Promise.all(emulators.map((e) => e.close())))
  }

  return {
    client,
    emulators,
    connections,
    connected,
    workers,
    proxies,
    exits,
    startWorker,
    killWorker,
    connect,
    backfills,
    allBackfilled,
    retryFailedBackfills,
    shardsBySlot,
    shardOfPush,
    close,
    logs: () => [...workers.values()].map((w) => `--- worker ${w.slot}\n${w.output().slice(-4000)}`).join("\n"),
  }
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>

// effect/cluster's advisory shard locks live in one namespace: FNV-1a of "effect-cluster:<table prefix>", which the
// library documents as a persistent wire format that never changes (SqlRunnerStorage.postgresLockNamespace).
const fnv1a = (text: string) => {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193)
  return hash >>> 0
}
const clusterLockNamespace = fnv1a("effect-cluster:cluster")

const bounded = async (what: string, work: Promise<unknown>) => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise((resolve) => {
    timer = setTimeout(() => {
      console.warn(`cluster teardown: ${what} did not finish within 10 s; left behind`)
      resolve(undefined)
    }, 10_000)
  })
  await Promise.race([work, late])
  clearTimeout(timer)
}
