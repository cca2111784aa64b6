// The worker process for real: on PostgreSQL, an API-shaped process that is only a cluster client (it hosts no
// shards) hands a connection and a local edit to a separately spawned worker, which backfills the connection from
// the Candid emulator and pushes the edit once; SIGTERM then hands the worker's shards back and exits cleanly.
// Without DATABASE_URL the worker refuses to start, since embedded PGlite belongs to one process.
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { backends, repositories } from "@taskbridge/db/testing/Backends"
import { ConnectionId, OrganizationId, VendorRecordId } from "@taskbridge/domain/Ids"
import { TaskRepository } from "@taskbridge/domain/ports/Repositories"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import * as App from "@taskbridge/sync/App"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { SyncEngine } from "@taskbridge/sync/Engine"
import { definitions } from "@taskbridge/vendors/Definitions"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, Exit, ManagedRuntime, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { afterEach, describe, expect, it } from "vitest"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const key = Buffer.alloc(32, 5)

interface Spawned {
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<number | null>
}

const children: Array<ChildProcess> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
})

const spawnWorker = (env: Readonly<Record<string, string>>): Spawned => {
  const { DATABASE_URL: _, TASKBRIDGE_DATA_DIR: __, ...inherited } = process.env
  const child = spawn(process.execPath, [main], { env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] })
  children.push(child)
  let log = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString()
  })
  return { child, output: () => log, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) }
}

describe("worker process", () => {
  it("refuses to start without DATABASE_URL, naming it", async () => {
    const worker = spawnWorker({ TASKBRIDGE_SECRET_KEY: key.toString("base64") })
    expect(await worker.exited).toBe(2)
    expect(worker.output()).toContain("DATABASE_URL is required")
  }, 60_000)

  it("refuses a heap growth that is not a percent, naming the variable and the rule", async () => {
    const worker = spawnWorker({
      TASKBRIDGE_SECRET_KEY: key.toString("base64"),
      // Nothing listens here: the setting is refused before the database is dialled.
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/none",
      TASKBRIDGE_HEAP_GROWTH_PERCENT: "-5",
    })
    expect(await worker.exited).not.toBe(0)
    expect(worker.output()).toContain("TASKBRIDGE_HEAP_GROWTH_PERCENT")
    expect(worker.output()).toContain("between 0 and 400")
  }, 60_000)

  for (const backend of backends.filter((b) => b.name === "postgres")) {
    it("backfills and pushes for a client-only API, then hands its shards back on SIGTERM", async () => {
      const candid = await startCandid({ port: 0, seed: 5, size: 20 })
      const scope = Effect.runSync(Scope.make())
      try {
        const db = await Effect.runPromise(Scope.provide(scope)(backend.fresh))
        // The API's shape beside workers: it starts work but never runs it.
        const api = ManagedRuntime.make(
          App.make(
            { definitions, runtime: { _tag: "client" }, egress: { allowHosts: ["127.0.0.1"] } },
            repositories(db, new Uint8Array(key)),
          ),
        )
        await api.runPromise(Effect.void)
        const worker = spawnWorker({
          ...db.env,
          TASKBRIDGE_SECRET_KEY: key.toString("base64"),
          TASKBRIDGE_PULL_INTERVAL: "1 hour",
          TASKBRIDGE_ALLOWED_HOSTS: "127.0.0.1",
        })
        await eventually("the runner", async () => (worker.output().includes("runner started") ? true : undefined), {
          timeoutMs: 60_000,
          context: worker.output,
        })

        const org = candid.state().store.orgs[0]
        if (org === undefined) throw new Error("no emulator organization")
        const connectionId = ConnectionId.make("conn-worker")
        const organizationId = OrganizationId.make("org-worker")
        await api.runPromise(
          Effect.gen(function* () {
            yield* (yield* OrganizationRepository).create({ id: organizationId, name: "Worker test" })
            yield* (yield* ConnectionRepository).create({
              id: connectionId,
              organizationId,
              vendor: "candid",
              name: "Candid",
              baseUrl: candid.url,
              credentials: Redacted.make(JSON.stringify({ clientId: org.clientId, clientSecret: org.clientSecret })),
              statusScheme: null,
              identityMap: [],
              options: { workQueueId: org.workQueueIds[0] ?? "queue" },
              enabled: true,
            })
            const dispatcher = yield* Dispatcher
            yield* dispatcher.watch(connectionId)
            yield* dispatcher.pullNow(connectionId, "manual")
          }),
        )
        // The first record of the emulator tenant the connection uses.
        const { tasks, ids } = candid.state().store
        const index = Array.from({ length: tasks.length }, (_, i) => i).find((i) => tasks.cols.org[i] === 0) ?? -1
        const first = ids.task.encode(index)
        const task = await eventually(
          "the worker's backfill",
          () =>
            api
              .runPromise(TaskRepository.use((tasks) => tasks.findByRecord(connectionId, VendorRecordId.make(first))))
              .then((t) => t ?? undefined),
          { timeoutMs: 60_000, context: worker.output },
        )

        const seq = candid.control.requests.nextSeq()
        await api.runPromise(
          Effect.gen(function* () {
            const { queued } = yield* (yield* SyncEngine).update({
              organizationId,
              id: task.id,
              expectedVersion: task.version,
              patch: { status: task.status === "waiting" ? "in_progress" : "waiting" },
              actor: "worker test",
              origin: "api",
            })
            yield* (yield* Dispatcher).push(queued)
          }),
        )
        const patches = () => candid.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "PATCH")
        await eventually("the worker's PATCH", async () => (patches().length > 0 ? true : undefined), {
          timeoutMs: 60_000,
          context: worker.output,
        })
        expect(patches().map((r) => r.status)).toEqual([200])

        worker.child.kill("SIGTERM")
        expect(await worker.exited).toBe(0)
        const runners = await api.runPromise(
          SqlClient.use((sql) => sql`SELECT count(*)::int AS n FROM cluster_runners`),
        )
        expect(runners[0]).toMatchObject({ n: 0 })
        await api.dispose()
      } finally {
        await Effect.runPromise(Scope.close(scope, Exit.void))
        await candid.close()
      }
    }, 120_000)
  }
})
