// Push: sustained local edits through the API until each vendor receives them. Every emulator the sandbox registers
// runs here with its rate limit and added latency off; the API (apps/api's own entry, `--demo`, in a child process on a
// fresh PostgreSQL database) connects to each one its definitions know. A load process edits their tasks through
// `tasks.update` at a fixed offered rate; each accepted edit is matched to the emulator's log entry of the write it
// caused (record and value), timed by the emulator's arrival stamp. The raw baseline replays those same writes
// straight to the emulators (children/push-raw.ts) at the same rate and in-flight cap, once the API is stopped.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Backend } from "@taskbridge/db/testing/Backends"
import type { EmulatorHandle } from "@taskbridge/sandbox/framework/Server"
import { emulators } from "@taskbridge/sandbox/registry"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Exit, Scope } from "effect"
import { runChild, startProcess } from "./Child.ts"
import type { PushLoadInput, PushLoadResult } from "./children/push-load.ts"
import type { PushRawInput, PushRawResult, RawWrite } from "./children/push-raw.ts"
import { postgresCpuMillis, processCpuMillis } from "./Machine.ts"
import { type Edit, editField, matchEdits, type PushTarget, type Received, type VendorPlan } from "./PushWorkload.ts"
import { type Latency, latency } from "./Stats.ts"

export interface PushVendorFigures {
  readonly vendor: string
  readonly field: string
  readonly accepted: number
  readonly refused: number
  /** Accepted edits whose value never reached the vendor because a later edit of the task was pushed instead. */
  readonly superseded: number
  /** Accepted edits the vendor had not received, alone or superseded, 30 s after the last edit was accepted. */
  readonly unmatched: number
  readonly staleRetries: number
  /** Reads the engine made of this vendor's records meanwhile (its manifest's look-before-write). */
  readonly reads: number
  /** Every other request the engine sent this vendor meanwhile, by method and answer status (e.g. `PATCH 200`). */
  readonly requests: Readonly<Record<string, number>>
  /** Edit accepted by the API → write received by the vendor. */
  readonly engine: Latency
  /** `tasks.update` sent → answered. */
  readonly accept: Latency
  /** The same write sent directly → answered. */
  readonly raw: Latency
}

export interface PushFigures {
  readonly ratePerSecond: number
  readonly seconds: number
  readonly maxInFlight: number
  readonly emulatorSize: number
  readonly vendors: ReadonlyArray<PushVendorFigures>
  readonly skipped: ReadonlyArray<{ readonly vendor: string; readonly reason: string }>
  readonly engine: { readonly writes: number; readonly writesPerSecond: number; readonly late: number } & Latency
  readonly raw: {
    readonly writes: number
    readonly failed: number
    readonly writesPerSecond: number
    /** The engine's peak of simultaneous writes in flight at the vendors, the concurrency the capacity run uses. */
    readonly concurrency: number
    readonly capacity: Latency
  }
  /**
   * CPU per accepted edit (ms) from the load's start until every edit was at its vendor: the engine's processes (the
   * API, and the workers where pushes run on them) and the PostgreSQL server. Null where /proc cannot tell.
   */
  readonly cpuPerEdit: { readonly engine: number; readonly postgres: number } | null
  /** Engine writes/s over raw writes/s at the same offered rate. */
  readonly ratio: number
  /** Engine writes/s over what the emulators take back to back at the engine's concurrency. */
  readonly capacityRatio: number
}

export interface PushOptions {
  readonly ratePerSecond: number
  readonly seconds: number
  readonly emulatorSize: number
  readonly maxInFlight?: number
  /** Distinct tasks edited per vendor, in turn. */
  readonly tasksPerVendor?: number
  /**
   * `apps/worker` processes that run the pushes, the API then only a client of their runners (as a deployment with
   * workers runs); 0 runs them on the API's own embedded runner.
   */
  readonly workers?: number
}

const apiMain = fileURLToPath(new URL("../../api/src/main.ts", import.meta.url))
const workerMain = fileURLToPath(new URL("../../worker/src/main.ts", import.meta.url))
const progress = (line: string) => console.log(`bench:   push: ${line}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const open = ["open", "in_progress", "waiting"]

interface ConnectionRow {
  readonly id: string
  readonly vendor: string
  readonly options: Readonly<Record<string, unknown>>
}

interface WireTask {
  readonly id: string
  readonly version: number
  readonly assignees: ReadonlyArray<{ readonly _tag: string; readonly id?: string }>
  readonly links: ReadonlyArray<{ readonly vendor: string; readonly recordId: string }>
}

const received = (handle: EmulatorHandle<unknown>, since: number): Array<Received> =>
  handle.control.requests
    .list({ since })
    .map((e) => ({ seq: e.seq, at: Date.parse(e.at), method: e.method, path: e.path, body: e.body }))

const tally = (entries: ReadonlyArray<{ readonly method: string; readonly status: number | null }>) => {
  const counts: Record<string, number> = {}
  for (const e of entries)
    counts[`${e.method} ${e.status ?? "none"}`] = (counts[`${e.method} ${e.status ?? "none"}`] ?? 0) + 1
  return counts
}

/** The most writes in flight at once, from the arrival and duration the emulators logged. */
const peakConcurrency = (writes: ReadonlyArray<{ readonly at: number; readonly durationMs: number }>) => {
  const events = writes.flatMap((w) => [
    [w.at, 1],
    [w.at + Math.max(w.durationMs, 1), -1],
  ])
  events.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0))
  let now = 0
  let peak = 0
  for (const [, delta] of events) {
    now += delta ?? 0
    peak = Math.max(peak, now)
  }
  return Math.max(peak, 1)
}

export const pushBenchmark = async (postgres: Backend, options: PushOptions): Promise<PushFigures> => {
  const maxInFlight = options.maxInFlight ?? 256
  const started: Array<EmulatorHandle<unknown>> = []
  const scope = Effect.runSync(Scope.make())
  const folder = mkdtempSync(join(tmpdir(), "taskbridge-bench-push-"))
  try {
    for (const emulator of emulators)
      started.push(
        await emulator.start({
          port: 0,
          seed: 5,
          size: options.emulatorSize,
          rateLimit: false,
          latencyMs: 0,
          requestLogCapacity: 1_000_000,
        }),
      )
    const db = await Effect.runPromise(Scope.provide(scope)(postgres.fresh))
    const env = {
      ...db.env,
      TASKBRIDGE_SECRET_KEY: Buffer.alloc(32, 23).toString("base64"),
      TASKBRIDGE_ALLOWED_HOSTS: "127.0.0.1",
      TASKBRIDGE_DATA_DIR: join(folder, "data"),
    }
    const workerCount = options.workers ?? 0
    const workers: Array<Awaited<ReturnType<typeof startProcess>>> = []
    for (let i = 0; i < workerCount; i++) workers.push(await startProcess(workerMain, [], env, [/runner started/]))
    progress(
      `emulators up${workerCount > 0 ? `, ${workerCount} worker(s) up` : ""}; starting the API and its backfills`,
    )
    const api = await startProcess(
      apiMain,
      ["--port", "0", "--demo", started.map((e) => e.url).join(",")],
      workerCount > 0 ? { ...env, TASKBRIDGE_RUNNER: "client" } : env,
      [/backfills finished/, /token\s+tb_\S+/],
    )
    let stopped = false
    const stopApi = async () => {
      if (!stopped) {
        await api.stop()
        await Promise.all(workers.map((worker) => worker.stop()))
      }
      stopped = true
    }
    try {
      const url = /listening on (http:\/\/\S+)\/trpc/.exec(api.output())?.[1] ?? ""
      const token = /token\s+(tb_\S+)/.exec(api.output())?.[1] ?? ""
      const query = async <T>(path: string, input: unknown): Promise<T> => {
        const answer = await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
          headers: { authorization: `Bearer ${token}` },
        })
        return ((await answer.json()) as { result: { data: T } }).result.data
      }
      const mutate = async (path: string, input: unknown) => {
        const answer = await fetch(`${url}/trpc/${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(input),
        })
        if (!answer.ok) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`)
      }
      // The emulators' limits are off, so the adapters' own budgets of a vendor's documented limit are lifted too
      // where a connection may say its contract allows more (Kore.ai's 60 a minute would otherwise be what is measured).
      for (const c of await query<ReadonlyArray<ConnectionRow>>("connections.list", undefined))
        if (c.vendor === "koreai")
          await mutate("connections.update", { id: c.id, options: { ...c.options, requestsPerMinute: 100_000 } })
      const { plans, skipped } = await planEdits(started, query, options.tasksPerVendor ?? 400)
      progress(`API ready; ${plans.map((p) => `${p.vendor} ${p.targets.length} tasks (${p.field})`).join(", ")}`)
      const handles = plans.map((p) => started.find((h) => h.vendor === p.vendor) as EmulatorHandle<unknown>)
      const since = handles.map((h) => h.control.requests.nextSeq() - 1)
      const engineCpu = () => {
        const readings = [api.pid, ...workers.map((worker) => worker.pid)].map(processCpuMillis)
        return readings.some((reading) => reading === null)
          ? null
          : readings.reduce<number>((sum, reading) => sum + (reading ?? 0), 0)
      }
      const cpuBefore = { engine: engineCpu(), postgres: postgresCpuMillis() }
      const load = await runChild<PushLoadResult>("push-load", {
        url,
        token,
        ratePerSecond: options.ratePerSecond,
        seconds: options.seconds,
        maxInFlight,
        run: Date.now().toString(36),
        plans,
      } satisfies PushLoadInput)
      const accepted = load.edits.filter((e) => e.acceptedAt !== null)
      progress(`${accepted.length} of ${load.edits.length} edits accepted in ${Math.round(load.millis)} ms; draining`)
      // The last writes are still on their way: wait until each accepted edit is seen at its vendor (or 30 s).
      let matching = matchAll(plans, handles, since, accepted)
      for (let waited = 0; matching.unmatched > 0 && waited < 30_000; waited += 250) {
        await sleep(250)
        matching = matchAll(plans, handles, since, accepted)
      }
      const cpuAfter = { engine: engineCpu(), postgres: postgresCpuMillis() }
      const perEdit = (before: number | null, after: number | null) =>
        before === null || after === null ? null : +((after - before) / Math.max(accepted.length, 1)).toFixed(2)
      const cpuEngine = perEdit(cpuBefore.engine, cpuAfter.engine)
      const cpuPostgres = perEdit(cpuBefore.postgres, cpuAfter.postgres)
      if (process.env.BENCH_PUSH_LOG !== undefined) writeFileSync(process.env.BENCH_PUSH_LOG, api.output())
      await stopApi()

      const writes = matching.pairs.sort((a, b) => a.edit.sentAt - b.edit.sentAt)
      const firstSent = Math.min(...load.edits.map((e) => e.sentAt))
      const lastReceived = Math.max(firstSent + 1, ...writes.map((w) => w.entry.at))
      const logged = handles.map((h, i) => h.control.requests.list({ since: since[i] ?? 0 }))
      const writeSeqs = new Set(writes.map((w) => `${w.vendor}:${w.entry.seq}`))
      const concurrency = peakConcurrency(
        logged.flatMap((entries, i) =>
          entries
            .filter((e) => writeSeqs.has(`${plans[i]?.vendor}:${e.seq}`))
            .map((e) => ({ at: Date.parse(e.at), durationMs: e.durationMs ?? 1 })),
        ),
      )
      progress(
        `${matching.pairs.length} vendor writes matched; CPU per edit: engine ${cpuEngine ?? "?"} ms, PostgreSQL ${cpuPostgres ?? "?"} ms; raw baseline`,
      )
      const raw = await runChild<PushRawResult>("push-raw", {
        vendors: handles.map((h) => ({ vendor: h.vendor, url: h.url })),
        writes: writes.map(
          (w): RawWrite => ({
            v: plans.findIndex((p) => p.vendor === w.vendor),
            method: w.entry.method,
            path: w.entry.path,
            body: w.entry.body,
          }),
        ),
        ratePerSecond: options.ratePerSecond,
        maxInFlight,
        capacity: { concurrency, seconds: Math.min(options.seconds, 10) },
      } satisfies PushRawInput)

      progress(`raw baseline ${raw.writesPerSecond} writes/s, back to back ${raw.capacity.perSecond}/s`)
      const engineSeconds = (lastReceived - firstSent) / 1000
      const vendors = plans.map((plan, i): PushVendorFigures => {
        const mine = load.edits.filter((e) => e.vendor === plan.vendor)
        const pairs = writes.filter((w) => w.vendor === plan.vendor)
        const later = matching.superseded.filter((w) => w.vendor === plan.vendor)
        const ok = mine.filter((e) => e.acceptedAt !== null)
        return {
          vendor: plan.vendor,
          field: plan.field,
          accepted: ok.length,
          refused: mine.length - ok.length,
          superseded: later.length,
          unmatched: ok.length - pairs.length - later.length,
          staleRetries: mine.reduce((n, e) => n + e.staleRetries, 0),
          reads: (logged[i] ?? []).filter((e) => e.method === "GET").length,
          requests: tally((logged[i] ?? []).filter((e) => e.method !== "GET")),
          engine: latency(
            [...pairs, ...later].map((w) => w.entry.at - (w.edit.acceptedAt ?? 0)),
            engineSeconds,
          ),
          accept: latency(
            ok.map((e) => (e.acceptedAt ?? 0) - e.sentAt),
            load.millis / 1000,
          ),
          raw: raw.latency[plan.vendor] ?? latency([], 1),
        }
      })
      const all = latency(
        [...writes, ...matching.superseded].map((w) => w.entry.at - (w.edit.acceptedAt ?? 0)),
        engineSeconds,
      )
      const engineRate = Math.round(writes.length / Math.max(engineSeconds, 1e-3))
      return {
        ratePerSecond: options.ratePerSecond,
        seconds: options.seconds,
        maxInFlight,
        emulatorSize: options.emulatorSize,
        vendors,
        skipped,
        engine: { ...all, writes: writes.length, writesPerSecond: engineRate, late: load.late },
        raw: {
          writes: raw.sent,
          failed: raw.failed,
          writesPerSecond: raw.writesPerSecond,
          concurrency,
          capacity: raw.capacity,
        },
        cpuPerEdit: cpuEngine === null || cpuPostgres === null ? null : { engine: cpuEngine, postgres: cpuPostgres },
        ratio: +(engineRate / Math.max(raw.writesPerSecond, 1)).toFixed(3),
        capacityRatio: +(engineRate / Math.max(raw.capacity.perSecond, 1)).toFixed(3),
      }
    } catch (error) {
      // Said now: the cleanup below may take its time, and the cause belongs beside the API's last words.
      console.error(`bench: push failed: ${error instanceof Error ? error.stack : String(error)}`)
      console.error(api.output().slice(-3000))
      throw error
    } finally {
      await stopApi()
    }
  } finally {
    // An emulator's close waits for its open connections, and a database drop for its sessions: the figures are
    // measured by now, so the cleanup gets 20 s and the suite goes on (main exits once the results are written).
    const cleanup = async () => {
      for (const handle of started) await Promise.race([handle.close(), sleep(5_000)])
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
    await Promise.race([cleanup(), sleep(20_000)])
    rmSync(folder, { recursive: true, force: true })
  }
}

const matchAll = (
  plans: ReadonlyArray<VendorPlan>,
  handles: ReadonlyArray<EmulatorHandle<unknown>>,
  since: ReadonlyArray<number>,
  accepted: ReadonlyArray<Edit>,
) => {
  const pairs: Array<{ readonly vendor: string; readonly edit: Edit; readonly entry: Received }> = []
  const superseded: Array<{ readonly vendor: string; readonly edit: Edit; readonly entry: Received }> = []
  let unmatched = 0
  plans.forEach((plan, i) => {
    const handle = handles[i]
    if (handle === undefined) return
    const result = matchEdits(
      accepted.filter((e) => e.vendor === plan.vendor),
      received(handle, since[i] ?? 0),
    )
    unmatched += result.unmatched.length
    for (const m of result.matched) pairs.push({ vendor: plan.vendor, ...m })
    for (const m of result.superseded) superseded.push({ vendor: plan.vendor, ...m })
  })
  return { pairs, superseded, unmatched }
}

/**
 * Per emulator whose vendor has a definition: the field its edits write (from the manifest) and up to `perVendor`
 * of its open tasks as the API lists them, with the users seen on them for vendors whose edits reassign.
 */
const planEdits = async (
  handles: ReadonlyArray<EmulatorHandle<unknown>>,
  query: <T>(path: string, input: unknown) => Promise<T>,
  perVendor: number,
) => {
  const plans: Array<VendorPlan> = []
  const skipped: Array<{ vendor: string; reason: string }> = []
  for (const handle of handles) {
    const definition = definitions.find((d) => d.vendor === handle.vendor)
    if (definition === undefined) {
      skipped.push({ vendor: handle.vendor, reason: "no vendor definition" })
      continue
    }
    const field = editField(definition.manifest)
    if (field === null) {
      skipped.push({ vendor: handle.vendor, reason: "neither description nor user assignees are writable" })
      continue
    }
    const tasks: Array<WireTask> = []
    let cursor: string | null = null
    do {
      const page: { items: ReadonlyArray<WireTask>; nextCursor: string | null } = await query("tasks.list", {
        filter: { vendors: [handle.vendor], statuses: open },
        limit: 200,
        ...(cursor === null ? {} : { cursor }),
      })
      tasks.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== null && tasks.length < perVendor)
    const users = [
      ...new Set(tasks.flatMap((t) => t.assignees.flatMap((a) => (a._tag === "User" && a.id ? [a.id] : [])))),
    ]
    const targets = tasks.slice(0, perVendor).flatMap((t): Array<PushTarget> => {
      const recordId = t.links.find((l) => l.vendor === handle.vendor)?.recordId
      const sole = t.assignees.length === 1 && t.assignees[0]?._tag === "User" ? (t.assignees[0].id ?? null) : null
      return recordId === undefined ? [] : [{ taskId: t.id, recordId, version: t.version, assignee: sole }]
    })
    if (targets.length === 0) skipped.push({ vendor: handle.vendor, reason: "no open tasks linked to it" })
    else if (field === "assignees" && users.length < 2)
      skipped.push({ vendor: handle.vendor, reason: "fewer than two users on its tasks to reassign between" })
    else plans.push({ vendor: handle.vendor, field, targets, users })
  }
  return { plans, skipped }
}
