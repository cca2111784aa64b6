// Two processes drawing on one vendor budget: with the database-backed RateBudgets no rolling window holds more grants
// than the budget across both, while two in-memory registries (what separate processes had before) together overrun it.
import type { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import * as Database from "@taskbridge/db/Database"
import * as Migrations from "@taskbridge/db/Migrations"
import * as RateBudgetRepository from "@taskbridge/db/RateBudgetRepository"
import type { RateBudget } from "@taskbridge/domain/Capabilities"
import { Clock, Context, Effect, Layer, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as SharedRateBudgets from "../src/SharedRateBudgets.ts"
import { type Backend, backends, type FreshDatabase } from "./support/backends.ts"

const budget: RateBudget = { requests: 5, perMillis: 500, scope: "account" }
const takesPerProcess = 15
const key = "koreai:account-1"

/** The most grants any window of `budget.perMillis` holds; instants in microseconds. */
const busiestWindow = (instants: ReadonlyArray<number>) => {
  const sorted = [...instants].sort((a, b) => a - b)
  const width = budget.perMillis * 1000
  return Math.max(0, ...sorted.map((start, i) => sorted.slice(i).filter((at) => at - start < width).length))
}

/** Every process takes `takesPerProcess` slots at once; resolves when all of them have been granted. */
const contend = (processes: ReadonlyArray<RateBudgets["Service"]>, onGrant: Effect.Effect<void> = Effect.void) =>
  Effect.forEach(
    processes,
    (budgets) =>
      Effect.gen(function* () {
        const limiter = yield* budgets.limiter(key, budget)
        const takes = Array.from({ length: takesPerProcess }, () => Effect.andThen(limiter.take, onGrant))
        return yield* Effect.all(takes, { concurrency: "unbounded" })
      }),
    { concurrency: "unbounded" },
  )

// The database's own record of every grant: the stamp the slot was given, copied before any later take deletes it.
// Client-side instants would add each caller's latency to the stamp and could show a window that never existed.
const recordGrants = Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* Migrations.run
  yield* sql`CREATE TABLE granted (key text NOT NULL, at timestamptz NOT NULL)`
  yield* sql`
    CREATE FUNCTION record_grant() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO granted VALUES (NEW.key, NEW.granted_at);
      RETURN NEW;
    END
    $$`
  yield* sql`CREATE TRIGGER record_grant AFTER INSERT ON rate_budget_slots FOR EACH ROW EXECUTE FUNCTION record_grant()`
})

const grants = Effect.gen(function* () {
  const sql = yield* SqlClient
  const rows = yield* sql<{ at: string }>`
    SELECT (extract(epoch FROM at) * 1000000)::bigint::text AS at FROM granted WHERE key LIKE ${`${key}:%`}`
  return rows.map((row) => Number(row.at))
})

/** Builds `layer` with its own memo map, so nothing (above all no client pool) is shared with another build. */
const built = <A, E, R>(layer: Layer.Layer<A, E, R>) =>
  Effect.gen(function* () {
    return yield* Layer.buildWithMemoMap(layer, yield* Layer.makeMemoMap, yield* Scope.Scope)
  })

const sharedOn = <A, E>(client: Layer.Layer<A, E>) =>
  Effect.map(
    built(
      SharedRateBudgets.layerForDatabase.pipe(Layer.provide(Layer.provideMerge(RateBudgetRepository.layer, client))),
    ),
    Context.get(RateBudgets),
  )

/**
 * Two processes' RateBudgets on `db`. On PostgreSQL each has its own client pool, as separate processes would. PGlite
 * admits one connection, so there the two registries share this process's client (`observer`): the budget still
 * lives only in the database.
 */
const twoProcesses = (
  backend: Backend,
  db: FreshDatabase,
  observer: Context.Context<Database.Database | SqlClient | PgClient.PgClient>,
) => {
  if (backend.name === "postgres") {
    const url = Redacted.make(db.env.DATABASE_URL ?? "")
    return Effect.all([sharedOn(Database.layerPostgres(url)), sharedOn(Database.layerPostgres(url))])
  }
  // `layerForDatabase` picks the in-memory registry on PGlite; the shared one is what is under test here.
  const shared = Effect.map(
    built(
      SharedRateBudgets.layer.pipe(
        Layer.provide(RateBudgetRepository.layer),
        Layer.provide(Layer.succeedContext(observer)),
      ),
    ),
    Context.get(RateBudgets),
  )
  return Effect.all([shared, shared])
}

for (const backend of backends) {
  describe(`shared rate budgets [${backend.name}]`, () => {
    it.live(
      "keeps every rolling window within the budget across two processes, and grants every take",
      () =>
        Effect.gen(function* () {
          const db = yield* backend.fresh
          const observer = yield* built(db.layer)
          yield* Effect.provide(recordGrants, observer)
          const processes = yield* twoProcesses(backend, db, observer)
          const done = yield* contend(processes)
          assert.deepStrictEqual(
            done.map((takes) => takes.length),
            [takesPerProcess, takesPerProcess],
          )
          const instants = yield* Effect.provide(grants, observer)
          assert.lengthOf(instants, 2 * takesPerProcess)
          // At most the budget in any window, and the budget is used, not left idle.
          assert.strictEqual(busiestWindow(instants), budget.requests)
        }),
      60_000,
    )

    it.live(
      "takes the slots of a burst in a few round trips, one per caller and none to spare",
      () =>
        Effect.gen(function* () {
          const db = yield* backend.fresh
          const observer = yield* built(db.layer)
          yield* Effect.provide(recordGrants, observer)
          // The real repository, counting how often it is asked: a layer over it, not a stand-in.
          let asked = 0
          const counting = Layer.effect(
            RateBudgetRepository.RateBudgetRepository,
            Effect.map(RateBudgetRepository.make, (real) => ({
              ...real,
              takeMany: (k: string, w: RateBudgetRepository.Window, want: number) =>
                Effect.andThen(
                  Effect.sync(() => {
                    asked += 1
                  }),
                  real.takeMany(k, w, want),
                ),
            })),
          )
          const budgets = Context.get(
            yield* built(
              SharedRateBudgets.layer.pipe(Layer.provide(counting), Layer.provide(Layer.succeedContext(observer))),
            ),
            RateBudgets,
          )
          const roomy: RateBudget = { requests: 1_000, perMillis: 10_000, scope: "account" }
          const limiter = yield* budgets.limiter(key, roomy)
          yield* Effect.all(
            Array.from({ length: 100 }, () => limiter.take),
            { concurrency: "unbounded" },
          )
          assert.isAtMost(asked, 10, "a few round trips for 100 callers")
          assert.lengthOf(yield* Effect.provide(grants, observer), 100, "exactly one slot per caller")
        }),
      60_000,
    )
  })
}

describe("shared rate budgets: the database choice", () => {
  it.live("keeps PGlite's budget in memory and PostgreSQL's in the database", () =>
    Effect.gen(function* () {
      const pick = (backend: Database.Backend) =>
        Effect.map(
          built(
            SharedRateBudgets.layerForDatabase.pipe(
              Layer.provide(Layer.succeed(Database.Database, { backend })),
              // A repository that records being asked: only the shared registry ever asks it.
              Layer.provide(
                Layer.succeed(RateBudgetRepository.RateBudgetRepository, {
                  take: () => Effect.sync(() => asked.push(backend._tag)).pipe(Effect.as(0)),
                  takeMany: () => Effect.sync(() => asked.push(backend._tag)).pipe(Effect.as({ granted: 1, wait: 0 })),
                }),
              ),
            ),
          ),
          Context.get(RateBudgets),
        )
      const asked: Array<string> = []
      for (const backend of [{ _tag: "embedded", dataDir: "/unused" }, { _tag: "postgres" }] as const) {
        yield* Effect.flatMap((yield* pick(backend)).limiter(key, budget), (limiter) => limiter.take)
      }
      assert.deepStrictEqual(asked, ["postgres"])
    }),
  )
})

describe("in-memory rate budgets", () => {
  it.live("let two processes together overrun the budget: each keeps its own window", () =>
    Effect.gen(function* () {
      const processes = yield* Effect.all([built(RateBudgets.layer), built(RateBudgets.layer)]).pipe(
        Effect.map((contexts) => contexts.map(Context.get(RateBudgets))),
      )
      const instants: Array<number> = []
      const stamp = Effect.map(Clock.currentTimeMillis, (millis) => void instants.push(millis * 1000))
      yield* contend(processes, stamp)
      assert.lengthOf(instants, 2 * takesPerProcess)
      assert.isAbove(busiestWindow(instants), budget.requests)
    }),
  )
})
