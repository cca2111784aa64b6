// Spry-specific behaviour beyond the shared contract: one token for many concurrent calls, refreshed before its hour
// is up; scans between periodic full listings (only a full listing sweeps a deletion); a scan that keeps going while
// rows shift between its pages; a 409/4090 race settling as TerminalState; a 400/4000 naming the blocking invites;
// unknown values and unconfigured clinics flagged; and the patient's id never in an error.
import { assert, describe, it } from "@effect/vitest"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { emulatorFor, requestsFrom, syncFailure } from "@taskbridge/adapter-testkit/Support"
import { IanaZone } from "@taskbridge/domain/Due"
import { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import type { ChangePage } from "@taskbridge/domain/ports/VendorAdapter"
import { startSpry } from "@taskbridge/sandbox/spry/Emulator"
import { Cause, Effect, Exit, Layer, Redacted, Stream } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { make } from "../src/Adapter.ts"
import type { SpryConfig } from "../src/Config.ts"
import { draftFor, windowOf, withEnd } from "./drafts.ts"
import { activeId, clinicZones, control, requestsOf, staffClient, vendorCall } from "./support.ts"

const spry = emulatorFor(() => startSpry({ port: 0, seed: 21, size: 140 }))

const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)
const configFor = (overrides: Partial<SpryConfig> = {}): SpryConfig => {
  const client = staffClient(spry())
  const zones = Object.fromEntries(Object.entries(clinicZones(spry())).map(([id, z]) => [id, IanaZone.make(z)]))
  return {
    baseUrl: spry().url,
    clientId: client.clientId,
    clientSecret: Redacted.make(client.clientSecret),
    clinicZones: zones,
    pageSize: 25,
    ...overrides,
  }
}
const adapter = (overrides: Partial<SpryConfig> = {}) =>
  make(configFor(overrides), { connectionId: ConnectionId.make("spry-test"), memory: inMemory() })
const ref = (id: string) => ({ id: VendorRecordId.make(id), parent: spry().state().store.byId(id)?.clinicId ?? null })

type Env = HttpClient.HttpClient | RateBudgets
const live = (name: string, body: Effect.Effect<void, unknown, Env>) =>
  it.live(name, () => body.pipe(Effect.provide(env), Effect.orDie))
/** Under the TestClock, set to now, so our clock and the emulator's agree until the test moves ours. */
const timed = (name: string, body: Effect.Effect<void, unknown, Env>) =>
  it.effect(name, () => Effect.andThen(TestClock.setTime(Date.now()), body).pipe(Effect.provide(env), Effect.orDie))

const ids = (pages: ReadonlyArray<ChangePage>) => pages.flatMap((p) => p.records.map((r) => r.id as string))
const tokens = () => fetch(`${spry().url}/_sandbox/tokens`).then((r) => r.json() as Promise<{ issued: number }>)

describe("Spry adapter: tokens", () => {
  live(
    "mints one token however many calls run at once, and reuses it",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const seq = spry().control.requests.nextSeq()
      const id = activeId(spry(), false)
      yield* Effect.all(
        Array.from({ length: 12 }, () => spryAdapter.get(ref(id))),
        { concurrency: "unbounded" },
      )
      const minted = requestsFrom(spry(), seq).filter((r) => r.path.startsWith("/apis/v2/oauth/token"))
      assert.strictEqual(minted.length, 1)
      assert.strictEqual((yield* Effect.promise(tokens)).issued, 1)
      assert.strictEqual(minted[0]?.body !== null && JSON.stringify(minted[0]?.body).includes("[redacted]"), true)
    }),
  )

  timed(
    "refreshes its token five minutes before the hour is up, while Spry would still take the old one",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const id = activeId(spry(), false)
      yield* spryAdapter.get(ref(id))
      yield* TestClock.adjust("54 minutes")
      yield* spryAdapter.get(ref(id))
      assert.strictEqual((yield* Effect.promise(tokens)).issued, 1, "still the first token at 54 minutes")
      yield* TestClock.adjust("2 minutes")
      yield* spryAdapter.get(ref(id))
      assert.strictEqual((yield* Effect.promise(tokens)).issued, 2, "a new one at 56 minutes, before the hour")
    }),
  )
})

describe("Spry adapter: pulls", () => {
  timed(
    "scans between full listings and lists everything again once the configured hours have passed",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter({ fullListingEveryHours: 6 })
      const backfill = yield* Stream.runCollect(spryAdapter.listChanges(null))
      assert.isTrue(backfill.at(-1)?.sweep?.complete === true, "the backfill is a complete listing")
      const gone = activeId(spry(), false, 0, 2)
      assert.strictEqual(
        (yield* Effect.promise(() => vendorCall(spry(), "DELETE", `/apis/v1/waitlist-requests/${gone}`))).status,
        204,
      )
      yield* TestClock.adjust("5 hours")
      const scan = yield* Stream.runCollect(spryAdapter.listChanges(backfill.at(-1)?.checkpoint ?? null))
      assert.isTrue(
        scan.every((p) => p.sweep === null),
        "a scan does not sweep",
      )
      yield* TestClock.adjust("1 hour")
      const full = yield* Stream.runCollect(spryAdapter.listChanges(scan.at(-1)?.checkpoint ?? null))
      assert.isTrue(full.at(-1)?.sweep?.complete === true, "six hours on, the pull is a complete listing")
      assert.strictEqual(new Set(full.map((p) => p.sweep?.generation)).size, 1)
      assert.notInclude(ids(full), gone, "so the engine tombstones the deleted request")
      assert.strictEqual(new Set(ids(full)).size, requestsOf(spry()).length)
    }),
  )

  live(
    "keeps scanning while an edit shifts rows between its pages, repeating no record, and finds the edit next",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const backfill = yield* Stream.runCollect(spryAdapter.listChanges(null))
      spry().control.clock.advance(1000)
      const active = requestsOf(spry()).filter((r) => r.status === "ACTIVE")
      // More edits than one page of 25 holds, and one request left for the edit made mid-scan.
      assert.isAbove(active.length, 30)
      for (const r of active.slice(0, -1)) spry().control.activity.step(1, { id: r.id, kinds: ["edit"] })
      const late = active.at(-1)?.id ?? ""
      let pages = 0
      const scan = yield* Stream.runCollect(
        spryAdapter.listChanges(backfill.at(-1)?.checkpoint ?? null).pipe(
          // After the first page, a Spry user edits another request: every row below it moves one row down.
          Stream.tap(() =>
            pages++ === 0
              ? Effect.promise(() =>
                  vendorCall(spry(), "PATCH", `/apis/v1/waitlist-requests/${late}`, { notes: "edited mid-scan" }),
                )
              : Effect.void,
          ),
        ),
      )
      const scanned = ids(scan)
      assert.isAbove(scan.length, 1, "the scan spans several pages")
      assert.strictEqual(new Set(scanned).size, scanned.length, "the row pushed back onto a read page is not repeated")
      const next = yield* Stream.runCollect(spryAdapter.listChanges(scan.at(-1)?.checkpoint ?? null))
      assert.include(ids(next), late, "the edit made mid-scan arrives with the next pull")
    }),
  )

  live(
    "reads a clinic the connection names no zone for in UTC, and flags it",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter({ clinicZones: {} })
      const id = activeId(spry(), false)
      const record = yield* spryAdapter.get(ref(id))
      assert.strictEqual(windowOf(record).zone, "UTC")
      assert.deepInclude(record.unknownValues, {
        field: "clinic_id",
        value: spry().state().store.byId(id)?.clinicId ?? "",
        fallback: "dates read in UTC (no zone configured)",
      })
    }),
  )

  live(
    "keeps an appointment type, payment type or preferred day it has never seen, flagged with its fallback",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const id = activeId(spry(), false)
      yield* Effect.promise(() =>
        control(spry(), `/waitlist-requests/${id}/future-value`, { field: "appointment_type", value: "RE_EVAL" }),
      )
      yield* Effect.promise(() =>
        control(spry(), `/waitlist-requests/${id}/future-value`, { field: "payment_type", value: "HSA" }),
      )
      const record = yield* spryAdapter.get(ref(id))
      assert.deepInclude(record.unknownValues, { field: "appointment_type", value: "RE_EVAL", fallback: "FOLLOW_UP" })
      assert.deepInclude(record.unknownValues, { field: "payment_type", value: "HSA", fallback: "INSURANCE_PAY" })
    }),
  )
})

describe("Spry adapter: writes", () => {
  live(
    "reports a request Spry closes between our read and our PATCH as TerminalState, with Spry's words",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const id = activeId(spry(), false)
      const before = yield* spryAdapter.get(ref(id))
      assert.strictEqual(before.snapshot.vendorStatus, "ACTIVE")
      yield* Effect.promise(() =>
        control(spry(), `/waitlist-requests/${id}/close-before-next-patch`, { status: "FULFILLED" }),
      )
      const error = syncFailure(yield* Effect.exit(spryAdapter.update(ref(id), { fields: { priority: "high" } })))
      assert.strictEqual(error.reason._tag, "TerminalState")
      assert.isFalse(error.isRetryable)
      assert.include(error.message, "waitlist request is closed")
      const after = yield* spryAdapter.get(ref(id))
      assert.strictEqual(after.snapshot.fields.status, "done")
    }),
  )

  live(
    "names the invites that block a narrower window when Spry answers 400/4000, and only those",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const id = activeId(spry(), true)
      const request = spry().state().store.byId(id)
      const declined = request?.invites[0]
      if (request === undefined || declined === undefined) throw new Error("no invite to decline")
      // The patient declined the first slot; the matching has since offered another.
      spry().state().store.moveInvite(request, declined, "DECLINED")
      const offered = (yield* Effect.promise(() =>
        control(spry(), `/waitlist-requests/${id}/offer`, { status: "SENT" }).then((r) => r.json()),
      )) as { inviteId: string }
      const record = yield* spryAdapter.get(ref(id))
      const error = syncFailure(
        yield* Effect.exit(spryAdapter.update(ref(id), { fields: { due: withEnd(windowOf(record), -1) } })),
      )
      assert.strictEqual(error.reason._tag, "Validation")
      assert.strictEqual(error.reason._tag === "Validation" ? error.reason.field : null, "due")
      assert.include(error.message, "active invites exist for this request")
      assert.include(error.message, `invite ${offered.inviteId} SENT`)
      assert.notInclude(error.message, declined.id)
      assert.include(error.message, "rescind")
    }),
  )

  live(
    "sends arrays and notes whole: a PATCH carries the full new list, and clearing the notes reads back as none",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const id = activeId(spry(), false)
      const seq = spry().control.requests.nextSeq()
      yield* spryAdapter.update(ref(id), {
        fields: {},
        extension: { _tag: "spry", preferredDays: ["MONDAY", "FRIDAY"] },
      })
      const cleared = yield* spryAdapter.update(ref(id), { fields: { description: null } })
      const patches = requestsFrom(spry(), seq).filter((r) => r.method === "PATCH")
      assert.deepStrictEqual(
        patches.map((p) => p.body),
        [{ preferred_days: ["MONDAY", "FRIDAY"] }, { notes: "" }],
      )
      assert.isNull(cleared.snapshot.fields.description)
    }),
  )

  live(
    "never puts the patient's id in an error, whether Spry refuses the create or the connection drops",
    Effect.gen(function* () {
      const spryAdapter = yield* adapter()
      const draft = draftFor(spry(), "k-1", "patient data test")
      const patient = "45999123"
      const unknown = { ...draft, snapshot: { ...draft.snapshot, subjects: { patient: { id: patient } } } }
      const refused = yield* Effect.exit(spryAdapter.create(unknown))
      assert.strictEqual(syncFailure(refused).reason._tag, "Validation")
      spry().control.faults.add({ kind: "drop", count: 1, method: "POST", pathPrefix: "/apis/v1/waitlist-requests" })
      const dropped = yield* Effect.exit(spryAdapter.create(unknown))
      assert.strictEqual(syncFailure(dropped).reason._tag, "Transient")
      const seen = yield* Effect.exit(spryAdapter.findCreated(unknown).pipe(Effect.flatMap(() => Effect.fail("found"))))
      for (const exit of [refused, dropped, seen]) {
        const text = Exit.isFailure(exit)
          ? `${Cause.pretty(exit.cause)} ${JSON.stringify(Cause.squash(exit.cause))}`
          : ""
        assert.notInclude(text, patient)
      }
    }),
  )
})
