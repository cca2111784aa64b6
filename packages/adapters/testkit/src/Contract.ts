// The adapter contract suite: every adapter runs it against its own emulator over real HTTP, building the adapter
// from its vendor definition as the engine does. It checks pulls (full, incremental, replayed, deletions as the
// manifest declares them), reads by reference, writes (round trip, refusal before HTTP, vendor rejections, creates
// found again after a lost answer, terminal records), retryable failures (429 with Retry-After, 5xx), authentication,
// unknown enum values, and that the manifest says only what the adapter does.
import { assert, describe, it } from "@effect/vitest"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { vendorRetry } from "@taskbridge/adapter-kit/Retry"
import type { SyncError } from "@taskbridge/domain/Errors"
import { ConnectionId } from "@taskbridge/domain/Ids"
import type { ChangePage, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Duration, Effect, Layer, Option, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { manifestCases, writeCases } from "./ContractWrites.ts"
import { assertDeletionsAsDeclared, byId, emulatorFor, listed, type Run, requestsFrom, syncFailure } from "./Support.ts"
import type { ContractTarget, SandboxLike } from "./Target.ts"

const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)

const idsOf = (pages: ReadonlyArray<{ records: ReadonlyArray<{ id: string }> }>) =>
  pages.flatMap((p) => p.records.map((r) => r.id))

/** The adapter the engine would build for a connection to the emulator, from the definition and stored settings. */
export const adapterFor = <S extends SandboxLike>(target: ContractTarget<S>, sandbox: S) =>
  Effect.gen(function* () {
    const settings = target.settings(sandbox)
    return yield* target.definition
      .make({ connectionId: ConnectionId.make("contract"), memory: inMemory(), ...settings })
      .pipe(Effect.orDie)
  })

export const contractSuite = <S extends SandboxLike>(target: ContractTarget<S>) =>
  describe(`${target.definition.vendor} adapter contract`, () => {
    const { manifest } = target.definition
    const sandbox = emulatorFor(target.start)

    const run: Run = (name, body) =>
      it.live(name, () =>
        Effect.scoped(Effect.flatMap(adapterFor(target, sandbox()), body)).pipe(Effect.provide(env), Effect.orDie),
      )
    const since = (seq: number) => requestsFrom(sandbox(), seq)
    /** The editable record, read by its reference from a backfill (so a parent the vendor needs is known). */
    const editable = (adapter: VendorAdapter) => listed(adapter, target.editable(sandbox()))

    run("pulls every record its credentials can see, once, from an empty checkpoint", (adapter) =>
      Effect.gen(function* () {
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        const ids = idsOf(pages)
        assert.strictEqual(new Set(ids).size, ids.length, "no record twice")
        assert.deepStrictEqual(new Set(ids), new Set(target.visibleIds(sandbox())))
        assert.strictEqual(pages.at(-1)?.progress.records, ids.length)
        assertDeletionsAsDeclared(manifest.capabilities.deletions, pages, true)
      }),
    )

    run("pulls exactly the records changed by vendor-side edits since the last checkpoint", (adapter) =>
      Effect.gen(function* () {
        const backfill = yield* Stream.runCollect(adapter.listChanges(null))
        const checkpoint = backfill.at(-1)?.checkpoint ?? null
        sandbox().control.clock.advance(1_000)
        const chosen = [...target.visibleIds(sandbox())].slice(0, 5)
        const edited = new Set(
          chosen.flatMap((id) =>
            sandbox()
              .control.activity.step(1, { id })
              .map((e) => e.id),
          ),
        )
        const known = versions(backfill)
        const changes = yield* Stream.runCollect(adapter.listChanges(checkpoint))
        assert.deepStrictEqual(new Set(moved(known, changes)), edited)
        if (manifest.capabilities.changeDetection !== "snapshot-hash") {
          assert.deepStrictEqual(new Set(idsOf(changes)), edited, "an incremental pull lists only what changed")
        }
        for (const [id, version] of versions(changes)) known.set(id, version)
        const again = yield* Stream.runCollect(adapter.listChanges(changes.at(-1)?.checkpoint ?? null))
        assert.deepStrictEqual(moved(known, again), [], "nothing new after catching up")
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

    run("reads a record by the reference it listed with one vendor request, never a search", (adapter) =>
      Effect.gen(function* () {
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        const records = pages.flatMap((p) => p.records)
        const id = target.editable(sandbox())
        yield* byId(adapter, records, id) // any token is minted now, not below
        const seq = sandbox().control.requests.nextSeq()
        const record = yield* byId(adapter, records, id)
        assert.strictEqual(record.id, id)
        assert.strictEqual(since(seq).length, 1, "one request for one record")
      }),
    )

    writeCases(run, sandbox, target, editable)
    retryableFailures(run, sandbox, editable)
    authentication(run, sandbox, target, editable)
    manifestCases(run, sandbox, target)

    run("quarantines a listed record it cannot read, with the field named, and lists the rest", (adapter) =>
      Effect.gen(function* () {
        const { field, pathPrefix, method = "GET" } = target.unreadable
        sandbox().control.faults.add({ kind: "wrongType", field, count: 1, method, pathPrefix })
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        const held = pages.flatMap((p) => p.quarantined ?? [])
        assert.strictEqual(held.length, 1, "exactly the one broken record is held")
        const broken = held[0]?.recordId ?? null
        assert.include(held[0]?.reason ?? "", field, "the reason names the field")
        if (broken === null) return assert.fail("its id is kept, so a later good read releases it")
        const ids = idsOf(pages)
        const visible = new Set(target.visibleIds(sandbox()))
        assert.isTrue(visible.has(broken), "the held record is one the vendor has")
        assert.notInclude(ids, broken)
        assert.deepStrictEqual(new Set([...ids, broken]), visible, "every other record was listed")
      }),
    )

    run("keeps an enum value it has never seen and flags it instead of failing", (adapter) =>
      Effect.gen(function* () {
        const unknown = yield* Effect.promise(() => target.unknownEnum(sandbox()))
        const record = yield* listed(adapter, unknown.id)
        const flagged = record.unknownValues.find((u) => u.field === unknown.field)
        assert.strictEqual(flagged?.value, unknown.value)
        assert.isTrue((flagged?.fallback ?? "").length > 0, "an explicit fallback is recorded")
      }),
    )
  })

/** Each listed record's version, by id. */
const versions = (pages: ReadonlyArray<ChangePage>) =>
  new Map(pages.flatMap((p) => p.records.map((r) => [r.id as string, r.version] as const)))

/** Records whose version differs from what is known (a snapshot vendor lists unchanged ones too; they do not count). */
const moved = (known: ReadonlyMap<string, string>, pages: ReadonlyArray<ChangePage>) =>
  pages.flatMap((p) => p.records.filter((r) => known.get(r.id) !== r.version).map((r) => r.id as string))

type Editable = (adapter: VendorAdapter) => Effect.Effect<VendorRecord, SyncError>

const retryableFailures = (run: Run, sandbox: () => SandboxLike, editable: Editable) => {
  run("reports a 429 as retryable after exactly the vendor's Retry-After", (adapter) =>
    Effect.gen(function* () {
      const record = yield* editable(adapter) // authenticate first, so the fault hits the record read
      sandbox().control.faults.add({ kind: "rateLimit", count: 1, retryAfterSeconds: 3 })
      const error = syncFailure(yield* Effect.exit(adapter.get(record)))
      assert.strictEqual(error.reason._tag, "RateLimited")
      assert.isTrue(error.isRetryable)
      assert.deepStrictEqual(Option.map(error.retryAfter, Duration.toMillis), Option.some(3000))
    }),
  )

  run("lands a read once a 429 clears, after waiting the Retry-After", (adapter) =>
    Effect.gen(function* () {
      const record = yield* editable(adapter)
      const seq = sandbox().control.requests.nextSeq()
      sandbox().control.faults.add({ kind: "rateLimit", count: 1, retryAfterSeconds: 1 })
      const started = Date.now()
      yield* adapter.get(record).pipe(Effect.retry(vendorRetry()))
      assert.isAtLeast(Date.now() - started, 1000)
      assert.deepStrictEqual(
        requestsFrom(sandbox(), seq).map((r) => r.status),
        [429, 200],
      )
    }),
  )

  run("retries 5xx answers with backoff and lands once", (adapter) =>
    Effect.gen(function* () {
      const record = yield* editable(adapter)
      const seq = sandbox().control.requests.nextSeq()
      sandbox().control.faults.add({ kind: "error5xx", count: 2, status: 503 })
      const first = syncFailure(yield* Effect.exit(adapter.get(record)))
      assert.strictEqual(first.reason._tag, "Transient")
      assert.isTrue(first.isRetryable)
      yield* adapter.get(record).pipe(Effect.retry(vendorRetry({ base: "20 millis" })))
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
        const record = yield* editable(adapter)
        yield* Effect.promise(() => auth.expire(sandbox()))
        const seq = sandbox().control.requests.nextSeq()
        yield* adapter.get(record)
        assert.deepStrictEqual(
          requestsFrom(sandbox(), seq).map(
            (r) => `${r.path.startsWith(auth.tokenPath) ? "token" : "record"} ${r.status}`,
          ),
          ["record 401", "token 200", "record 200"],
        )
      }),
    )
  } else {
    run("fails Unauthorized, without retrying, when the vendor rejects its credentials", (adapter) =>
      Effect.gen(function* () {
        const record = yield* editable(adapter)
        yield* Effect.promise(() => auth.revoke(sandbox()))
        const seq = sandbox().control.requests.nextSeq()
        const error = syncFailure(yield* Effect.exit(adapter.get(record)))
        assert.strictEqual(error.reason._tag, "Unauthorized")
        assert.isFalse(error.isRetryable)
        assert.strictEqual(requestsFrom(sandbox(), seq).length, 1, "no second attempt")
      }),
    )
  }
}
