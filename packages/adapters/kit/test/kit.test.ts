// The shared adapter runtime under the TestClock: rate budgets wait for the window, tokens are minted once and
// refreshed once, retries follow the error's own retryability and Retry-After, statuses map to reasons.
import { assert, describe, it } from "@effect/vitest"
import { RateLimited, SyncError, Transient, Validation } from "@taskbridge/domain/Errors"
import { Duration, Effect, Exit, Fiber, Redacted, Ref } from "effect"
import { TestClock } from "effect/testing"
import { parseRetryAfter, reasonForStatus } from "../src/Errors.ts"
import { parseBody } from "../src/Http.ts"
import { makeLimiter, RateBudgets } from "../src/RateBudget.ts"
import { vendorRetry } from "../src/Retry.ts"
import { makeTokenCache } from "../src/TokenCache.ts"

describe("rate budget", () => {
  it.effect("lets `requests` calls through per window and makes the next one wait for the oldest to age out", () =>
    Effect.gen(function* () {
      const limiter = yield* makeLimiter({ requests: 3, perMillis: 1000, scope: "ip" })
      yield* Effect.all([limiter.take, limiter.take, limiter.take])
      const fourth = yield* Effect.forkChild(limiter.take)
      yield* TestClock.adjust(999)
      assert.isUndefined(fourth.pollUnsafe())
      yield* TestClock.adjust(1)
      yield* Fiber.join(fourth)
    }),
  )

  it.effect("shares one limiter between connections with the same budget key", () =>
    Effect.gen(function* () {
      const budgets = yield* RateBudgets
      const a = yield* budgets.limiter("candid:10.0.0.1", { requests: 1, perMillis: 1000, scope: "ip" })
      const b = yield* budgets.limiter("candid:10.0.0.1", { requests: 1, perMillis: 1000, scope: "ip" })
      const other = yield* budgets.limiter("candid:10.0.0.2", { requests: 1, perMillis: 1000, scope: "ip" })
      assert.strictEqual(a, b)
      assert.notStrictEqual(a, other)
    }).pipe(Effect.provide(RateBudgets.layer)),
  )
})

const counterMint = (mints: Ref.Ref<number>, expiresInMillis: number) =>
  Ref.updateAndGet(mints, (n) => n + 1).pipe(
    Effect.delay("10 millis"),
    Effect.map((n) => ({ token: Redacted.make(`token-${n}`), expiresInMillis })),
  )

describe("token cache", () => {
  it.effect("coalesces concurrent first requests into one mint", () =>
    Effect.gen(function* () {
      const mints = yield* Ref.make(0)
      const cache = yield* makeTokenCache(counterMint(mints, 3_600_000), { refreshBeforeMillis: 120_000 })
      const fiber = yield* Effect.forkChild(Effect.all([cache.get, cache.get, cache.get], { concurrency: "unbounded" }))
      yield* TestClock.adjust(10)
      const tokens = yield* Fiber.join(fiber)
      assert.deepStrictEqual(tokens.map(Redacted.value), ["token-1", "token-1", "token-1"])
      assert.strictEqual(yield* Ref.get(mints), 1)
    }),
  )

  it.effect("refreshes only once the token is within the refresh margin of expiry", () =>
    Effect.gen(function* () {
      const mints = yield* Ref.make(0)
      const cache = yield* makeTokenCache(counterMint(mints, 600_000), { refreshBeforeMillis: 120_000 })
      const first = yield* Effect.forkChild(cache.get)
      yield* TestClock.adjust(10)
      yield* Fiber.join(first)
      yield* TestClock.adjust(479_000)
      assert.strictEqual(Redacted.value(yield* cache.get), "token-1")
      yield* TestClock.adjust(1_000)
      const refreshed = yield* Effect.forkChild(cache.get)
      yield* TestClock.adjust(10)
      assert.strictEqual(Redacted.value(yield* Fiber.join(refreshed)), "token-2")
    }),
  )

  it.effect("after a 401, drops the rejected token once even when several callers report it", () =>
    Effect.gen(function* () {
      const mints = yield* Ref.make(0)
      const cache = yield* makeTokenCache(counterMint(mints, 3_600_000), { refreshBeforeMillis: 120_000 })
      const first = yield* Effect.forkChild(cache.get)
      yield* TestClock.adjust(10)
      const rejected = yield* Fiber.join(first)
      yield* cache.invalidate(rejected)
      const second = yield* Effect.forkChild(cache.get)
      yield* TestClock.adjust(10)
      yield* Fiber.join(second)
      yield* cache.invalidate(rejected) // a late report about the old token must not drop the new one
      assert.strictEqual(Redacted.value(yield* cache.get), "token-2")
      assert.strictEqual(yield* Ref.get(mints), 2)
    }),
  )
})

const failing = (errors: Array<SyncError>, attempts: Ref.Ref<number>) =>
  Ref.getAndUpdate(attempts, (n) => n + 1).pipe(
    Effect.flatMap((n) => {
      const error = errors[n]
      return error === undefined ? Effect.succeed("landed") : Effect.fail(error)
    }),
  )

const syncError = (reason: SyncError["reason"]) => new SyncError({ vendor: "candid", operation: "update", reason })

describe("vendor retry", () => {
  it.effect("waits exactly the vendor's Retry-After before retrying a 429", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const limited = syncError(new RateLimited({ retryAfter: Duration.seconds(7) }))
      const fiber = yield* Effect.forkChild(failing([limited], attempts).pipe(Effect.retry(vendorRetry())))
      yield* TestClock.adjust(6_999)
      assert.strictEqual(yield* Ref.get(attempts), 1)
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* Fiber.join(fiber), "landed")
      assert.strictEqual(yield* Ref.get(attempts), 2)
    }),
  )

  it.effect("retries transient failures with backoff until they land", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const flaky = syncError(new Transient({ detail: "HTTP 503" }))
      const fiber = yield* Effect.forkChild(failing([flaky, flaky], attempts).pipe(Effect.retry(vendorRetry())))
      yield* TestClock.adjust(60_000)
      assert.strictEqual(yield* Fiber.join(fiber), "landed")
      assert.strictEqual(yield* Ref.get(attempts), 3)
    }),
  )

  it.effect("never retries a non-retryable failure", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const invalid = syncError(new Validation({ field: "status", detail: "bad" }))
      const exit = yield* Effect.exit(failing([invalid], attempts).pipe(Effect.retry(vendorRetry())))
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(yield* Ref.get(attempts), 1)
    }),
  )
})

describe("HTTP status mapping", () => {
  it("reads Retry-After as seconds or as an HTTP date, and ignores garbage", () => {
    const now = Date.parse("2026-11-22T10:00:00Z")
    assert.deepStrictEqual(parseRetryAfter("7", now), Duration.seconds(7))
    assert.deepStrictEqual(parseRetryAfter("Sun, 22 Nov 2026 10:00:30 GMT", now), Duration.millis(30_000))
    assert.isUndefined(parseRetryAfter("soon", now))
    assert.isUndefined(parseRetryAfter(null, now))
  })

  it.each([
    [429, "RateLimited"],
    [408, "Transient"],
    [500, "Transient"],
    [503, "Transient"],
    [401, "Unauthorized"],
    [403, "Unauthorized"],
    [404, "NotFound"],
    [409, "Conflict"],
    [400, "Validation"],
    [422, "Validation"],
    [501, "InvalidResponse"],
  ])("maps HTTP %i to %s when the manifest retries 408, 429 and 500–504", (status, tag) => {
    assert.strictEqual(reasonForStatus(status, "detail", [408, 429, 500, 502, 503, 504])._tag, tag)
  })

  it("retries only what the manifest lists: a 503 is permanent for a vendor that does not list it", () => {
    assert.strictEqual(reasonForStatus(503, "detail", [429])._tag, "InvalidResponse")
    assert.strictEqual(reasonForStatus(425, "detail", [425])._tag, "Transient")
  })
})

describe("HTTP body", () => {
  it("reads JSON when it parses, the raw text when it does not, and null when empty", () => {
    assert.deepStrictEqual(parseBody('{"errorName":"X"}'), { errorName: "X" })
    assert.strictEqual(parseBody("<html>Bad gateway</html>"), "<html>Bad gateway</html>")
    assert.isNull(parseBody("  "))
  })
})
