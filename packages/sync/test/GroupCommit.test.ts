// Group commit: a lone item runs at once; items that come while a batch of their key runs go together in the next
// one (up to its size); each item meets its own outcome, a batch's defect reaches only that batch's items, other
// keys are not held up, and a waiter that is interrupted leaves the others' batch to finish.
import { assert, describe, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber } from "effect"
import * as GroupCommit from "../src/GroupCommit.ts"

/** A group whose batches wait on `gate` (when given) and record what they held, answering each item doubled. */
const recording = (options: { readonly maxBatch: number; readonly gate?: Deferred.Deferred<void> }) =>
  Effect.gen(function* () {
    const batches: Array<ReadonlyArray<string>> = []
    const group = yield* GroupCommit.make(
      (key: string, items: ReadonlyArray<number>) =>
        Effect.gen(function* () {
          batches.push(items.map((item) => `${key}${item}`))
          if (options.gate !== undefined && batches.length === 1) yield* Deferred.await(options.gate)
          return items.map((item) => (item < 0 ? Exit.fail(`refused ${item}`) : Exit.succeed(item * 2)))
        }),
      { maxBatch: options.maxBatch },
    )
    return { group, batches }
  })

describe("GroupCommit", () => {
  it.effect("runs a lone item at once, and the items that came meanwhile together", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const { group, batches } = yield* recording({ maxBatch: 2, gate })
      const first = yield* Effect.forkChild(group.submit("a", 1))
      yield* Effect.yieldNow
      assert.deepStrictEqual(batches, [["a1"]], "nothing waits for company")
      const later = yield* Effect.forkChild(
        Effect.all([group.submit("a", 2), group.submit("a", 3), group.submit("a", -4)], { concurrency: "unbounded" }),
      )
      yield* Effect.yieldNow
      // Another key runs while a's first batch is held.
      assert.strictEqual(yield* group.submit("b", 5), 10)
      yield* Deferred.succeed(gate, undefined)
      assert.strictEqual(yield* Fiber.join(first), 2)
      const exit = yield* Effect.exit(Fiber.join(later))
      assert.deepStrictEqual(batches, [["a1"], ["b5"], ["a2", "a3"], ["a-4"]])
      assert.isTrue(Exit.isFailure(exit) && String(Cause.squash(exit.cause)).includes("refused -4"))
      // Each waiter gets its own outcome: the ones beside the refused item were answered.
      assert.deepStrictEqual(yield* Effect.all([group.submit("a", 2), group.submit("a", 3)]), [4, 6])
    }),
  )

  it.effect("gives a batch's defect to each of its items, and goes on with the next batch", () =>
    Effect.gen(function* () {
      let calls = 0
      const group = yield* GroupCommit.make(
        (_key: string, items: ReadonlyArray<number>) =>
          Effect.suspend(() => {
            calls++
            return calls === 1 ? Effect.die(new Error("the store went away")) : Effect.succeed(items.map(Exit.succeed))
          }),
        { maxBatch: 10 },
      )
      const failed = yield* Effect.exit(group.submit("a", 1))
      assert.isTrue(Exit.isFailure(failed) && Cause.hasDies(failed.cause))
      assert.strictEqual(yield* group.submit("a", 7), 7)
    }),
  )

  it.effect("finishes a batch for the others when one of its waiters is interrupted", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const { group, batches } = yield* recording({ maxBatch: 10, gate })
      const first = yield* Effect.forkChild(group.submit("a", 1))
      yield* Effect.yieldNow
      const leaving = yield* Effect.forkChild(group.submit("a", 2))
      const staying = yield* Effect.forkChild(group.submit("a", 3))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(leaving)
      yield* Deferred.succeed(gate, undefined)
      assert.strictEqual(yield* Fiber.join(first), 2)
      assert.strictEqual(yield* Fiber.join(staying), 6)
      // The interrupted waiter's item was already queued: it is stored with the others, only nobody hears of it.
      assert.deepStrictEqual(batches, [["a1"], ["a2", "a3"]])
    }),
  )
})
