// The keyed lock: one section of a key at a time, in the order asked; other keys run meanwhile; and no key is kept
// once nothing holds or waits for it, even when a waiter is interrupted before its turn.
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import * as KeyedLock from "../src/KeyedLock.ts"

describe("KeyedLock", () => {
  it.effect("runs one section of a key at a time, in order, and another key's beside it", () =>
    Effect.gen(function* () {
      const lock = yield* KeyedLock.make
      const gate = yield* Deferred.make<void>()
      const order: Array<string> = []
      const first = yield* Effect.forkChild(
        lock.withLock("a")(
          Effect.andThen(
            Deferred.await(gate),
            Effect.sync(() => order.push("a1")),
          ),
        ),
      )
      yield* Effect.yieldNow
      const second = yield* Effect.forkChild(lock.withLock("a")(Effect.sync(() => order.push("a2"))))
      yield* Effect.yieldNow
      // Key b is not held up by a's holder.
      yield* lock.withLock("b")(Effect.sync(() => order.push("b")))
      assert.deepStrictEqual(order, ["b"])
      assert.strictEqual(yield* lock.size, 1)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      assert.deepStrictEqual(order, ["b", "a1", "a2"])
      assert.strictEqual(yield* lock.size, 0)
    }),
  )

  it.effect("forgets a key after thousands of sections and after a waiter is interrupted", () =>
    Effect.gen(function* () {
      const lock = yield* KeyedLock.make
      yield* Effect.forEach(
        Array.from({ length: 5000 }, (_, i) => `task-${i}`),
        (key) => lock.withLock(key)(Effect.void),
        {
          concurrency: 64,
        },
      )
      assert.strictEqual(yield* lock.size, 0)
      const gate = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(lock.withLock("k")(Deferred.await(gate)))
      yield* Effect.yieldNow
      const waiter = yield* Effect.forkChild(lock.withLock("k")(Effect.void))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(waiter)
      assert.strictEqual(yield* lock.size, 1)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(holder)
      assert.strictEqual(yield* lock.size, 0)
    }),
  )

  it.effect("releases the key when the section fails", () =>
    Effect.gen(function* () {
      const lock = yield* KeyedLock.make
      const failed = yield* Effect.flip(lock.withLock("k")(Effect.fail("boom")))
      assert.strictEqual(failed, "boom")
      assert.strictEqual(yield* lock.size, 0)
      yield* lock.withLock("k")(Effect.void)
    }),
  )
})
