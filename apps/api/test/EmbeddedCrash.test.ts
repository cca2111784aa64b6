// `kill -9` of the embedded API (`src/main.ts --demo <sandbox>` on a PGlite data folder, as `pnpm start` runs it)
// in the middle of its demo backfill, then a restart on the same folder: it takes the folder over, prints the same
// admin token (which still verifies), finishes the backfill, and holds every vendor record exactly once.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Database from "@taskbridge/db/Database"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import * as Persistence from "@taskbridge/db/Persistence"
import * as Secrets from "@taskbridge/db/Secrets"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { afterEach, describe, expect, it } from "vitest"

const apiMain = fileURLToPath(new URL("../src/main.ts", import.meta.url))

const children: Array<ChildProcess> = []
const folders: Array<string> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** The API as `pnpm start` runs it: embedded runner, the demo over the given sandbox, the emulators' host allowed. */
const startApi = (dataDir: string, sandbox: string) => {
  const { DATABASE_URL: _, TASKBRIDGE_SECRET_KEY: __, ...inherited } = process.env
  const child = spawn(process.execPath, [apiMain, "--demo", sandbox, "--port", "0"], {
    env: { ...inherited, TASKBRIDGE_DATA_DIR: dataDir, TASKBRIDGE_ALLOWED_HOSTS: new URL(sandbox).host },
    stdio: ["ignore", "pipe", "pipe"],
  })
  children.push(child)
  let log = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return { child, output: () => log, exited }
}

const tokenOf = (log: string) => log.match(/taskbridge: token\s+(tb_[A-Za-z0-9_-]+)/)?.[1]

describe("the embedded API killed mid-backfill", () => {
  it("restarts on its data folder with the data intact, the same valid token, and the backfill finished", async () => {
    // About 3,700 tasks in the demo tenant: four pages of 999, each behind 100 ms at the vendor.
    const candid = await startCandid({ port: 0, seed: 3, size: 6_000, latencyMs: 100, rateLimit: false })
    const dataDir = join(mkdtempSync(join(tmpdir(), "taskbridge-crash-")), "data")
    folders.push(join(dataDir, ".."))
    try {
      const lists = () =>
        candid.control.requests.list({ since: 0 }).filter((r) => r.method === "GET" && r.path.startsWith("/api/tasks"))
      const first = startApi(dataDir, candid.url)
      const token = await eventually("the demo token", () => tokenOf(first.output()), {
        timeoutMs: 120_000,
        context: first.output,
      })
      // Killed two listing pages in: the first being written or committed with its checkpoint, the run unfinished.
      await eventually("two backfill pages", () => (lists().length >= 2 ? true : undefined), {
        timeoutMs: 120_000,
        context: first.output,
      })
      first.child.kill("SIGKILL")
      expect(await first.exited).toBeNull()
      expect(first.output()).not.toContain("backfills finished")

      const second = startApi(dataDir, candid.url)
      await eventually(
        "the backfill to finish after the restart",
        () => (second.output().includes("backfills finished") ? true : undefined),
        { timeoutMs: 180_000, context: second.output },
      )
      expect(tokenOf(second.output())).toBe(token)
      second.child.kill("SIGTERM")
      expect(await second.exited).toBe(0)

      const { tasks, ids } = candid.state().store
      const expected = new Set<string>()
      for (let row = 0; row < tasks.length; row++) if (tasks.cols.org[row] === 0) expected.add(ids.task.encode(row))
      const db = ManagedRuntime.make(
        Persistence.layerRepositories.pipe(
          Layer.provideMerge(Secrets.layer),
          Layer.provideMerge(Database.migrated(Database.layerEmbedded(dataDir))),
          Layer.orDie,
        ),
      )
      try {
        const stored = await db.runPromise(
          Effect.gen(function* () {
            const sql = yield* SqlClient
            const links = yield* sql<{ recordId: string; tasks: number }>`
              SELECT l.record_id AS "recordId", count(t.id)::int AS tasks FROM links l
              LEFT JOIN tasks t ON t.id = l.task_id WHERE l.organization_id = 'demo' GROUP BY l.record_id`
            const [count] = yield* sql<{
              n: number
            }>`SELECT count(*)::int AS n FROM tasks WHERE organization_id = 'demo'`
            const backfill = yield* sql<{ state: string }>`
              SELECT state FROM sync_runs WHERE kind = 'backfill' ORDER BY id DESC LIMIT 1`
            const identity = yield* (yield* OrganizationRepository).verifyToken(Redacted.make(token))
            return { links, tasks: count?.n ?? 0, backfill: backfill[0]?.state, identity }
          }),
        )
        // Every vendor record is one task, nothing more: the killed process's pages were neither lost nor doubled.
        expect(stored.tasks).toBe(expected.size)
        expect(stored.links.length).toBe(expected.size)
        expect(stored.links.filter((l) => !expected.has(l.recordId) || l.tasks !== 1)).toEqual([])
        expect(stored.identity?.organizationId).toBe("demo")
        // The run the restart finished is the backfill, not an incremental pull beside a backfill left "running".
        expect(stored.backfill).toBe("succeeded")
        console.log(
          `embedded crash: killed mid-backfill, restarted; ${stored.tasks} tasks for ${expected.size} vendor records, ` +
            `lost ${expected.size - stored.links.length}, token kept`,
        )
      } finally {
        await db.dispose()
      }
    } finally {
      await candid.close()
    }
  }, 360_000)
})
