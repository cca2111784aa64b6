// SyncError reasons know whether they are retryable and when; messages name the vendor and rule.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Option } from "effect"
import {
  Conflict,
  DeprecatedValue,
  InvalidResponse,
  NotFound,
  RateLimited,
  SyncError,
  type SyncErrorReason,
  Terminal,
  Transient,
  Unauthorized,
  Validation,
  VersionConflict,
} from "../src/Errors.ts"

const reasons: ReadonlyArray<[SyncErrorReason, boolean]> = [
  [new RateLimited({ retryAfter: Duration.seconds(7) }), true],
  [new Transient({ detail: "502 Bad Gateway" }), true],
  [new NotFound({ detail: "task t-1" }), false],
  [new Conflict({ detail: "changed meanwhile" }), false],
  [new Terminal({ detail: "waitlist request is closed" }), false],
  [new Validation({ field: "limit", detail: "must be > 0" }), false],
  [new Unauthorized({ detail: "token rejected after refresh" }), false],
  [new DeprecatedValue({ field: "status", value: "sent_to_provider_group" }), false],
  [new InvalidResponse({ detail: "items[0].status: expected string" }), false],
]

describe("SyncError", () => {
  it.each(reasons)("%s is retryable: %s", (reason, retryable) => {
    assert.strictEqual(new SyncError({ vendor: "candid", operation: "update", reason }).isRetryable, retryable)
  })

  it("carries the vendor's Retry-After only when rate limited", () => {
    const limited = new SyncError({
      vendor: "koreai",
      operation: "list",
      reason: new RateLimited({ retryAfter: Duration.seconds(7) }),
    })
    assert.deepStrictEqual(Option.map(limited.retryAfter, Duration.toMillis), Option.some(7000))
    const flaky = new SyncError({ vendor: "koreai", operation: "list", reason: new Transient({ detail: "reset" }) })
    assert.isTrue(Option.isNone(flaky.retryAfter))
  })

  it("says which vendor, which operation and why", () => {
    const deprecated = new SyncError({
      vendor: "candid",
      operation: "update",
      reason: new DeprecatedValue({ field: "status", value: "sent_to_provider_group" }),
    })
    assert.strictEqual(
      deprecated.message,
      "candid update failed (DeprecatedValue): status 'sent_to_provider_group' is deprecated",
    )
  })
})

describe("domain errors", () => {
  it("a stale version names both versions", () => {
    const e = new VersionConflict({ id: "task-1", expectedVersion: 3, currentVersion: 5 })
    assert.strictEqual(e.message, "version: expected 3 but task-1 is at version 5")
  })
})
