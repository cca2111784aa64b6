// The Vambe adapter against its emulator over real HTTP, beyond the shared contract: a large organization listed in
// bounded windows (bisected by count and by body size, the narrower width remembered), the status configuration
// learned and kept in the connection's memory, the three priority spellings giving one version, a read that finds a
// task whose due moved, and a listing that writes nothing back as a change.
import { assert, describe, it } from "@effect/vitest"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import type { ChangePage } from "@taskbridge/domain/ports/VendorAdapter"
import { startVambe } from "@taskbridge/sandbox/vambe/Emulator"
import { Effect, Layer, Redacted, Stream } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { make, planKey } from "../src/Adapter.ts"
import type { VambeConfig } from "../src/Config.ts"
import { org, taskIn, tasksOf, type Vambe } from "./support.ts"

const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)

const withVambe = <A>(
  options: Parameters<typeof startVambe>[0],
  body: (v: Vambe) => Effect.Effect<A, unknown, HttpClient.HttpClient | RateBudgets>,
) =>
  Effect.acquireUseRelease(
    Effect.promise(() => startVambe({ port: 0, seed: 3, ...options })),
    body,
    (v) => Effect.promise(() => v.close()),
  ).pipe(Effect.provide(env), Effect.orDie)

const configFor = (v: Vambe, extra: Partial<VambeConfig> = {}): VambeConfig => ({
  baseUrl: v.url,
  apiKey: Redacted.make(org(v).apiKey),
  ...extra,
})

const ids = (pages: ReadonlyArray<ChangePage>) => pages.flatMap((p) => p.records.map((r) => r.id as string))
const listings = (v: Vambe, since: number) =>
  v.control.requests
    .list({ since: since - 1 })
    .filter((r) => r.method === "GET" && r.path.startsWith("/api/public/tasks"))

describe("a large Vambe organization", () => {
  it.live("is listed in windows of at most maxTasks dated tasks, each task once, and the windows are remembered", () =>
    withVambe({ size: 9000, shares: [10, 1, 1] }, (v) =>
      Effect.gen(function* () {
        const memory = inMemory()
        const connection = { connectionId: ConnectionId.make("large"), memory }
        const adapter = yield* make(configFor(v, { maxTasksPerWindow: 120 }), connection)
        const first = v.control.requests.nextSeq()
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        const listed = ids(pages)
        assert.strictEqual(new Set(listed).size, listed.length, "no task twice")
        assert.deepStrictEqual(new Set(listed), new Set(tasksOf(v).map((t) => t.id)))
        const undated = tasksOf(v).filter((t) => t.dueAt === null).length
        const dated = pages.filter((p) => p.records.some((r) => r.snapshot.fields.due._tag !== "None"))
        assert.isTrue(
          dated.every((p) => p.records.length <= 120),
          "every dated window answered at most 120 tasks",
        )
        assert.isTrue(
          pages.some((p) => p.records.length === undated),
          "the undated tasks came in one listing",
        )
        const plan = memory.current().facts[planKey]
        assert.isTrue(Array.isArray(plan) && plan.length > 0, "the listing's windows are remembered")
        const firstCalls = listings(v, first).length

        // A second pull starts from the remembered windows: no bisection, sparse ranges merged, so fewer calls.
        const again = yield* make(configFor(v, { maxTasksPerWindow: 120 }), {
          connectionId: connection.connectionId,
          memory: inMemory(memory.current()),
        })
        const second = v.control.requests.nextSeq()
        const repeat = yield* Stream.runCollect(again.listChanges(null))
        assert.deepStrictEqual(new Set(ids(repeat)), new Set(listed))
        assert.isBelow(listings(v, second).length, firstCalls)
        assert.isTrue(repeat.at(-1)?.sweep?.complete === true)
        assert.strictEqual(new Set(repeat.map((p) => p.sweep?.generation)).size, 1, "one sweep generation")
      }),
    ),
  )

  it.live("bisects a window whose answer is larger than the body cap, whatever its count", () =>
    withVambe({ size: 3000, shares: [10, 1, 1] }, (v) =>
      Effect.gen(function* () {
        // 180-day windows of ~2,200 tasks are far over 250 kB; the ~300 undated tasks (one listing) are under it.
        const config = { windowDays: 180, maxTasksPerWindow: 10_000, maxBodyBytes: 250_000 }
        const adapter = yield* make(configFor(v, config))
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        assert.deepStrictEqual(new Set(ids(pages)), new Set(tasksOf(v).map((t) => t.id)))
        assert.isTrue(
          pages.some((p) => p.records.length === 0 && p.sweep?.complete === false),
          "some window was bisected",
        )
      }),
    ),
  )
})

describe("Vambe status configuration", () => {
  it.live("is learned from listed tasks, kept in the connection's memory and read back without a request", () =>
    withVambe({ size: 200 }, (v) =>
      Effect.gen(function* () {
        const memory = inMemory()
        const adapter = yield* make(configFor(v), { connectionId: ConnectionId.make("s"), memory })
        yield* Stream.runDrain(adapter.listChanges(null))
        const scheme = memory.current().statusScheme
        const expected = org(v).statuses
        assert.deepStrictEqual(
          scheme?.statuses.map((s) => [s.name, s.position, s.vendorId, s.terminal]),
          expected.map((s) => [s.name, s.order, s.id, s.type === "done" || s.type === "master_done"]),
        )
        const rebuilt = yield* make(configFor(v), {
          connectionId: ConnectionId.make("s"),
          memory: inMemory(memory.current()),
        })
        const seq = v.control.requests.nextSeq()
        const known = yield* rebuilt.statusScheme
        assert.strictEqual(known.statuses.length, expected.length)
        assert.strictEqual(v.control.requests.list({ since: seq - 1 }).length, 0, "no request to know the scheme")
      }),
    ),
  )

  it.live("learns it from today's listing when asked before any pull", () =>
    withVambe({ size: 200 }, (v) =>
      Effect.gen(function* () {
        const adapter = yield* make(configFor(v))
        const scheme = yield* adapter.statusScheme
        assert.isTrue(scheme.statuses.length > 0)
        assert.strictEqual(scheme.addressing, "name-or-position")
      }),
    ),
  )
})

describe("Vambe reads and versions", () => {
  it.live("gives one version whichever of the three priority spellings the listing uses", () =>
    Effect.gen(function* () {
      const versions = yield* Effect.forEach(["integer", "string", "word"] as const, (priorityForm) =>
        withVambe({ size: 60, priorityForm }, (v) =>
          Effect.gen(function* () {
            const adapter = yield* make(configFor(v))
            const pages = yield* Stream.runCollect(adapter.listChanges(null))
            return pages
              .flatMap((p) => p.records.map((r) => `${r.id}@${r.version}@${r.snapshot.fields.priority}`))
              .sort()
          }),
        ),
      )
      assert.deepStrictEqual(versions[1], versions[0])
      assert.deepStrictEqual(versions[2], versions[0])
    }),
  )

  it.live("finds a task whose due moved at Vambe since it was listed, by scanning the windows", () =>
    withVambe({ size: 200 }, (v) =>
      Effect.gen(function* () {
        const adapter = yield* make(configFor(v))
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        const task = taskIn(v, ["initial", "in_progress"])
        const listed = pages.flatMap((p) => p.records).find((r) => r.id === task.id)
        v.control.activity.step(1, { kinds: ["due"], id: task.id })
        const seq = v.control.requests.nextSeq()
        const found = yield* adapter.get({ id: VendorRecordId.make(task.id), parent: listed?.parent ?? null })
        assert.notStrictEqual(found.parent, listed?.parent, "the locator moved with the due")
        assert.notStrictEqual(found.version, listed?.version)
        assert.isAbove(v.control.requests.list({ since: seq - 1 }).length, 1, "the locator's window missed it")
      }),
    ),
  )

  it.live("answers an update with the same version a later listing shows (so the pull sees no change)", () =>
    withVambe({ size: 120 }, (v) =>
      Effect.gen(function* () {
        const adapter = yield* make(configFor(v))
        const task = taskIn(v, ["initial"])
        const answer = yield* adapter.update(
          { id: VendorRecordId.make(task.id), parent: null },
          { fields: { priority: "high", description: "Prefiere WhatsApp" } },
        )
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        const listed = pages.flatMap((p) => p.records).find((r) => r.id === task.id)
        assert.strictEqual(listed?.version, answer.version)
        const seq = v.control.requests.nextSeq()
        const puts = v.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "PUT")
        assert.deepStrictEqual(puts, [])
      }),
    ),
  )
})
