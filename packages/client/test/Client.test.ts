// The client against a real API process (`apps/api/src/main.ts --demo`, embedded PGlite in a temporary folder) and
// the Candid and CareValidate emulators over real HTTP: list tasks and escalations from both vendors, update a task
// and watch the change reach Candid and the `events` stream, see a CareValidate webhook become a pull, be refused
// without a valid token, and restart on the same data with the same token.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { eventually as poll } from "@taskbridge/vitest-config/eventually"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type AppRouter, createClient, type RouterOutputs, TRPCClientError } from "../src/index.ts"

const apiMain = fileURLToPath(import.meta.resolve("@taskbridge/api/main"))

type Tracked = RouterOutputs["events"] extends AsyncIterable<infer E> ? E : never
/** What the stream delivers: the tracked envelope's data (its id is the resume point). */
type Event = Tracked extends { readonly data: infer D } ? D : never

interface Api {
  readonly child: ChildProcess
  readonly url: string
  readonly token: string
  readonly output: () => string
  readonly exited: Promise<number | null>
}

const startApi = async (dataDir: string, sandbox: ReadonlyArray<string>): Promise<Api> => {
  const { DATABASE_URL: _, ...env } = process.env
  const child = spawn(process.execPath, [apiMain, "--port", "0", "--demo", sandbox.join(",")], {
    env: {
      ...env,
      TASKBRIDGE_DATA_DIR: dataDir,
      TASKBRIDGE_SECRET_KEY: Buffer.alloc(32, 9).toString("base64"),
      // The demo's backfills are on-demand pulls; with no scheduled pull during the run, the pull that sees a
      // vendor change is the one its webhook asked for (a scheduled tick could otherwise see it first).
      TASKBRIDGE_PULL_INTERVAL: "1 hour",
      // The emulators listen on loopback over http, as `pnpm start` allows them.
      TASKBRIDGE_ALLOWED_HOSTS: "127.0.0.1",
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
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    const url = /listening on (http:\/\/\S+)\/trpc/.exec(log)?.[1]
    const token = /token\s+(tb_\S+)/.exec(log)?.[1]
    if (url !== undefined && token !== undefined) return { child, url, token, output: () => log, exited }
    if (child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill("SIGKILL")
  throw new Error(`the API did not start:\n${log}`)
}

/** A whole API process and two emulators share the machine's two cores with the rest of CI: waits are generous. */
const eventually = <A>(what: string, probe: () => A | undefined | Promise<A | undefined>) =>
  poll(what, probe, { timeoutMs: 60_000 })

/**
 * A new stream starts at the head of the change feed and first reports each connection's latest sync run; once that
 * has arrived, the stream is listening and a change made now reaches it.
 */
const streaming = (events: ReadonlyArray<Event>) =>
  eventually("the events stream to start", () => events.find((e) => e.type === "sync"))

/** Above `eventually`'s deadline, so a test that waits too long fails naming what it waited for. */
const waiting = 120_000

describe("@taskbridge/client against a real API process", { timeout: waiting }, () => {
  let candid: Awaited<ReturnType<typeof startCandid>>
  let careValidate: Awaited<ReturnType<typeof startCareValidate>>
  let dataDir: string
  let api: Api

  beforeAll(async () => {
    candid = await startCandid({ port: 0, seed: 21, size: 40 })
    careValidate = await startCareValidate({ port: 0, seed: 21, size: 30 })
    dataDir = join(mkdtempSync(join(tmpdir(), "taskbridge-client-")), "data")
    api = await startApi(dataDir, [candid.url, careValidate.url])
  }, 120_000)

  afterAll(async () => {
    if (api?.child.exitCode === null) api.child.kill("SIGKILL")
    await candid?.close()
    await careValidate?.close()
    if (dataDir !== undefined) rmSync(join(dataDir, ".."), { recursive: true, force: true })
  })

  it("lists what the backfills brought from every vendor with an adapter", async () => {
    const client = createClient({ url: api.url, token: api.token })
    const candidTasks = await eventually("Candid tasks", async () => {
      const page = await client.tasks.list.query({ filter: { vendors: ["candid"] }, limit: 5 })
      return page.items.length > 0 ? page : undefined
    })
    expect(candidTasks.items[0]?.links[0]?.vendor).toBe("candid")
    const escalations = await eventually("CareValidate escalations", async () => {
      const page = await client.tasks.list.query({ filter: { kinds: ["escalation"] }, limit: 5 })
      return page.items.length > 0 ? page : undefined
    })
    expect(escalations.items[0]?.links[0]?.connectionId).toBe("demo-carevalidate")
    const status = await client.sync.status.query()
    expect(status.map((s) => s.vendor).sort()).toEqual(["candid", "carevalidate"])
  })

  it("updates a task: the change reaches Candid and arrives on the events stream", async () => {
    const client = createClient({ url: api.url, token: api.token })
    const events: Array<Event> = []
    const subscription = client.events.subscribe({}, { onData: (event) => events.push(event.data) })
    try {
      const [task] = (await client.tasks.list.query({ filter: { vendors: ["candid"], statuses: ["open"] }, limit: 1 }))
        .items
      if (task === undefined) throw new Error("no open Candid task")
      await streaming(events)
      const seq = candid.control.requests.nextSeq()
      const updated = await client.tasks.update.mutate({
        id: task.id,
        expectedVersion: task.version,
        patch: { status: "in_progress" },
      })
      expect(updated.status).toBe("in_progress")
      const patches = await eventually("the PATCH at Candid", () => {
        const found = candid.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "PATCH")
        return found.length > 0 ? found : undefined
      })
      expect(patches.map((r) => r.status)).toEqual([200])
      const seen = await eventually("the task event", () =>
        events.find((e) => e.type === "task" && e.change.taskId === task.id && e.change.origin === "api"),
      )
      expect(seen.type === "task" && seen.change.changes.map((c) => c.field)).toContain("status")
      // A new stream also reports each connection's latest sync run.
      expect(events.filter((e) => e.type === "sync").map((e) => e.type === "sync" && e.run.connectionId)).toEqual(
        expect.arrayContaining(["demo-candid", "demo-carevalidate"]),
      )
    } finally {
      subscription.unsubscribe()
    }
  })

  it("turns a signed CareValidate webhook into a pull", async () => {
    const client = createClient({ url: api.url, token: api.token })
    const events: Array<Event> = []
    const subscription = client.events.subscribe({}, { onData: (event) => events.push(event.data) })
    try {
      await streaming(events)
      // A CareValidate staff member completes an escalation; CareValidate calls our webhook, which asks for a pull.
      const step = await fetch(`${careValidate.url}/_sandbox/activity/step`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kinds: ["complete"] }),
      })
      expect(step.status).toBe(200)
      const [completedAtVendor] = ((await step.json()) as { events: Array<{ kind: string; id: string }> }).events
      if (completedAtVendor?.kind !== "complete") throw new Error("the sandbox completed no escalation")
      const delivery = await eventually("the webhook delivery", async () => {
        const log = (await fetch(`${careValidate.url}/_sandbox/webhooks/deliveries`).then((r) => r.json())) as {
          deliveries: Array<{ event: string; escalationId: string; state: string; status: number | null }>
        }
        return log.deliveries.find(
          (d) => d.event === "DEESCALATE_CASE" && d.escalationId === completedAtVendor.id && d.state !== "pending",
        )
      })
      expect(delivery.status).toBe(202)
      const run = await eventually("a webhook-triggered pull", async () => {
        const status = await client.sync.status.query()
        const last = status.find((s) => s.vendor === "carevalidate")?.lastRun
        return last?.kind === "webhook" && last.state === "succeeded" ? last : undefined
      })
      // A pull lists at least one page, even when nothing changed.
      expect(run.pages).toBeGreaterThan(0)
      const completed = await eventually("the completed escalation", async () => {
        const page = await client.tasks.list.query({
          filter: { kinds: ["escalation"], statuses: ["done"] },
          limit: 200,
        })
        return page.items.find((e) => e.links[0]?.recordId === completedAtVendor.id)
      })
      expect(completed.closedAt).not.toBeNull()
      // The change arrives on the stream as an escalation's change whose origin is the webhook.
      const change = await eventually("the escalation event", () =>
        events.find(
          (e) =>
            e.type === "task" &&
            e.kind === "escalation" &&
            e.change.origin === "webhook" &&
            e.change.taskId === completed.id,
        ),
      )
      expect(change.type === "task" && change.change.changes.map((c) => c.field)).toContain("status")
    } finally {
      subscription.unsubscribe()
    }
  })

  it("is refused without a valid token, with the code and a message", async () => {
    const client = createClient({ url: api.url, token: "tb_wrong" })
    const error = await client.tasks.list.query({}).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TRPCClientError)
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe("UNAUTHORIZED")
    const valid = createClient({ url: api.url, token: api.token })
    const bad = await valid.tasks.list.query({ limit: 0 }).then(
      () => null,
      (e: unknown) => e as TRPCClientError<AppRouter>,
    )
    expect(bad?.data?.code).toBe("BAD_REQUEST")
    expect(bad?.message).toContain("limit")
  })

  it("stops cleanly on Ctrl-C and resumes with the same data and token", async () => {
    const client = createClient({ url: api.url, token: api.token })
    const before = await client.tasks.list.query({ limit: 200 })
    api.child.kill("SIGINT")
    expect(await api.exited).toBe(0)
    api = await startApi(dataDir, [candid.url, careValidate.url])
    const again = createClient({ url: api.url, token: api.token })
    const after = await again.tasks.list.query({ limit: 200 })
    expect(after.items.map((t) => t.id).sort()).toEqual(expect.arrayContaining(before.items.map((t) => t.id).sort()))
    // The restarted demo reports each connection's (finished) backfill once its progress watch has run.
    await eventually("the restarted API to report its backfills", () =>
      api.output().includes("backfill succeeded") ? true : undefined,
    )
  }, 120_000)
})
