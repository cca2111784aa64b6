// Kore.ai's budget is per account and shared: two processes (each its own RateBudgets on its own PostgreSQL pool, as
// separate workers have) pushing one backlog through two connections of one account never meet a 429 and never have
// more requests in any window at the emulator than the account allows, while the budget is used in full; two
// in-memory registries (separate processes without the shared budget) overrun it. The emulator's limit and the
// adapter's budget are scaled down (10 per 2 s, the adapter's window longer as its documented one is) so the
// backlog drains in seconds; the mechanism is the one the documented 60 a minute runs on. Windows are measured on
// the emulator's own clock, from its request log.
import { assert, describe, it } from "@effect/vitest"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { make } from "@taskbridge/adapter-koreai/Adapter"
import * as Database from "@taskbridge/db/Database"
import * as Migrations from "@taskbridge/db/Migrations"
import * as RateBudgetRepository from "@taskbridge/db/RateBudgetRepository"
import { backends } from "@taskbridge/db/testing/Backends"
import { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import { startKoreai } from "@taskbridge/sandbox/koreai/Emulator"
import * as SharedRateBudgets from "@taskbridge/sync/SharedRateBudgets"
import { type Context, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { FetchHttpClient } from "effect/http"

const limit = { limit: 10, windowMs: 2_000 }
// The adapter's window is longer than the emulator's, as its documented one is (61 s for Kore.ai's 60): a slot is
// granted before the request travels, and on a loaded test machine arrival times jitter by far more than in use.
const budget = { requests: 10, perMillis: 2_600 }
const editsPerConnection = 25

type Koreai = Awaited<ReturnType<typeof startKoreai>>

const built = <A, E, R>(layer: Layer.Layer<A, E, R>) =>
  Effect.gen(function* () {
    return yield* Layer.buildWithMemoMap(layer, yield* Layer.makeMemoMap, yield* Scope.Scope)
  })

/** The most requests the emulator accepted in any window of its limit, by its clock. */
const busiestWindow = (koreai: Koreai) => {
  const at = koreai.control.requests
    .list()
    .filter((r) => r.status !== 429)
    .map((r) => Date.parse(r.at))
    .sort((a, b) => a - b)
  return Math.max(0, ...at.map((start, i) => at.slice(i).filter((t) => t - start < limit.windowMs).length))
}

/** One worker process: its own RateBudgets, pushing `edits` description changes through one connection. */
const worker = (koreai: Koreai, budgets: Context.Context<RateBudgets>, connection: string, offset: number) =>
  Effect.gen(function* () {
    const org = koreai.state().store.orgs[0]
    const app = org?.apps[0]
    if (org === undefined || app === undefined) return yield* Effect.die("no account")
    const adapter = yield* make(
      {
        baseUrl: koreai.url,
        clientId: app.appId,
        clientSecret: Redacted.make(app.secret),
        accountId: org.accountId,
        streamId: org.streamId,
        rateBudget: budget,
      },
      { connectionId: ConnectionId.make(connection), memory: inMemory() },
    ).pipe(Effect.provide(Layer.merge(FetchHttpClient.layer, Layer.succeedContext(budgets))))
    const tasks = koreai
      .state()
      .store.tasksOf(0)
      .slice(offset, offset + editsPerConnection)
    return yield* Effect.forEach(
      tasks,
      (task, i) =>
        Effect.exit(
          adapter.update(
            { id: VendorRecordId.make(task._id), parent: task.refId },
            { fields: { description: `edit ${i}` } },
          ),
        ),
      { concurrency: "unbounded" },
    )
  })

const both = (koreai: Koreai, processes: readonly [Context.Context<RateBudgets>, Context.Context<RateBudgets>]) =>
  Effect.all([worker(koreai, processes[0], "connection-a", 0), worker(koreai, processes[1], "connection-b", 25)], {
    concurrency: "unbounded",
  })

const withEmulator = <A, E>(body: (koreai: Koreai) => Effect.Effect<A, E, Scope.Scope>) =>
  Effect.scoped(
    Effect.flatMap(
      Effect.acquireRelease(
        Effect.promise(() => startKoreai({ port: 0, seed: 5, size: 120, rateLimit: limit })),
        (koreai) => Effect.promise(() => koreai.close()),
      ),
      body,
    ),
  )

const postgres = backends.find((b) => b.name === "postgres")

describe.skipIf(postgres === undefined)("Kore.ai's shared account budget across two processes [postgres]", () => {
  it.live(
    "drains a backlog through two connections of one account at the budget's full rate and never meets a 429",
    () =>
      withEmulator((koreai) =>
        Effect.gen(function* () {
          if (postgres === undefined) return
          const db = yield* postgres.fresh
          yield* Effect.provide(Migrations.run, yield* built(db.layer))
          const url = Redacted.make(db.env.DATABASE_URL ?? "")
          // Each process its own pool and registry: the budget lives only in the database.
          const process = () =>
            built(
              SharedRateBudgets.layer.pipe(
                Layer.provide(Layer.provideMerge(RateBudgetRepository.layer, Database.layerPostgres(url))),
              ),
            )
          const results = (yield* both(koreai, [yield* process(), yield* process()])).flat()
          assert.lengthOf(results, 2 * editsPerConnection)
          assert.isTrue(results.every(Exit.isSuccess), "every edit landed")
          const log = koreai.control.requests.list()
          assert.strictEqual(log.filter((r) => r.status === 429).length, 0, "no 429")
          assert.strictEqual(log.length, 2 * editsPerConnection, "one updateTask per edit, nothing else")
          assert.strictEqual(busiestWindow(koreai), limit.limit, "the account's budget is used in full, never more")
        }),
      ),
    120_000,
  )
})

describe("Kore.ai's account budget in one process", () => {
  it.live(
    "keeps two connections of one account within one budget (the registry is keyed by account)",
    () =>
      withEmulator((koreai) =>
        Effect.gen(function* () {
          const registry = yield* built(RateBudgets.layer)
          const results = (yield* both(koreai, [registry, registry])).flat()
          assert.isTrue(results.every(Exit.isSuccess), "every edit landed")
          assert.strictEqual(koreai.control.requests.list().filter((r) => r.status === 429).length, 0, "no 429")
          assert.strictEqual(busiestWindow(koreai), limit.limit)
        }),
      ),
    60_000,
  )
})

describe("Kore.ai's account budget without the shared registry", () => {
  it.live(
    "lets two processes with in-memory budgets together overrun the account's limit",
    () =>
      withEmulator((koreai) =>
        Effect.gen(function* () {
          const processes = [yield* built(RateBudgets.layer), yield* built(RateBudgets.layer)] as const
          const results = (yield* both(koreai, processes)).flat()
          assert.isTrue(
            results.some(Exit.isFailure),
            "some edits were refused by the account's limit (each process spent it in full)",
          )
          assert.isAbove(koreai.control.requests.list().filter((r) => r.status === 429).length, 0)
        }),
      ),
    30_000,
  )
})
