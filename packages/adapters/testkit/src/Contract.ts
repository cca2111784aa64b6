// The adapter contract suite: every adapter runs it against its own emulator over real HTTP. It checks pulls
// (full, incremental, replayed), writes (round trip, refusal before HTTP, vendor rejections), retryable
// failures (429 with Retry-After, 5xx), authentication and unknown enum values.
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { vendorRetry } from "@taskbridge/adapter-kit/Retry"
import { SyncError } from "@taskbridge/domain/Errors"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import type { VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { Cause, Duration, Effect, Exit, Layer, Option, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import type { ContractTarget, SandboxLike } from "./Target.ts"

const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)

/** The SyncError an effect failed with, or a test failure saying what happened instead. */
export const syncFailure = <A, E>(exit: Exit.Exit<A, E>): SyncError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a SyncError, but the call succeeded")
  const error = Cause.findErrorOption(exit.cause)
  if (Option.isSome(error) && error.value instanceof SyncError) return error.value
  throw new Error(`expected a SyncError, got ${Cause.pretty(exit.cause)}`)
}

/** Requests the emulator logged from `seq` on (its `since` is exclusive). */
export const requestsFrom = (sandbox: SandboxLike, seq: number) => sandbox.control.requests.list({ since: seq - 1 })

const idsOf = (pages: ReadonlyArray<{ records: ReadonlyArray<{ id: string }> }>) =>
  pages.flatMap((p) => p.records.map((r) => r.id))

export const contractSuite = <S extends SandboxLike>(target: ContractTarget<S>) =>
  describe(`${target.vendor} adapter contract`, () => {
    let sandbox: S
    beforeAll(async () => {
      sandbox = await target.start()
    })
    beforeEach(() => {
      sandbox.control.reset()
    })
    afterAll(async () => {
      await sandbox.close()
    })

    const run = (name: string, body: (adapter: VendorAdapter) => Effect.Effect<void, unknown, never>) =>
      it.live(name, () =>
        Effect.scoped(Effect.flatMap(target.adapter(sandbox), body)).pipe(Effect.provide(env), Effect.orDie),
      )
    const since = (seq: number) => requestsFrom(sandbox, seq)
    const editable = (adapter: VendorAdapter) => adapter.get(VendorRecordId.make(target.editable(sandbox)))

    run("pulls every record its credentials can see, once, from an empty checkpoint", (adapter) =>
      Effect.gen(function* () {
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        const ids = idsOf(pages)
        assert.strictEqual(new Set(ids).size, ids.length, "no record twice")
        assert.deepStrictEqual(new Set(ids), new Set(target.visibleIds(sandbox)))
        assert.strictEqual(pages.at(-1)?.progress.records, ids.length)
      }),
    )

    run("pulls exactly the records changed by vendor-side edits since the last checkpoint", (adapter) =>
      Effect.gen(function* () {
        const backfill = yield* Stream.runCollect(adapter.listChanges(null))
        const checkpoint = backfill.at(-1)?.checkpoint ?? null
        sandbox.control.clock.advance(1_000)
        const chosen = [...target.visibleIds(sandbox)].slice(0, 5)
        const edited = new Set(chosen.flatMap((id) => sandbox.control.activity.step(1, { id }).map((e) => e.id)))
        const changes = yield* Stream.runCollect(adapter.listChanges(checkpoint))
        assert.deepStrictEqual(new Set(idsOf(changes)), edited)
        const again = yield* Stream.runCollect(adapter.listChanges(changes.at(-1)?.checkpoint ?? null))
        assert.deepStrictEqual(idsOf(again), [], "nothing new after catching up")
      }),
    )

    run("answers a replayed page with the same records", (adapter) =>
      Effect.gen(function* () {
        const first = yield* Stream.runCollect(adapter.listChanges(null).pipe(Stream.take(1)))
        const checkpoint = first[0]?.checkpoint ?? null
        const once = yield* Stream.runCollect(adapter.listChanges(checkpoint).pipe(Stream.take(1)))
        const twice = yield* Stream.runCollect(adapter.listChanges(checkpoint).pipe(Stream.take(1)))
        assert.deepStrictEqual(
          twice.flatMap((p) => p.records.map((r) => `${r.id}@${r.version}`)),
          once.flatMap((p) => p.records.map((r) => `${r.id}@${r.version}`)),
        )
      }),
    )

    for (const writable of target.writable) {
      run(`writes ${writable.field} and reads the vendor's answer back`, (adapter) =>
        Effect.gen(function* () {
          const record = yield* editable(adapter)
          const { change, landed } = writable.write(record)
          assert.isFalse(landed(record), "the change is a real change")
          assert.isTrue(landed(yield* adapter.update(record.id, change)), "the vendor's answer shows the change")
          assert.isTrue(landed(yield* adapter.get(record.id)), "a fresh read shows the change")
        }),
      )
    }

    for (const refusal of target.refusedBeforeHttp) {
      run(`refuses ${refusal.name} before any HTTP call`, (adapter) =>
        Effect.gen(function* () {
          const record = yield* editable(adapter)
          const seq = sandbox.control.requests.nextSeq()
          const error = syncFailure(yield* Effect.exit(adapter.update(record.id, refusal.change(record))))
          assert.strictEqual(error.reason._tag, "Validation")
          assert.isFalse(error.isRetryable)
          assert.deepStrictEqual(since(seq), [])
        }),
      )
    }

    for (const rejection of target.rejections) {
      run(`maps the vendor's rejection of ${rejection.name} to ${rejection.reason}`, (adapter) =>
        Effect.gen(function* () {
          const record = yield* editable(adapter)
          const id = VendorRecordId.make(yield* Effect.promise(() => rejection.arrange(sandbox, record)))
          const error = syncFailure(yield* Effect.exit(adapter.update(id, rejection.change(record))))
          assert.strictEqual(error.reason._tag, rejection.reason)
          assert.isFalse(error.isRetryable)
        }),
      )
    }

    retryableFailures(run, () => sandbox, editable)
    authentication(run, () => sandbox, target, editable)

    run("keeps an enum value it has never seen and flags it instead of failing", (adapter) =>
      Effect.gen(function* () {
        const unknown = yield* Effect.promise(() => target.unknownEnum(sandbox))
        const record = yield* adapter.get(VendorRecordId.make(unknown.id))
        const flagged = record.unknownValues.find((u) => u.field === unknown.field)
        assert.strictEqual(flagged?.value, unknown.value)
        assert.isTrue((flagged?.fallback ?? "").length > 0, "an explicit fallback is recorded")
      }),
    )
  })

type Run = (name: string, body: (adapter: VendorAdapter) => Effect.Effect<void, unknown, never>) => void
type Editable = (adapter: VendorAdapter) => ReturnType<VendorAdapter["get"]>

const retryableFailures = (run: Run, sandbox: () => SandboxLike, editable: Editable) => {
  run("reports a 429 as retryable after exactly the vendor's Retry-After", (adapter) =>
    Effect.gen(function* () {
      yield* editable(adapter) // authenticate first, so the fault hits the record read
      sandbox().control.faults.add({ kind: "rateLimit", count: 1, retryAfterSeconds: 3 })
      const error = syncFailure(yield* Effect.exit(editable(adapter)))
      assert.strictEqual(error.reason._tag, "RateLimited")
      assert.isTrue(error.isRetryable)
      assert.deepStrictEqual(Option.map(error.retryAfter, Duration.toMillis), Option.some(3000))
    }),
  )

  run("lands a read once a 429 clears, after waiting the Retry-After", (adapter) =>
    Effect.gen(function* () {
      yield* editable(adapter)
      const seq = sandbox().control.requests.nextSeq()
      sandbox().control.faults.add({ kind: "rateLimit", count: 1, retryAfterSeconds: 1 })
      const started = Date.now()
      yield* editable(adapter).pipe(Effect.retry(vendorRetry()))
      assert.isAtLeast(Date.now() - started, 1000)
      assert.deepStrictEqual(
        requestsFrom(sandbox(), seq).map((r) => r.status),
        [429, 200],
      )
    }),
  )

  run("retries 5xx answers with backoff and lands once", (adapter) =>
    Effect.gen(function* () {
      yield* editable(adapter)
      const seq = sandbox().control.requests.nextSeq()
      sandbox().control.faults.add({ kind: "error5xx", count: 2, status: 503 })
      const first = syncFailure(yield* Effect.exit(editable(adapter)))
      assert.strictEqual(first.reason._tag, "Transient")
      assert.isTrue(first.isRetryable)
      yield* editable(adapter).pipe(Effect.retry(vendorRetry({ base: "20 millis" })))
      assert.deepStrictEqual(
        requestsFrom(sandbox(), seq).map((r) => r.status),
        [503, 503, 200],
      )
    }),
  )
}

const authentication = <S extends SandboxLike>(
  run: Run,
  sandbox: () => S,
  target: ContractTarget<S>,
  editable: Editable,
) => {
  const auth = target.auth
  if (auth.kind === "token") {
    run("refreshes its token exactly once when the vendor answers 401", (adapter) =>
      Effect.gen(function* () {
        yield* editable(adapter)
        yield* Effect.promise(() => auth.expire(sandbox()))
        const seq = sandbox().control.requests.nextSeq()
        yield* editable(adapter)
        assert.deepStrictEqual(
          requestsFrom(sandbox(), seq).map(
            (r) => `${r.method} ${r.path.startsWith(auth.tokenPath) ? "token" : "record"} ${r.status}`,
          ),
          ["GET record 401", "POST token 200", "GET record 200"],
        )
      }),
    )
  } else {
    run("fails Unauthorized, without retrying, when the vendor rejects its key", (adapter) =>
      Effect.gen(function* () {
        yield* Effect.promise(() => auth.revoke(sandbox()))
        const error = syncFailure(yield* Effect.exit(editable(adapter)))
        assert.strictEqual(error.reason._tag, "Unauthorized")
        assert.isFalse(error.isRetryable)
      }),
    )
  }
}
