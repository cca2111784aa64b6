// No secret and no patient data in any log line or error message, shown on the whole system as `pnpm start` runs it:
// the sandbox (every emulator) and the API with its embedded runner in child processes, driven through failures —
// vendor 5xx, 429, truncated and wrong-typed answers (quarantine), edits pushed through faults, refused input that
// carries patient text and secrets, bad tokens, a connection aimed at a password-bearing URL — and then every line the
// API printed and every error message it answered is scanned for every credential, token and work item text it held.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { emulators } from "@taskbridge/sandbox/registry"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { AppRouter } from "../../src/Router.ts"

const sandboxMain = fileURLToPath(new URL("../../../sandbox/src/main.ts", import.meta.url))
const apiMain = fileURLToPath(new URL("../../src/main.ts", import.meta.url))

interface Child {
  readonly process: ChildProcess
  readonly lines: Array<string>
}

const children: Array<ChildProcess> = []
const spawnChild = (script: string, args: ReadonlyArray<string>, env: Record<string, string>): Child => {
  const { DATABASE_URL: _, TASKBRIDGE_SECRET_KEY: __, ...inherited } = process.env
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  })
  children.push(child)
  const lines: Array<string> = []
  for (const stream of [child.stdout, child.stderr])
    if (stream !== null) createInterface({ input: stream }).on("line", (line) => lines.push(line))
  return { process: child, lines }
}

interface Emulator {
  readonly vendor: string
  readonly baseUrl: string
  readonly controlUrl: string
  readonly credentials: ReadonlyArray<Record<string, unknown>>
}

/** Every value under a key that names a secret, anywhere in `value`. */
const secretsIn = (value: unknown, into: Set<string>): Set<string> => {
  if (Array.isArray(value)) for (const v of value) secretsIn(v, into)
  else if (typeof value === "object" && value !== null)
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === "string" && /secret|key|token|password/i.test(key) && v.length >= 8) into.add(v)
      else secretsIn(v, into)
    }
  return into
}

const patientText = "Jane Q. Testperson, DOB 1961-04-02, metformin 500 mg"

describe("no secret or patient data in logs and error messages, across the whole system", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "taskbridge-leaks-"))
  let sandbox: Child
  let api: Child
  let emulatorsUp: ReadonlyArray<Emulator>
  let apiUrl: string
  let token: string
  const answered: Array<string> = []

  const client = (bearer: string) =>
    createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${apiUrl}/trpc`, headers: () => ({ authorization: `Bearer ${bearer}` }) })],
    })
  /** Runs a call expected to fail and keeps its error message (and details) for the scan. */
  const refused = async (call: () => Promise<unknown>) => {
    try {
      await call()
    } catch (error) {
      if (!(error instanceof TRPCClientError)) throw error
      answered.push(JSON.stringify({ message: error.message, data: error.data }))
      return error
    }
    throw new Error("the call was expected to be refused")
  }
  const control = (emulator: Emulator, path: string, body: unknown) =>
    fetch(`${emulator.controlUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    })

  beforeAll(async () => {
    sandbox = spawnChild(
      sandboxMain,
      ["--size", "30", "--activity", "2", ...emulators.flatMap((e) => ["--port", `${e.vendor}=0`])],
      {},
    )
    emulatorsUp = await eventually(
      "the sandbox",
      () => {
        const parsed = sandbox.lines.flatMap((line) => {
          try {
            return [JSON.parse(line) as Emulator & { readonly ready?: boolean }]
          } catch {
            return []
          }
        })
        return parsed.some((p) => p.ready === true) ? parsed.filter((p) => p.ready !== true) : undefined
      },
      { timeoutMs: 60_000 },
    )
    const hosts = emulatorsUp.map((e) => new URL(e.baseUrl).host).join(",")
    api = spawnChild(apiMain, ["--demo", emulatorsUp.map((e) => e.baseUrl).join(","), "--port", "0"], {
      TASKBRIDGE_DATA_DIR: dataDir,
      TASKBRIDGE_ALLOWED_HOSTS: hosts,
    })
    const context = () => api.lines.slice(-20).join("\n")
    apiUrl = await eventually(
      "the API",
      () => api.lines.map((l) => /listening on (http:\/\/\S+)\/trpc/.exec(l)?.[1]).find((u) => u !== undefined),
      { timeoutMs: 60_000, context },
    )
    token = await eventually(
      "the demo token",
      () => api.lines.map((l) => /taskbridge: token\s+(\S+)/.exec(l)?.[1]).find((t) => t !== undefined),
      { timeoutMs: 60_000, context },
    )
    await eventually(
      "every backfill",
      async () => {
        const status = await client(token).sync.status.query()
        return status.length === emulatorsUp.length && status.every((s) => s.backfill?.state === "succeeded")
          ? status
          : undefined
      },
      { timeoutMs: 120_000, context },
    )
  }, 240_000)

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL")
    rmSync(dataDir, { recursive: true, force: true })
  })

  it("prints and answers none of them, through vendor faults, pushes, quarantine and refused input", async () => {
    const admin = client(token)
    // Vendor-side trouble on every emulator: 5xx, 429, a cut-off answer and a wrong-typed one, then pulls.
    for (const emulator of emulatorsUp) {
      for (const fault of [
        { kind: "error5xx", count: 2, status: 503 },
        { kind: "rateLimit", count: 1, retryAfterSeconds: 1 },
        { kind: "truncated", count: 1, method: "GET" },
      ])
        expect((await control(emulator, "/faults", fault)).status).toBeLessThan(300)
    }
    const connections = await admin.connections.list.query()
    for (const c of connections) await admin.sync.pullNow.mutate({ connectionId: c.id })
    // Then a wrong-typed answer on every emulator, alone (each rule counts every request it matches): once those pulls
    // have run, what is left of the first faults is removed, and a record the adapter cannot read is quarantined.
    const asked = Date.now()
    await eventually(
      "the faulted pulls to finish",
      async () => {
        const status = await admin.sync.status.query()
        const done = status.every(
          (s) =>
            s.lastRun !== null && Date.parse(s.lastRun.startedAt) >= asked - 1_000 && s.lastRun.state !== "running",
        )
        return done ? true : undefined
      },
      { timeoutMs: 120_000 },
    )
    for (const emulator of emulatorsUp) await fetch(`${emulator.controlUrl}/faults`, { method: "DELETE" })
    for (const emulator of emulatorsUp) await control(emulator, "/faults", { kind: "wrongType", count: 1 })
    for (const c of connections) await admin.sync.pullNow.mutate({ connectionId: c.id })
    const quarantined = await eventually("a quarantined record", async () => {
      const held = (await admin.sync.status.query()).reduce((n, s) => n + s.quarantined, 0)
      return held > 0 ? held : undefined
    })
    // The held record's payload is the vendor's record, shown to operators on purpose; everything else is scanned.
    const held = await admin.sync.quarantined.query({})
    answered.push(JSON.stringify(held.map(({ payload: _, ...rest }) => rest)))

    // Local edits carrying patient text, pushed while writes fail at first.
    for (const emulator of emulatorsUp)
      await control(emulator, "/faults", { kind: "error5xx", count: 1, status: 500, method: "PATCH" })
    const page = await admin.tasks.list.query({ limit: 100 })
    const editable = page.items.filter((t) => t.status !== "done" && t.status !== "cancelled").slice(0, 12)
    for (const task of editable) {
      await admin.tasks.update
        .mutate({ id: task.id, expectedVersion: task.version, patch: { description: `${patientText} (${task.id})` } })
        .catch((error: unknown) => {
          if (error instanceof TRPCClientError)
            answered.push(JSON.stringify({ message: error.message, data: error.data }))
          else throw error
        })
    }

    // Refused input that carries patient text or secrets in the refused field.
    const [first] = page.items
    if (first === undefined) throw new Error("no work item")
    await refused(() =>
      admin.tasks.update.mutate({
        id: first.id,
        expectedVersion: first.version,
        patch: { description: `${patientText}\u0000` },
      }),
    )
    await refused(() =>
      admin.tasks.update.mutate({ id: first.id, expectedVersion: first.version + 99, patch: { title: patientText } }),
    )
    await refused(() => admin.tasks.list.query({ cursor: `${patientText}-not-a-cursor` }))
    await refused(() =>
      admin.connections.create.mutate({
        vendor: "vambe",
        name: "aimed inside",
        baseUrl: "http://ops:hunter2-password@10.1.2.3/api",
        credentials: { apiKey: "vmb_this_key_is_a_secret_0001" },
      }),
    )
    const wrongKey = await admin.connections.create.mutate({
      vendor: "vambe",
      name: "wrong key",
      baseUrl: emulatorsUp.find((e) => e.vendor === "vambe")?.baseUrl ?? "",
      credentials: { apiKey: "vmb_this_key_is_a_secret_0002" },
    })
    const tested = await admin.connections.test.mutate({ id: wrongKey.id })
    answered.push(JSON.stringify(tested))
    for (let i = 0; i < 4; i++) await refused(() => client(`tb_guessed_token_${i}_abcdef`).tasks.list.query({}))

    // Quiesce: the pushes land or are dead-lettered, and the pulls after the faults finish.
    await eventually(
      "the outbox to drain",
      async () => {
        const status = await admin.sync.status.query()
        return status.every((s) => s.outbox.pending + s.outbox.sending === 0) ? status : undefined
      },
      { timeoutMs: 120_000, context: () => api.lines.slice(-20).join("\n") },
    )
    const status = await admin.sync.status.query()
    answered.push(JSON.stringify(status))
    answered.push(JSON.stringify(await admin.sync.outbox.query({ state: "dead" })))

    // What must never appear: every credential the sandbox issued, the secrets we sent, every token, and the text of
    // every work item the system holds (titles and descriptions are patient data).
    const secrets = secretsIn(
      emulatorsUp.map((e) => e.credentials),
      new Set([token, "hunter2-password", "vmb_this_key_is_a_secret_0001", "vmb_this_key_is_a_secret_0002"]),
    )
    for (let i = 0; i < 4; i++) secrets.add(`tb_guessed_token_${i}_abcdef`)
    const all = await admin.tasks.list.query({ limit: 200, filter: { deleted: "include" } })
    const patient = new Set([patientText, "Jane Q. Testperson"])
    for (const t of all.items) {
      if (t.title.length >= 12) patient.add(t.title)
      if (t.description !== null && t.description.length >= 12) patient.add(t.description.slice(0, 40))
    }
    // The one deliberate exception: the banner that hands the operator the demo token (like Jupyter's link).
    const printed = api.lines.filter((l) => !/^taskbridge: token\s/.test(l))
    const haystacks = [...printed, ...answered]
    const hits = haystacks.flatMap((text) =>
      [...secrets, ...patient].filter((needle) => text.includes(needle)).map((needle) => ({ text, needle })),
    )
    console.log(
      `leak scan: ${printed.length} API log lines and ${answered.length} answers scanned for ${secrets.size} secrets ` +
        `and ${patient.size} patient texts; ${hits.length} found; ${quarantined} record(s) were quarantined`,
    )
    expect(hits.map((h) => ({ needle: h.needle.slice(0, 12), line: h.text.slice(0, 200) }))).toEqual([])
    expect(printed.length).toBeGreaterThan(5)
  }, 300_000)
})
