// The /_sandbox control API over HTTP: request log, reset and deterministic seeding, the clock, and simulated
// staff activity (a task edit moves updated_at and agg_updated_at; a note moves only agg_updated_at).
import { describe, expect, it } from "vitest"
import { startCandid } from "../src/candid/Emulator.ts"
import type { WireTask } from "../src/candid/Wire.ts"
import { client, control, json, type TaskPageBody, useCandid } from "./support.ts"

const candid = useCandid()

interface LogBody {
  readonly entries: Array<{ seq: number; method: string; path: string; body: unknown; status: number | null }>
  readonly nextSeq: number
}

describe("request log", () => {
  it("records method, path, body and status of what the client sent", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await api.send("PATCH", "/api/tasks/v3/00000000-0000-4000-8000-000000000000", { status: "finished" })
    const log = await json<LogBody>(await control(sandbox, "GET", "/requests"))
    expect(log.entries.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: "POST", path: "/api/auth/v2/token", status: 200 },
      { method: "PATCH", path: "/api/tasks/v3/00000000-0000-4000-8000-000000000000", status: 404 },
    ])
    expect(log.entries[1]?.body).toEqual({ status: "finished" })
  })

  it("returns only entries after ?since and forgets everything on DELETE", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const { nextSeq } = await json<LogBody>(await control(sandbox, "GET", "/requests"))
    await api.get("/api/tasks/v3?limit=2")
    const since = await json<LogBody>(await control(sandbox, "GET", `/requests?since=${nextSeq - 1}`))
    expect(since.entries.map((entry) => entry.path)).toEqual(["/api/tasks/v3?limit=2"])
    await control(sandbox, "DELETE", "/requests")
    expect((await json<LogBody>(await control(sandbox, "GET", "/requests"))).entries).toEqual([])
  })
})

describe("reset and seeding", () => {
  it("reproduces the same tasks and credentials from the same seed in another emulator", async () => {
    const options = { port: 0, seed: 11, size: 300, anchorMs: Date.UTC(2026, 0, 15) }
    const [a, b] = await Promise.all([startCandid(options), startCandid(options)])
    try {
      expect(b.info().credentials).toEqual(a.info().credentials)
      const query = "/api/tasks/v3?limit=50&sort=patient_name:asc"
      const pageA = await json<TaskPageBody>(await (await client(a)).get(query))
      const pageB = await json<TaskPageBody>(await (await client(b)).get(query))
      expect(pageA.items).toHaveLength(50)
      expect(pageB.items).toEqual(pageA.items)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it("reseeds with a new seed and size", async () => {
    const sandbox = await candid()
    const before = sandbox.info().credentials
    const info = await json<{ seed: number; size: number; tasks: number }>(
      await control(sandbox, "POST", "/reset", { seed: 99, size: 50 }),
    )
    expect(info).toMatchObject({ seed: 99, size: 50, tasks: 50 })
    expect(sandbox.info().credentials).not.toEqual(before)
  })

  it("seeds realistic tasks: names, payers, encounters, ISO dates and Luhn-valid provider NPIs", async () => {
    const sandbox = await candid()
    const page = await json<TaskPageBody>(await (await client(sandbox)).get("/api/tasks/v3?limit=50"))
    for (const task of page.items) {
      expect(task.patient_name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
      expect(task.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
      expect(task.date_of_service).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(task.created_at <= task.updated_at && task.updated_at <= task.agg_updated_at).toBe(true)
    }
    expect(new Set(page.items.map((task) => task.payer_name)).size).toBeGreaterThan(3)
    const luhn = (digits: string) =>
      [...`80840${digits}`]
        .reverse()
        .reduce((sum, d, i) => sum + (i % 2 ? ([0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(d)] ?? 0) : Number(d)), 0) %
        10 ===
      0
    const npis = sandbox.state().store.orgs.flatMap((org) => org.providers.map((provider) => provider.npi))
    expect(npis.every(luhn)).toBe(true)
  })
})

describe("clock", () => {
  it("advances the sandbox clock by the given ms and stamps later edits with it", async () => {
    const sandbox = await candid()
    const before = await json<{ now: number }>(await control(sandbox, "GET", "/clock"))
    const after = await json<{ now: number; offsetMs: number }>(
      await control(sandbox, "POST", "/clock/advance", { ms: 86_400_000 }),
    )
    expect(after.offsetMs).toBe(86_400_000)
    expect(after.now - before.now).toBeGreaterThanOrEqual(86_400_000)
    const [edit] = sandbox.control.activity.step(1, { kinds: ["status"] })
    expect(Date.parse(edit?.at ?? "")).toBeGreaterThanOrEqual(Math.floor(after.now / 1000) * 1000)
  })

  it("refuses to move the clock backwards", async () => {
    const response = await control(await candid(), "POST", "/clock/advance", { ms: -1 })
    expect(response.status).toBe(400)
  })
})

describe("simulated staff activity", () => {
  const stepOn = async (kind: string) => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const [task] = (await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=1&sort=updated_at:asc"))).items
    sandbox.control.clock.advance(120_000)
    const response = await control(sandbox, "POST", "/activity/step", { count: 1, kinds: [kind], id: task?.task_id })
    const { events } = await json<{ events: Array<{ kind: string; id: string }> }>(response)
    const after = await json<WireTask>(await api.get(`/api/tasks/v3/${task?.task_id}`))
    return { before: task, after, events }
  }

  it("moves updated_at and agg_updated_at when staff change a task's status", async () => {
    const { before, after, events } = await stepOn("status")
    expect(events).toEqual([expect.objectContaining({ kind: "status", id: before?.task_id })])
    expect(after.status).not.toBe(before?.status)
    expect(after.updated_at > (before?.updated_at ?? "")).toBe(true)
    expect(after.agg_updated_at).toBe(after.updated_at)
  })

  it("moves only agg_updated_at when staff add a note", async () => {
    const { before, after } = await stepOn("note")
    expect(after.updated_at).toBe(before?.updated_at)
    expect(after.agg_updated_at > (before?.agg_updated_at ?? "")).toBe(true)
    expect(after.notes).toHaveLength((before?.notes.length ?? 0) + 1)
    expect(after.notes.at(-1)?.created_at).toBe(after.agg_updated_at)
  })

  it("applies edits on a timer at the requested rate until stopped", async () => {
    const sandbox = await candid()
    await control(sandbox, "POST", "/activity", { ratePerSecond: 200 })
    await new Promise((resolve) => setTimeout(resolve, 150))
    const stopped = await json<{ running: boolean; applied: number }>(await control(sandbox, "DELETE", "/activity"))
    expect(stopped.running).toBe(false)
    expect(stopped.applied).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(sandbox.control.activity.status().applied).toBe(stopped.applied)
  })

  it("rejects an unknown activity kind with 400", async () => {
    const response = await control(await candid(), "POST", "/activity/step", { kinds: ["delete"] })
    expect(response.status).toBe(400)
  })
})

describe("request log redaction", () => {
  it("never records a credential: bearer tokens, client secrets and API keys read [redacted]", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await fetch(`${sandbox.url}/api/tasks/v3?limit=1`, {
      headers: { authorization: `Bearer ${api.token}`, "x-api-key": "key_1234", accountid: "acct-1" },
    })
    const [mint, call] = sandbox.control.requests.list()
    expect(mint?.body).toEqual({ client_id: expect.any(String), client_secret: "[redacted]" })
    expect(call?.headers).toMatchObject({
      authorization: "Bearer [redacted]",
      "x-api-key": "[redacted]",
      accountid: "acct-1",
    })
    const served = JSON.stringify(await json(await control(sandbox, "GET", "/requests")))
    expect(served).not.toContain(api.token)
    expect(served).not.toContain(sandbox.state().store.orgs[0]?.clientSecret)
  })
})
