// `pnpm bench:console`: the inbox in headless Chromium over 1,000,000 seeded work items on PostgreSQL — time to first
// rows (navigation to the first rendered row, bundle and session included) and to the next page (scroll to the end of
// the loaded rows until the next keyset page is in the table) — beside the raw baseline of the same `tasks.list`
// calls from Node in the same run. Targets: first rows ≤ 1 s, next page ≤ 300 ms.
//   BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)  BENCH_TASKS (1000000)
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { postgres, repositories } from "@taskbridge/db/testing/Backends"
import { org, seedTasks } from "@taskbridge/db/testing/Seed"
import { OrganizationId } from "@taskbridge/domain/Ids"
import { Effect, Exit, Layer, ManagedRuntime, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { freshContext } from "../test/support/browser.ts"

const root = resolve(import.meta.dirname, "../../..")
const tasks = Number(process.env.BENCH_TASKS ?? 1_000_000)
const rounds = 7
const pageSize = 100
const url =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const key = new Uint8Array(32).fill(13)
const log = (line: string) => console.log(`bench console: ${line}`)
const median = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 10) / 10
}

log("building the console")
const vite = join(root, "apps/admin/node_modules/vite/bin/vite.js")
if (
  spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
    cwd: join(root, "apps/admin"),
    stdio: "inherit",
  }).status !== 0
)
  throw new Error("vite build failed")

const scope = Effect.runSync(Scope.make())
const db = await Effect.runPromise(Scope.provide(scope)(postgres(url).fresh))
const store = ManagedRuntime.make(repositories(db, key).pipe(Layer.orDie))
log(`seeding ${tasks.toLocaleString()} work items`)
const seeded = performance.now()
const token = await store.runPromise(
  Effect.gen(function* () {
    yield* seedTasks(tasks)
    // Nothing is pulled or pushed while the browser reads: every connection is paused.
    yield* (yield* SqlClient)`UPDATE connections SET enabled = false`
    const issued = yield* (yield* OrganizationRepository).issueToken(OrganizationId.make(org), "bench", "viewer")
    return Redacted.value(issued.token)
  }),
)
await store.dispose()
log(`seeded in ${Math.round((performance.now() - seeded) / 1000)} s`)

const api: ChildProcess = spawn(process.execPath, [join(root, "apps/api/src/main.ts"), "--port", "0"], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
  env: {
    ...process.env,
    ...db.env,
    TASKBRIDGE_SECRET_KEY: Buffer.from(key).toString("base64"),
    TASKBRIDGE_PULL_INTERVAL: "1 hour",
  },
})
const base = await new Promise<string>((ready, reject) => {
  if (api.stdout === null) return reject(new Error("no API output"))
  createInterface({ input: api.stdout }).on("line", (line) => {
    const found = /listening on (\S+)\/trpc/.exec(line)
    if (found?.[1] !== undefined) ready(found[1])
  })
  api.once("exit", (code) => reject(new Error(`the API exited (${code})`)))
})

try {
  // The raw baseline: the same two calls the inbox makes, from Node with a bearer token (no browser, no rendering).
  const headers = { authorization: `Bearer ${token}` }
  const list = async (cursor?: string) => {
    const input = { filter: {}, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) }
    const answer = await fetch(`${base}/trpc/tasks.list?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers,
    })
    const body = (await answer.json()) as { result: { data: { nextCursor: string } } }
    return body.result.data.nextCursor
  }
  await list()
  const rawFirst: Array<number> = []
  const rawNext: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now()
    const cursor = await list()
    const t1 = performance.now()
    await list(cursor)
    rawFirst.push(t1 - t0)
    rawNext.push(performance.now() - t1)
  }

  const context = await freshContext()
  const page = await context.newPage()
  const signIn = await page.request.post(`${base}/session`, {
    headers: { "x-taskbridge-csrf": "1", "content-type": "application/json", origin: base },
    data: { token },
  })
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`)
  const first: Array<number> = []
  const next: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    await page.goto(`${base}/?round=${i}`, { waitUntil: "commit" })
    await page.locator("tr[data-task-id]").first().waitFor()
    // Milliseconds from the navigation's start to now: HTML, bundle, session check, the first page, its rows.
    first.push(await page.evaluate(() => performance.now()))
    next.push(
      await page.evaluate(async (size) => {
        const table = document.querySelector("table[aria-label='Work items']")
        const scroller = document.querySelector("[data-testid='inbox-rows']")
        if (table === null || scroller === null) throw new Error("no inbox table")
        const loaded = () => Number(table.getAttribute("aria-rowcount") ?? 0) - 1
        const before = loaded()
        const t0 = performance.now()
        scroller.scrollTop = scroller.scrollHeight
        while (loaded() < before + size) await new Promise(requestAnimationFrame)
        return performance.now() - t0
      }, pageSize),
    )
  }
  await context.close()
  const figures = {
    tasks,
    pageSize,
    rounds,
    firstRowsMs: { browser: median(first), rawApi: median(rawFirst), target: 1000 },
    nextPageMs: { browser: median(next), rawApi: median(rawNext), target: 300 },
  }
  log(
    `first rows: browser ${figures.firstRowsMs.browser} ms (raw tasks.list ${figures.firstRowsMs.rawApi} ms; target ≤ 1000 ms)`,
  )
  log(
    `next page: browser ${figures.nextPageMs.browser} ms (raw tasks.list ${figures.nextPageMs.rawApi} ms; target ≤ 300 ms)`,
  )
  const out = join(root, "bench", "results")
  mkdirSync(out, { recursive: true })
  const file = join(out, `${new Date().toISOString().slice(0, 10)}-console.json`)
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`)
  log(`written to ${file}`)
} finally {
  api.kill("SIGTERM")
  await new Promise((done) => api.once("exit", done))
  await Effect.runPromise(Scope.close(scope, Exit.void))
}
