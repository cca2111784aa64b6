// Remembered token verification: requests that arrive while a token's lookup runs share that one lookup, a failed
// lookup is not remembered, and a revocation in this process (`forgetVerified`) is never undone by a lookup that was
// already running. The repository is a counting layer (a layer swap), so each test sees exactly how many lookups ran.
import { OrganizationRepository, type TokenIdentity } from "@taskbridge/db/OrganizationRepository"
import { OrganizationId } from "@taskbridge/domain/Ids"
import { Deferred, Effect, Layer, ManagedRuntime } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { type ApiContext, forgetVerified, identify } from "../src/Trpc.ts"

const identity: TokenIdentity = {
  tokenId: "t-1",
  organizationId: OrganizationId.make("org-1"),
  name: "dashboard",
  role: "viewer",
}

/** A runtime whose token lookups wait for `answer` (a fresh one per lookup) and are counted. */
const counting = (answer: () => Effect.Effect<TokenIdentity | null, Error>) => {
  const calls = { count: 0 }
  const repository = {
    verifyToken: () =>
      Effect.suspend(() => {
        calls.count += 1
        return answer()
      }),
  } as unknown as OrganizationRepository["Service"]
  const runtime = ManagedRuntime.make(Layer.succeed(OrganizationRepository, repository))
  return { calls, runtime: runtime as unknown as ApiContext["runtime"], dispose: () => runtime.dispose() }
}

// Each test names its own token, and the memory is cleared after each, so no test sees another's entries.
afterEach(() => forgetVerified())

describe("token verification", () => {
  it("shares one lookup among the requests that arrive while it runs", async () => {
    const gate = Effect.runSync(Deferred.make<void>())
    const { calls, runtime, dispose } = counting(() => Effect.as(Deferred.await(gate), identity))
    const waiting = Array.from({ length: 20 }, () => identify(runtime, "Bearer tb_shared"))
    await Effect.runPromise(Deferred.succeed(gate, undefined))
    const identities = await Promise.all(waiting)
    expect(identities).toEqual(Array.from({ length: 20 }, () => identity))
    expect(calls.count).toBe(1)
    // Still remembered just after: no second lookup.
    expect(await identify(runtime, "Bearer tb_shared")).toEqual(identity)
    expect(calls.count).toBe(1)
    await dispose()
  })

  it("does not remember a lookup that failed", async () => {
    let fail = true
    const { calls, runtime, dispose } = counting(() =>
      fail ? Effect.fail(new Error("the store is down")) : Effect.succeed(identity),
    )
    await expect(identify(runtime, "Bearer tb_flaky")).rejects.toThrow()
    fail = false
    expect(await identify(runtime, "Bearer tb_flaky")).toEqual(identity)
    expect(calls.count).toBe(2)
    await dispose()
  })

  it("looks the token up again after a revocation, even while an earlier lookup is still running", async () => {
    const gate = Effect.runSync(Deferred.make<void>())
    let revoked = false
    const { calls, runtime, dispose } = counting(() =>
      revoked ? Effect.succeed(null) : Effect.as(Deferred.await(gate), identity),
    )
    const before = identify(runtime, "Bearer tb_revoked")
    revoked = true
    forgetVerified()
    expect(await identify(runtime, "Bearer tb_revoked")).toBeNull()
    await Effect.runPromise(Deferred.succeed(gate, undefined))
    expect(await before).toEqual(identity)
    // The earlier lookup finishing does not bring the old identity back.
    expect(await identify(runtime, "Bearer tb_revoked")).toBeNull()
    expect(calls.count).toBe(2)
    await dispose()
  })
})
