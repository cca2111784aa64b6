// A backlog of local edits to Kore.ai drains through the engine at the account's full rate and never meets a 429:
// two connections of one account on one API (and, on PostgreSQL, a second process spending the same account's
// budget at the same time through its own pool) share one budget, and the push's look before writing is a shared
// pull, so the edits cost one updateTask each and only a few getTasks. The emulator's limit and the connections'
// budget are scaled down (20 per second; the adapter's window longer, as its documented 61 s is for Kore.ai's 60)
// so the backlog drains in seconds; windows are measured on the emulator's clock, from its request log.
import { define } from "@taskbridge/adapter-kit/Definition"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { make } from "@taskbridge/adapter-koreai/Adapter"
import { Credentials, type KoreaiConfig, Options } from "@taskbridge/adapter-koreai/Config"
import { definition as koreaiDefinition } from "@taskbridge/adapter-koreai/Definition"
import * as Database from "@taskbridge/db/Database"
import * as RateBudgetRepository from "@taskbridge/db/RateBudgetRepository"
import { backends } from "@taskbridge/db/testing/Backends"
import { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import { startKoreai } from "@taskbridge/sandbox/koreai/Emulator"
import * as SharedRateBudgets from "@taskbridge/sync/SharedRateBudgets"
import { definitions } from "@taskbridge/vendors/Definitions"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, startHarness } from "../support/harness.ts"

type Koreai = Awaited<ReturnType<typeof startKoreai>>

const limit = { limit: 20, windowMs: 1_000 }
const rateBudget = { requests: 20, perMillis: 1_300 }
const rounds = 3

/** Kore.ai's definition with the scaled budget; everything else (manifest, schemas, demo) is the real one. */
const tuned = define({
  manifest: koreaiDefinition.manifest,
  credentials: Credentials,
  options: Options,
  secretFields: koreaiDefinition.secretFields,
  make: ({ connectionId, baseUrl, credentials, options, memory }) =>
    make(
      {
        baseUrl,
        clientId: credentials.clientId,
        clientSecret: Redacted.make(credentials.clientSecret),
        accountId: credentials.accountId,
        streamId: options.streamId,
        rateBudget,
      },
      { connectionId, memory },
    ),
  demo: koreaiDefinition.demo,
})
const tunedDefinitions = definitions.map((d) => (d.vendor === "koreai" ? tuned : d))

/** The most requests the emulator accepted in any window of its limit, by its clock. */
const busiestWindow = (koreai: Koreai) => {
  const at = koreai.control.requests
    .list()
    .filter((r) => r.status !== 429)
    .map((r) => Date.parse(r.at))
    .sort((a, b) => a - b)
  return Math.max(0, ...at.map((start, i) => at.slice(i).filter((t) => t - start < limit.windowMs).length))
}

/** Another process on the same PostgreSQL: its own pool and registry, spending the same account's budget. */
const otherProcess = (koreai: Koreai, url: string, edits: number) =>
  Effect.gen(function* () {
    const org = koreai.state().store.orgs[0]
    const app = org?.apps[0]
    if (org === undefined || app === undefined) return yield* Effect.die("no account")
    const config: KoreaiConfig = {
      baseUrl: koreai.url,
      clientId: app.appId,
      clientSecret: Redacted.make(app.secret),
      accountId: org.accountId,
      streamId: org.streamId,
      rateBudget,
    }
    const adapter = yield* make(config, { connectionId: ConnectionId.make("other-process"), memory: inMemory() })
    const tasks = koreai.state().store.tasksOf(0).slice(-edits)
    yield* Effect.forEach(
      tasks,
      (task) =>
        adapter.update(
          { id: VendorRecordId.make(task._id), parent: task.refId },
          { fields: { tags: ["from-the-other-process"] } },
        ),
      { concurrency: "unbounded" },
    )
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        FetchHttpClient.layer,
        SharedRateBudgets.layer.pipe(
          Layer.provide(Layer.provideMerge(RateBudgetRepository.layer, Database.layerPostgres(Redacted.make(url)))),
        ),
      ),
    ),
    Effect.scoped,
  )

for (const backend of backends) {
  describe(`a Kore.ai backlog through the engine on ${backend.name}`, () => {
    let harness: Harness
    let koreai: Koreai
    let admin: string

    const api = () => harness.caller(admin)
    /** A local edit; when a push's answer has moved the task on meanwhile, again on its current version. */
    const edit = async (id: string, version: number, description: string): Promise<number> => {
      try {
        return (await (await api()).tasks.update({ id, expectedVersion: version, patch: { description } })).version
      } catch (error) {
        const current = (await (await api()).tasks.get({ id })).version
        if (current === version) throw error
        return edit(id, current, description)
      }
    }

    beforeAll(async () => {
      koreai = await startKoreai({ port: 0, seed: 29, size: 120, rateLimit: limit })
      harness = await startHarness(backend, { definitions: tunedDefinitions })
      admin = (await harness.organization("koreai-backlog")).token
      const org = koreai.state().store.orgs[0]
      const app = org?.apps[0]
      if (org === undefined || app === undefined) throw new Error("no account")
      for (const name of ["Kore.ai intake", "Kore.ai billing"]) {
        await (await api()).connections.create({
          vendor: "koreai",
          name,
          baseUrl: koreai.url,
          credentials: { clientId: app.appId, clientSecret: app.secret, accountId: org.accountId },
          options: { streamId: org.streamId },
        })
      }
      await eventually("both backfills", async () => {
        const all = await (await api()).sync.status()
        return all.length === 2 && all.every((s) => s.backfill?.state === "succeeded") ? all : undefined
      })
    }, 120_000)

    afterAll(async () => {
      await harness?.close()
      await koreai?.close()
    })

    it("drains at the account's full rate with no 429, one updateTask per edit and few getTasks", async () => {
      const seq = koreai.control.requests.nextSeq()
      const page = await (await api()).tasks.list({ filter: { vendors: ["koreai"] }, limit: 200 })
      // Each connection links every task of the account (a task of ours per connection): each Kore.ai task is edited
      // through one of them, alternating, so both connections push and no task has two writers.
      const connections = [...new Set(page.items.map((t) => t.links[0]?.connectionId))].sort()
      const records = [...new Set(page.items.map((t) => t.links[0]?.recordId ?? ""))].sort()
      const mine = records.flatMap((recordId, i) =>
        page.items.filter(
          (t) => t.links[0]?.recordId === recordId && t.links[0]?.connectionId === connections[i % connections.length],
        ),
      )
      expect(connections).toHaveLength(2)
      let versions = new Map(mine.map((t) => [t.id, t.version]))
      for (let round = 0; round < rounds; round++) {
        const next = new Map<string, number>()
        for (const task of mine) {
          next.set(task.id, await edit(task.id, versions.get(task.id) ?? task.version, `edit ${round} of ${task.id}`))
        }
        versions = next
      }
      const url = harness.env.DATABASE_URL
      const other =
        backend.name === "postgres" && url !== undefined ? Effect.runPromise(otherProcess(koreai, url, 20)) : null
      await eventually(
        "the backlog to drain",
        async () => {
          const all = await (await api()).sync.status()
          return all.every((s) => s.outbox.pending === 0 && s.outbox.sending === 0) ? all : undefined
        },
        { timeoutMs: 120_000 },
      )
      await other
      const statuses = await (await api()).sync.status()
      expect(statuses.map((s) => s.deadLetters)).toEqual([0, 0])

      const log = koreai.control.requests.list({ since: seq - 1 })
      expect(log.filter((r) => r.status === 429)).toHaveLength(0)
      expect(busiestWindow(koreai)).toBeLessThanOrEqual(limit.limit)
      // Near the budget's rate (20 per 1.3 s is ~15 in a second), not held back by a read per push: more than half.
      expect(busiestWindow(koreai)).toBeGreaterThan(limit.limit / 2)
      const updates = log.filter((r) => r.path.includes("/updateTask/"))
      const listings = log.filter((r) => r.path.endsWith("/getTasks"))
      // Every edit is at Kore.ai; an edit queued behind another of the same task may be sent together with it.
      for (const task of mine) {
        const recordId = task.links[0]?.recordId ?? ""
        expect(koreai.state().store.task(recordId)?.desc).toBe(`edit ${rounds - 1} of ${task.id}`)
      }
      expect(updates.length).toBeGreaterThanOrEqual(mine.length)
      expect(updates.length).toBeLessThanOrEqual(mine.length * rounds + (other === null ? 0 : 20))
      // The look before writing is a shared pull, not a read per push.
      expect(listings.length).toBeLessThan(updates.length / 4)
    }, 180_000)
  })
}
