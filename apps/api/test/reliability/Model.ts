// The convergence model: every registered vendor emulator behind one API (the production layer on a fresh database,
// an embedded runner, the demo organization's connections, webhooks delivered to a real HTTP listener), driven by a
// random interleaving of local edits (through tRPC), vendor-side staff edits (through each emulator), pulls and
// injected faults (5xx, 429 with Retry-After, latency, dropped connections, timeouts, corrupted answers). After the
// system quiesces, `verify` checks the claim: every work item equals its vendor record unless a conflict or a dead
// letter says why; every accepted edit was written once, or is held or refused with a reason (none lost); no vendor
// received a write our edits did not ask for (no duplicate, no echo).
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Backend } from "@taskbridge/db/testing/Backends"
import type { VendorManifest } from "@taskbridge/domain/Capabilities"
import type { ConnectionId, OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import {
  ConflictRepository,
  HistoryRepository,
  LinkRepository,
  type OutboxEntry,
  OutboxRepository,
} from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import type { FaultSpec } from "@taskbridge/sandbox/framework/Faults"
import type { EmulatorHandle } from "@taskbridge/sandbox/framework/Server"
import { emulators } from "@taskbridge/sandbox/registry"
import { encoded } from "@taskbridge/sync/Hash"
import { definitions } from "@taskbridge/vendors/Definitions"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { TRPCError } from "@trpc/server"
import { DateTime, Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import fc from "fast-check"
import { demoOrganization, ensureDemo } from "../../src/Demo.ts"
import { type ApiServer, listen } from "../../src/Server.ts"
import { type Harness, startHarness } from "../support/harness.ts"

export type Command =
  | { readonly type: "local"; readonly vendor: number; readonly item: number; readonly value: number }
  | { readonly type: "vendor"; readonly vendor: number; readonly item: number }
  | {
      readonly type: "fault"
      readonly vendor: number
      readonly kind: FaultSpec["kind"]
      readonly count: number
      /** Only requests of this method (a vendor's writes), else any request. */
      readonly method?: "PATCH" | "PUT" | "POST" | undefined
    }
  | { readonly type: "pull"; readonly vendor: number }
  | { readonly type: "wait"; readonly ms: number }

const faultKinds = ["error5xx", "rateLimit", "latency", "drop", "timeout", "truncated", "malformed"] as const

/** Random interleavings, weighted towards edits on both sides. */
export const commands = (length: { readonly min: number; readonly max: number }) =>
  fc.array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          type: fc.constant("local" as const),
          vendor: fc.nat(9),
          item: fc.nat(39),
          value: fc.nat(999),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({ type: fc.constant("vendor" as const), vendor: fc.nat(9), item: fc.nat(39) }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant("fault" as const),
          vendor: fc.nat(9),
          kind: fc.constantFrom(...faultKinds),
          count: fc.integer({ min: 1, max: 3 }),
          method: fc.constantFrom(undefined, "PATCH" as const, "PUT" as const, "POST" as const),
        }),
      },
      { weight: 1, arbitrary: fc.record({ type: fc.constant("pull" as const), vendor: fc.nat(9) }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 250 }) }) },
    ),
    { minLength: length.min, maxLength: length.max },
  )

/** What a fault command adds: short-lived, so the system can always recover once the command's count is spent. */
const faultSpec = (kind: FaultSpec["kind"], count: number, method: string | undefined): FaultSpec => ({
  kind,
  count,
  ...(method === undefined ? {} : { method }),
  ...(kind === "rateLimit" ? { retryAfterSeconds: 1 } : {}),
  ...(kind === "latency" ? { latencyMs: 300 } : {}),
  ...(kind === "timeout" ? { holdMs: 1_500 } : {}),
})

type Caller = Awaited<ReturnType<Harness["caller"]>>

interface Vendor {
  readonly handle: EmulatorHandle<unknown>
  readonly manifest: VendorManifest
  readonly connection: ConnectionId
  /** Open work items of this vendor at the start: edits on both sides aim at them. */
  readonly items: ReadonlyArray<{ readonly taskId: string; readonly recordId: string }>
}

export interface Stack {
  readonly harness: Harness
  readonly api: Caller
  readonly vendors: ReadonlyArray<Vendor>
  readonly close: () => Promise<void>
}

/** The first field the vendor lets us write, among those whose values the model can make up. */
const writableField = (manifest: VendorManifest) =>
  (["title", "description", "priority", "status"] as const).find((f) => manifest.capabilities.fields[f] === "writable")

const statuses = ["open", "in_progress", "waiting"] as const

/** Every emulator, the API on `backend`, the demo organization backfilled. */
export const startStack = async (backend: Backend, seed: number): Promise<Stack> => {
  const handles: Array<EmulatorHandle<unknown>> = []
  for (const emulator of emulators) {
    handles.push(await emulator.start({ port: 0, seed, size: 60, rateLimit: false, requestLogCapacity: 200_000 }))
  }
  const harness = await startHarness(backend)
  const server: ApiServer = await listen(harness.runtime, { port: 0 })
  const folder = mkdtempSync(join(tmpdir(), "taskbridge-model-"))
  const demo = await harness.runtime.runPromise(
    ensureDemo({ sandbox: handles.map((h) => h.url), apiUrl: server.url, tokenFile: join(folder, "token") }),
  )
  const api = await harness.caller(demo.token)
  await eventually(
    "every backfill",
    async () => {
      const status = await api.sync.status()
      return status.length === demo.connections.length && status.every((s) => s.backfill?.state === "succeeded")
        ? true
        : undefined
    },
    { timeoutMs: 120_000 },
  )
  const vendors: Array<Vendor> = []
  for (const connection of demo.connections) {
    const handle = handles.find((h) => h.vendor === connection.vendor)
    const manifest = definitions.find((d) => d.vendor === connection.vendor)?.manifest
    if (handle === undefined || manifest === undefined) continue
    const page = await api.tasks.list({
      filter: { connections: [connection.id], statuses: ["open", "in_progress", "waiting"] },
      limit: 40,
    })
    const items = page.items.flatMap((t) => {
      const link = t.links.find((l) => l.connectionId === connection.id && l.deletedAt === null)
      return link === undefined ? [] : [{ taskId: t.id, recordId: link.recordId }]
    })
    if (items.length > 0) vendors.push({ handle, manifest, connection: connection.id, items })
  }
  return {
    harness,
    api,
    vendors,
    close: async () => {
      await server.close()
      await harness.close()
      for (const h of handles) await h.close()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

export interface Tally {
  edits: number
  refused: number
  vendorEdits: number
  faults: number
  /** Where this scenario began: the last outbox row before it, and each emulator's next request number. */
  readonly since: { readonly entry: number; readonly requests: ReadonlyMap<string, number> }
}

const allStates = ["pending", "sending", "sent", "dead", "discarded", "superseded"] as const

const entriesOf = (stack: Stack) =>
  stack.harness.runtime
    .runPromise(
      Effect.forEach(allStates, (state) =>
        OutboxRepository.use((o) => o.list(demoOrganization as OrganizationId, { state, limit: 100_000 })),
      ),
    )
    .then((lists) => lists.flat())

/** A fresh tally for a scenario that starts now. */
export const startTally = async (stack: Stack): Promise<Tally> => ({
  edits: 0,
  refused: 0,
  vendorEdits: 0,
  faults: 0,
  since: {
    entry: Math.max(0, ...(await entriesOf(stack)).map((e) => Number(e.id))),
    requests: new Map(stack.vendors.map((v) => [v.handle.vendor, v.handle.control.requests.nextSeq() - 1])),
  },
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs one command; what it did goes into `tally`. A refused edit (a rule, a stale version) is fine: it is seen. */
export const run = async (stack: Stack, command: Command, tally: Tally) => {
  const vendor = stack.vendors["vendor" in command ? command.vendor % stack.vendors.length : 0]
  if (vendor === undefined) return
  switch (command.type) {
    case "local": {
      const item = vendor.items[command.item % vendor.items.length]
      const field = writableField(vendor.manifest)
      if (item === undefined || field === undefined) return
      const task = await stack.api.tasks.get({ id: item.taskId })
      const levels = vendor.manifest.capabilities.priorityLevels
      const patch =
        field === "priority"
          ? { priority: levels[command.value % Math.max(levels.length, 1)] ?? "normal" }
          : field === "status"
            ? { status: statuses[command.value % statuses.length] ?? "open" }
            : { [field]: `Model ${field} ${command.value}` }
      try {
        await stack.api.tasks.update({ id: task.id, expectedVersion: task.version, patch })
        tally.edits += 1
      } catch (error) {
        if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") throw error
        tally.refused += 1
      }
      return
    }
    case "vendor": {
      const item = vendor.items[command.item % vendor.items.length]
      if (item === undefined) return
      const kinds = vendor.handle.control.activity.kinds.filter((k) => k !== "create" && k !== "delete")
      vendor.handle.control.activity.step(1, { id: item.recordId, kinds })
      tally.vendorEdits += 1
      return
    }
    case "fault":
      vendor.handle.control.faults.add(faultSpec(command.kind, command.count, command.method))
      tally.faults += 1
      return
    case "pull":
      await stack.api.sync.pullNow({ connectionId: vendor.connection }).catch(() => undefined)
      return
    case "wait":
      await sleep(command.ms)
  }
}

/** Nothing in flight: no change sending, no pull running, and every pending change held by an open conflict. */
const drained = async (stack: Stack, pulledSince?: number) => {
  const status = await stack.api.sync.status()
  const busy = status.some((s) => s.outbox.sending > 0 || s.lastRun?.state === "running")
  // After a pull round: every connection's latest run began after the round was asked for, and finished.
  const pulled =
    pulledSince === undefined ||
    status.every((s) => s.lastRun !== null && Date.parse(s.lastRun.startedAt) >= pulledSince)
  const pending = await stack.harness.runtime.runPromise(
    OutboxRepository.use((o) => o.list(demoOrganization as OrganizationId, { state: "pending", limit: 1000 })),
  )
  const open = await stack.api.conflicts.list({})
  // A pending change held by an open conflict on its task is settled: it waits for a person.
  const waiting = pending.filter((e) => !open.some((c) => c.taskId === e.taskId && c.connectionId === e.connectionId))
  return busy || !pulled || waiting.length > 0 ? undefined : true
}

/** What a pull round can change: every link's merge base, the queued changes and the history. */
const fingerprint = (stack: Stack) =>
  stack.harness.runtime
    .runPromise(
      SqlClient.use(
        (sql) => sql<{ f: string }>`
          SELECT (SELECT coalesce(md5(string_agg(coalesce(base_hash, '-'), ',' ORDER BY connection_id, record_id)), '')
            FROM links) || ':' || (SELECT count(*) FROM outbox) || ':' || (SELECT count(*) FROM history) AS f`,
      ),
    )
    .then((rows) => rows[0]?.f ?? "")

/**
 * Faults off; the queue drains; then rounds of one pull of every connection, each waited out with what it queued,
 * until a round changes nothing (no merge base, queued change or history entry). Pulls are asked for only between
 * rounds: a pull spends the vendor's rate budget (Kore.ai's is 60 requests a minute per account) that the pushes
 * being waited for need too.
 */
export const quiesce = async (stack: Stack) => {
  for (const v of stack.vendors) v.handle.control.faults.clear()
  const patience = { timeoutMs: 180_000, intervalMs: 1_000 }
  await eventually("the queue drained", () => drained(stack), patience)
  for (let round = 1; ; round++) {
    const before = await fingerprint(stack)
    const asked = Date.now()
    for (const v of stack.vendors) await stack.api.sync.pullNow({ connectionId: v.connection })
    await eventually(`pull round ${round} and the queue drained`, () => drained(stack, asked), patience)
    if ((await fingerprint(stack)) === before) return
    if (round >= 8) throw new Error(`the system was still changing after ${round} rounds of pulls`)
  }
}

export interface Verdict {
  readonly compared: number
  readonly entries: number
  readonly lost: number
  readonly duplicates: number
  readonly echoes: number
  readonly diverged: ReadonlyArray<string>
  /** What a reader needs when a count is not zero: which vendor and which entries. */
  readonly notes: ReadonlyArray<string>
}

const readsOnly = /token|oauth|auth|getTasks|getCases|subscriptions|webhooks/i

/** Which parts of a stale merge base differ from the record read afresh: names only (never values), for the note. */
const staleKeys = (base: VendorRecord | null, current: VendorRecord): string => {
  if (base === null) return "no base"
  const a = base as unknown as Record<string, unknown>
  const b = current as unknown as Record<string, unknown>
  const differ = (x: unknown, y: unknown) => JSON.stringify(x) !== JSON.stringify(y)
  const keys = Object.keys({ ...a, ...b }).filter((k) => k !== "snapshot" && differ(a[k], b[k]))
  const fa = base.snapshot.fields as unknown as Record<string, unknown>
  const fb = current.snapshot.fields as unknown as Record<string, unknown>
  const fields = Object.keys({ ...fa, ...fb }).filter((k) => differ(fa[k], fb[k]))
  const sa = base.snapshot as unknown as Record<string, unknown>
  const sb = current.snapshot as unknown as Record<string, unknown>
  const snap = Object.keys({ ...sa, ...sb }).filter((k) => k !== "fields" && differ(sa[k], sb[k]))
  return (
    [...keys, ...snap.map((k) => `snapshot.${k}`), ...fields.map((k) => `fields.${k}`)].join(", ") || "same content"
  )
}

/** What happened to a diverged task, oldest first: its history and its queued changes (test data, no secrets). */
const story = async (stack: Stack, taskId: string, entries: ReadonlyArray<OutboxEntry>) => {
  const org = demoOrganization as OrganizationId
  const history = await stack.harness.runtime.runPromise(HistoryRepository.use((h) => h.list(org, taskId as TaskId)))
  const lines = history.map(
    (h) =>
      `${DateTime.formatIso(h.at)} ${h.origin}: ${h.changes.map((c) => `${c.field} ${JSON.stringify(c.before)}→${JSON.stringify(c.after)}`).join(", ")}`,
  )
  const queued = entries
    .filter((e) => e.taskId === taskId)
    .map((e) => `outbox ${e.id} ${e.state} ${JSON.stringify(e.payload)} attempts ${e.attempts} ${e.lastError ?? ""}`)
  return [`task ${taskId}:`, ...lines, ...queued].join("\n  ")
}

/** The claim, checked against the database and every emulator's request log. */
export const verify = async (stack: Stack, tally: Tally): Promise<Verdict> => {
  const org = demoOrganization as OrganizationId
  const runtime = stack.harness.runtime
  // This scenario's changes only: the stack is shared by every scenario of a run.
  const entries = (await entriesOf(stack)).filter((e) => Number(e.id) > tally.since.entry)
  const open = await runtime.runPromise(ConflictRepository.use((c) => c.open(org)))
  const diverged: Array<string> = []
  // Lost: a change neither written, nor superseded, nor refused with a reason, nor held by a conflict.
  const lost = entries.filter(
    (e) =>
      (e.state === "pending" || e.state === "sending") &&
      !open.some((c) => c.taskId === e.taskId && c.connectionId === e.connectionId),
  ).length
  const reasonless = entries.filter((e) => (e.state === "dead" || e.state === "discarded") && !e.lastError)
  for (const e of reasonless) diverged.push(`outbox ${e.id} ${e.state} without a reason`)
  const notes: Array<string> = []
  let compared = 0
  let duplicates = 0
  // An echo is a change queued that no accepted edit asked for (the engine writing back what it pulled): each edit
  // queues at most one change here (every item links one vendor), so there can be no more live changes than edits.
  // (A change superseded by a newer one at the same record never leaves.)
  const echoes = Math.max(0, entries.filter((e) => e.state !== "superseded").length - tally.edits)
  for (const vendor of stack.vendors) {
    const adapter = await runtime.runPromise(VendorAdapters.use((a) => a.forConnection(vendor.connection)))
    const links = await runtime.runPromise(
      LinkRepository.use((l) =>
        l.findMany(
          vendor.connection,
          vendor.items.map((i) => VendorRecordId.make(i.recordId)),
        ),
      ),
    )
    for (const item of vendor.items) {
      const link = links.get(VendorRecordId.make(item.recordId))
      if (link === undefined || link.deletedAt !== null) continue
      const held = open.some((c) => c.taskId === item.taskId && c.connectionId === vendor.connection)
      const failed = entries.some((e) => e.taskId === item.taskId && e.state === "dead")
      if (held || failed) continue
      // The vendor's record now, read afresh, is what the engine last synced (its merge base).
      const current = await runtime.runPromise(
        adapter.get({ id: VendorRecordId.make(item.recordId), parent: link.parent }),
      )
      compared += 1
      const fresh = encoded(current)
      if (link.hash !== fresh.hash)
        diverged.push(`${vendor.handle.vendor} ${item.recordId}: base is stale (${staleKeys(link.base, current)})`)
      const task = await stack.api.tasks.get({ id: item.taskId })
      for (const field of ["title", "description", "priority", "status"] as const) {
        if (vendor.manifest.capabilities.fields[field] === "unsupported") continue
        const local = JSON.stringify(task[field])
        const remote = JSON.stringify(current.snapshot.fields[field])
        if (local !== remote) diverged.push(`${vendor.handle.vendor} ${item.recordId} ${field}: ${local} ≠ ${remote}`)
      }
      if (diverged.some((d) => d.includes(item.recordId))) notes.push(await story(stack, item.taskId, entries))
    }
    // Every change the vendor accepted is one we sent, once: accepted writes equal sent outbox rows.
    const writes = vendor.handle.control.requests
      .list({ since: tally.since.requests.get(vendor.handle.vendor) ?? 0 })
      .filter((r) => r.method !== "GET" && !readsOnly.test(r.path) && r.status !== null && r.status < 300)
    const sent = entries.filter((e) => e.connectionId === vendor.connection && e.state === "sent").length
    // A change whose last attempt's answer was lost (unreadable, cut off, timed out) and that then left the queue
    // unsent — superseded by a newer edit of the record, say — may have landed once: that write is its own, not a
    // duplicate. Anything beyond one per such change is.
    const uncertain = entries.filter(
      (e) =>
        e.connectionId === vendor.connection &&
        e.state !== "sent" &&
        e.attempts > 0 &&
        /could not be read|before a whole answer|timed out/.test(e.lastError ?? ""),
    ).length
    if (writes.length !== sent) {
      duplicates += Math.max(0, writes.length - sent - uncertain)
      notes.push(
        `${vendor.handle.vendor}: ${writes.length} writes accepted (${writes.map((w) => `${w.method} ${w.path} ${w.status}${w.fault ? ` ${w.fault}` : ""}`).join(", ")}), ${sent} sent; entries ${entries
          .filter((e) => e.connectionId === vendor.connection)
          .map((e) => `${e.id}:${e.state}:${e.attempts}:${e.lastError ?? ""}`)
          .join(" | ")}`,
      )
      // Per record written more than once: each write's body and the record's changes, oldest first.
      const mine = entries.filter((e) => e.connectionId === vendor.connection)
      const twice = [...new Set(writes.map((w) => w.path))].filter((p) => writes.filter((w) => w.path === p).length > 1)
      for (const path of twice) {
        const record = mine.find((e) => e.recordId !== null && path.includes(e.recordId))?.recordId ?? path
        notes.push(
          `  ${record}: writes ${writes
            .filter((w) => w.path === path)
            .map((w) => `#${w.seq} ${w.status}${w.fault ? ` ${w.fault}` : ""} ${JSON.stringify(w.body)}`)
            .join("; ")}; changes ${mine
            .filter((e) => e.recordId === record)
            .map((e) => `${e.id}:${e.state}:${e.attempts} ${JSON.stringify(e.payload)} ${e.lastError ?? ""}`)
            .join("; ")}`,
        )
      }
      // A retried change may be sent without a write of its own: its reconciling read found the vendor already
      // holding it (its earlier attempt landed unseen, or a vendor user made the same edit meanwhile).
      const reconciled = mine.filter((e) => e.state === "sent" && e.attempts > 1).length
      if (writes.length < sent - reconciled)
        diverged.push(`${vendor.handle.vendor}: ${sent} changes sent, ${writes.length} accepted`)
    }
  }
  return { compared, entries: entries.length, lost, duplicates, echoes, diverged, notes }
}

/** One scenario on the shared stack: its commands, then quiescence, then the verdict (tests assert on it). */
export const scenario = async (stack: Stack, list: ReadonlyArray<Command>) => {
  const tally = await startTally(stack)
  for (const command of list) await run(stack, command, tally)
  await quiesce(stack)
  return { tally, verdict: await verify(stack, tally) }
}
