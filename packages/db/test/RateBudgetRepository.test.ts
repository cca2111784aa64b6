// The shared rate budget's bookkeeping on every backend: a key grants `requests` slots per window and then names the
// wait, concurrent callers never over-grant, and slots leave the window (and the table) once it has passed.
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { RateBudgetRepository } from "../src/RateBudgetRepository.ts"
import { backends, stack } from "./backends.ts"
import { uid } from "./fixtures.ts"

const slotsOf = Effect.fn("slotsOf")(function* (key: string) {
  const sql = yield* SqlClient
  const [row] = yield* sql<{ n: number }>`SELECT count(*)::integer AS n FROM rate_budget_slots WHERE key = ${key}`
  return row?.n ?? 0
})

for (const backend of backends) {
  describe(`rate budget slots [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true, timeout: "30 seconds" })((it) => {
      it.effect("grants `requests` slots in a window, then answers a wait no longer than the window", () =>
        Effect.gen(function* () {
          const budgets = yield* RateBudgetRepository
          const key = uid("candid")
          const window = { requests: 3, perMillis: 60_000 }
          const answers = yield* Effect.forEach([1, 2, 3, 4, 5], () => budgets.take(key, window))
          assert.deepStrictEqual(answers.slice(0, 3), [0, 0, 0])
          for (const wait of answers.slice(3)) {
            assert.isAbove(wait, 0)
            assert.isAtMost(wait, window.perMillis)
          }
          // Refused takes leave nothing behind, and another key has its own window.
          assert.strictEqual(yield* slotsOf(key), 3)
          assert.strictEqual(yield* budgets.take(uid("candid"), window), 0)
        }),
      )

      it.effect("never grants more than `requests` to concurrent callers of one key", () =>
        Effect.gen(function* () {
          const budgets = yield* RateBudgetRepository
          const key = uid("koreai")
          const answers = yield* Effect.all(
            Array.from({ length: 20 }, () => budgets.take(key, { requests: 5, perMillis: 60_000 })),
            { concurrency: "unbounded" },
          )
          assert.strictEqual(answers.filter((wait) => wait === 0).length, 5)
          assert.strictEqual(yield* slotsOf(key), 5)
        }),
      )

      it.effect("frees a slot once the wait it answered has passed, and drops slots that left the window", () =>
        Effect.gen(function* () {
          const budgets = yield* RateBudgetRepository
          const key = uid("spry")
          const window = { requests: 2, perMillis: 400 }
          assert.deepStrictEqual(yield* Effect.all([budgets.take(key, window), budgets.take(key, window)]), [0, 0])
          const wait = yield* budgets.take(key, window)
          assert.isAbove(wait, 0)
          yield* Effect.sleep(wait)
          assert.strictEqual(yield* budgets.take(key, window), 0)
          // The oldest slot left the window and was deleted by that take; the second left no earlier than it.
          assert.isAtMost(yield* slotsOf(key), 2)
          yield* Effect.sleep(window.perMillis)
          assert.strictEqual(yield* budgets.take(key, window), 0)
          assert.strictEqual(yield* slotsOf(key), 1)
        }),
      )
    })
  })
}
