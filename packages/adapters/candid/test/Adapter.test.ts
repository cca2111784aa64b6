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

const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)
const adapter = (memory = inMemory()) => {
  const org = candid().state().store.orgs[0]
  if (org === undefined) throw new Error("no organization")
  const config = {
    baseUrl: candid().url,
    clientId: org.clientId,
    clientSecret: Redacted.make(org.clientSecret),
    workQueueId: org.workQueueIds[0],
  }
  return make(config, { connectionId: ConnectionId.make("candid-test"), memory })
}
/** The first task of organization 0, whose credentials the adapter uses. */
const firstId = () => {
  const { tasks, ids } = candid().state().store
  for (let i = 0; i < tasks.length; i++) if (tasks.cols.org[i] === 0) return ids.task.encode(i)
  throw new Error("organization 0 has no tasks")
}
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
