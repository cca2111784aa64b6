// Candid-specific behaviour beyond the shared contract: one token for many calls, creates that are never
// retried blindly but can be found again, and deprecated statuses learned from a 422.
import { assert, describe, it } from "@effect/vitest"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { emulatorFor, requestsFrom, syncFailure } from "@taskbridge/adapter-testkit/Support"
import { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { Effect, Layer, Redacted, Stream } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"
import { make } from "../src/Adapter.ts"
import { candidDraft } from "./drafts.ts"

const candid = emulatorFor(() => startCandid({ port: 0, seed: 5, size: 120 }))
/** Enough tasks, over enough weeks, that some had notes added long after their fields last changed. */
const larger = emulatorFor(() => startCandid({ port: 0, seed: 7, size: 4_000 }))

const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)
const adapter = (memory = inMemory(), emulator = candid(), pageSize?: number) => {
  const org = emulator.state().store.orgs[0]
  if (org === undefined) throw new Error("no organization")
  const config = {
    baseUrl: emulator.url,
    clientId: org.clientId,
    clientSecret: Redacted.make(org.clientSecret),
    workQueueId: org.workQueueIds[0],
    ...(pageSize === undefined ? {} : { pageSize }),
  }
  return make(config, { connectionId: ConnectionId.make("candid-test"), memory })
}
/** The first `count` tasks of organization 0, whose credentials the adapter uses. */
const idsOf = (emulator: ReturnType<typeof candid>, count: number) => {
  const { tasks, ids } = emulator.state().store
  const found: Array<string> = []
  for (let i = 0; i < tasks.length && found.length < count; i++)
    if (tasks.cols.org[i] === 0) found.push(ids.task.encode(i))
  if (found.length === 0) throw new Error("organization 0 has no tasks")
  return found
}
const firstId = () => idsOf(candid(), 1)[0] ?? ""
/** The first task of organization 0 as the engine names it (Candid tasks have no parent). */
const ref = () => ({ id: VendorRecordId.make(firstId()), parent: null })
const encounterOf = async () => {
  const orgs = (await (await fetch(`${candid().url}/_sandbox/organizations`)).json()) as {
    organizations: Array<{ sampleEncounterIds: Array<string> }>
  }
  return orgs.organizations[0]?.sampleEncounterIds[0] ?? ""
}

const draft = (encounter: string, description: string) =>
  candidDraft({ key: "local-create-1", encounter, description, taskType: "CLAIM_FOLLOW_UP", category: "other" })

const live = (name: string, body: Effect.Effect<void, unknown, HttpClient.HttpClient | RateBudgets>) =>
  it.live(name, () => body.pipe(Effect.provide(env), Effect.orDie))

describe("Candid adapter", () => {
  live(
    "keeps in a backfill's checkpoints only the tasks an overlap can bring back, not those with late notes",
    Effect.gen(function* () {
      const candidAdapter = yield* adapter(inMemory(), larger(), 100)
      // Notes on a few old tasks just before the backfill: the next pull's phase 2 reads them again, so they are
      // among the keys that must stay.
      for (const id of idsOf(larger(), 5)) larger().control.activity.step(1, { id, kinds: ["note"] })
      const pages = yield* Stream.runCollect(candidAdapter.listChanges(null))
      const kept = pages.map((p) => (JSON.parse(p.checkpoint) as { seen: ReadonlyArray<string> }).seen.length)
      // What the data holds: tasks whose notes changed more than the 5-minute overlap after their fields did, which
      // the old rule (keyed by agg_updated_at only) carried through every page the scan had not yet passed them by.
      const { cols, length } = larger().state().store.tasks
      let late = 0
      for (let i = 0; i < length; i++)
        if (cols.org[i] === 0 && (cols.aggUpdatedAt[i] ?? 0) - (cols.updatedAt[i] ?? 0) > 5 * 60_000) late++
      assert.isAtLeast(late, 100, "the seed has tasks with late notes")
      // Each page keeps at most the last overlap window of the scan (a few tasks in 5 minutes of a weeks-long seed)
      // and the tasks whose notes are within the overlap of the latest ones.
      assert.isBelow(Math.max(...kept), 50, `keys kept per page: ${kept.join(", ")}`)
      // Nothing the pull kept too little of: the next pull, whose phase 2 reads the noted tasks again, lists nothing.
      const again = yield* Stream.runCollect(candidAdapter.listChanges(pages.at(-1)?.checkpoint ?? null))
      assert.deepStrictEqual(
        again.flatMap((p) => p.records.map((r) => r.id)),
        [],
      )
    }),
  )

  live(
    "delivers a second edit made within the same second as the one it last delivered",
    Effect.gen(function* () {
      const candidAdapter = yield* adapter()
      const id = firstId()
      const backfill = yield* Stream.runCollect(candidAdapter.listChanges(null))
      let checkpoint = backfill.at(-1)?.checkpoint ?? null
      const clock = candid().control.clock
      // Candid stamps agg_updated_at to the second. Each try starts just after a second begins, so both edits and the
      // pull between them share one stamp; a try that crossed into the next second shows nothing and goes again.
      let sameStamp = 0
      for (let attempt = 0; attempt < 5 && sameStamp === 0; attempt++) {
        clock.advance(1_000 - (clock.now() % 1_000) + 5)
        candid().control.activity.step(1, { id, kinds: ["assign"] })
        const first = yield* Stream.runCollect(candidAdapter.listChanges(checkpoint))
        const delivered = first.flatMap((p) => p.records).find((r) => r.id === id)
        assert.isDefined(delivered, "the first edit is delivered")
        checkpoint = first.at(-1)?.checkpoint ?? checkpoint
        candid().control.activity.step(1, { id, kinds: ["assign"] })
        const now = yield* candidAdapter.get(ref())
        const second = yield* Stream.runCollect(candidAdapter.listChanges(checkpoint))
        checkpoint = second.at(-1)?.checkpoint ?? checkpoint
        if (now.version !== delivered?.version) continue
        sameStamp += 1
        assert.notDeepEqual(now.snapshot.fields.assignees, delivered?.snapshot.fields.assignees)
        const again = second.flatMap((p) => p.records).find((r) => r.id === id)
        assert.deepStrictEqual(again?.snapshot.fields.assignees, now.snapshot.fields.assignees)
      }
      assert.strictEqual(sameStamp, 1, "two edits within one second were made")
    }),
  )

  live(
    "mints one token for many concurrent calls and reuses it",
    Effect.gen(function* () {
      const candidAdapter = yield* adapter()
      const seq = candid().control.requests.nextSeq()
      yield* Effect.all(
        Array.from({ length: 8 }, () => candidAdapter.get(ref())),
        { concurrency: "unbounded" },
      )
      const tokenCalls = requestsFrom(candid(), seq).filter((r) => r.path.startsWith("/api/auth/v2/token"))
      assert.strictEqual(tokenCalls.length, 1)
    }),
  )

  live(
    "never retries a failed create itself, and finds a create that landed",
    Effect.gen(function* () {
      const candidAdapter = yield* adapter()
      const encounter = yield* Effect.promise(encounterOf)
      yield* candidAdapter.get(ref())
      const seq = candid().control.requests.nextSeq()
      candid().control.faults.add({
        kind: "error5xx",
        count: 1,
        status: 502,
        method: "POST",
        pathPrefix: "/api/tasks/v3",
      })
      const failed = syncFailure(
        yield* Effect.exit(candidAdapter.create(draft(encounter, "Call payer about claim 77"))),
      )
      assert.strictEqual(failed.reason._tag, "Transient")
      assert.strictEqual(requestsFrom(candid(), seq).filter((r) => r.method === "POST").length, 1)
      assert.isNull(yield* candidAdapter.findCreated(draft(encounter, "Call payer about claim 77")))
      const created = yield* candidAdapter.create(draft(encounter, "Call payer about claim 77"))
      const found = yield* candidAdapter.findCreated(draft(encounter, "Call payer about claim 77"))
      assert.strictEqual(found?.id, created.id)
    }),
  )

  live(
    "after a 422 for a deprecated status, refuses that status before calling Candid again, also after a restart",
    Effect.gen(function* () {
      const memory = inMemory()
      const candidAdapter = yield* adapter(memory)
      const org = candid().state().store.orgs[0]
      yield* Effect.promise(() =>
        fetch(`${candid().url}/_sandbox/organizations/${org?.organizationId}`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ deprecatedStatuses: ["waiting_for_review"] }),
        }),
      )
      const id = ref()
      const change = { fields: {}, vendorStatus: "waiting_for_review" }
      const first = syncFailure(yield* Effect.exit(candidAdapter.update(id, change)))
      assert.strictEqual(first.reason._tag, "DeprecatedValue")
      const seq = candid().control.requests.nextSeq()
      const second = syncFailure(yield* Effect.exit(candidAdapter.update(id, change)))
      assert.strictEqual(second.reason._tag, "Validation")
      assert.deepStrictEqual(requestsFrom(candid(), seq), [])
      const scheme = yield* candidAdapter.statusScheme
      assert.isTrue(scheme.statuses.find((s) => s.name === "waiting_for_review")?.writeForbidden)
      // What the adapter learned is in the connection's memory: an adapter built from it (a restart) knows it too.
      const restarted = yield* adapter(inMemory(memory.current()))
      const seqAfter = candid().control.requests.nextSeq()
      const third = syncFailure(yield* Effect.exit(restarted.update(id, change)))
      assert.strictEqual(third.reason._tag, "Validation")
      assert.deepStrictEqual(requestsFrom(candid(), seqAfter), [])
    }),
  )

  live(
    "never puts the client secret in an error message",
    Effect.gen(function* () {
      const org = candid().state().store.orgs[0]
      const wrong = "not-the-secret-zz9"
      const candidAdapter = yield* make({
        baseUrl: candid().url,
        clientId: org?.clientId ?? "",
        clientSecret: Redacted.make(wrong),
      })
      const error = syncFailure(yield* Effect.exit(candidAdapter.get(ref())))
      assert.strictEqual(error.reason._tag, "Unauthorized")
      assert.notInclude(error.message, wrong)
      assert.notInclude(JSON.stringify(error), wrong)
    }),
  )
})
