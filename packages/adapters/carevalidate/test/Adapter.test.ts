// CareValidate-specific behaviour beyond the shared contract: finding an escalation's case when its parent is not known,
// confirmed e-mail ⇄ id pairs kept in the connection's memory, creates that are never retried but can be found again,
// and the vendor's 400s mapped to the right reasons.
import { assert, describe, it } from "@effect/vitest"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { draftOf, emulatorFor, requestsFrom, syncFailure } from "@taskbridge/adapter-testkit/Support"
import { Assignee } from "@taskbridge/domain/Assignment"
import { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import type { RecordDraft } from "@taskbridge/domain/VendorRecord"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { TITLES } from "@taskbridge/sandbox/carevalidate/Text"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { make } from "../src/Adapter.ts"

const cv = emulatorFor(() => startCareValidate({ port: 0, seed: 3, size: 60 }))

const org = () => {
  const found = cv().state().store.orgs[0]
  if (found === undefined) throw new Error("no organization")
  return found
}
const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)
const adapter = (memory = inMemory()) =>
  make(
    { baseUrl: cv().url, apiKey: Redacted.make(org().apiKey), pageSize: 10 },
    { connectionId: ConnectionId.make("cv-test"), memory },
  )
const openCase = () => {
  const c = cv()
    .state()
    .store.cases.find((x) => x.org === 0 && !x.isArchived && x.escalations.some((e) => !e.isCompleted))
  if (c === undefined) throw new Error("no open case")
  return c
}
const draft = (caseId: string, overrides: Partial<{ title: string; email: string }> = {}): RecordDraft => {
  const base = draftOf("k-1", {
    title: overrides.title ?? TITLES.support[0] ?? "Refund",
    description: "raised by taskbridge",
    vendorStatus: "active",
    subjects: { case: { id: caseId } },
    extension: { _tag: "carevalidate", caseId, escalationType: "support" },
  })
  const assignees = overrides.email === undefined ? [] : [Assignee.cases.Email.make({ email: overrides.email })]
  return { ...base, snapshot: { ...base.snapshot, fields: { ...base.snapshot.fields, assignees } } }
}
const reasonOf = (exit: Parameters<typeof syncFailure>[0]) => {
  const reason = syncFailure(exit).reason
  return reason._tag === "Validation" ? `Validation:${reason.field}` : reason._tag
}

describe("CareValidate adapter", () => {
  it.live("finds an escalation's case by searching when its parent is unknown, and writes by the parent it read", () =>
    Effect.gen(function* () {
      const cases = cv()
        .state()
        .store.cases.filter((c) => c.org === 0)
      const id = cases[0]?.escalations[0]?.id ?? ""
      const a = yield* adapter()
      const record = yield* a.get({ id: VendorRecordId.make(id), parent: null })
      assert.strictEqual(record.id, id)
      assert.strictEqual(record.parent, cases[0]?.id)
      const seq = cv().control.requests.nextSeq()
      yield* Effect.exit(a.update(record, { fields: { description: "seen" } }))
      assert.deepStrictEqual(
        requestsFrom(cv(), seq).map((r) => r.method),
        ["POST"],
      )
    }).pipe(Effect.provide(env)),
  )

  it.live("keeps the e-mail a write confirmed for a user id in the connection's memory", () =>
    Effect.gen(function* () {
      const memory = inMemory()
      const a = yield* adapter(memory)
      const c = openCase()
      const id = c.escalations.find((e) => !e.isCompleted)?.id ?? ""
      const agent = org().users.find((u) => u.role === "CVTPA")
      if (agent === undefined) throw new Error("no CVTPA user")
      const answer = yield* a.update(
        { id: VendorRecordId.make(id), parent: c.id },
        { fields: { assignees: [Assignee.cases.Email.make({ email: agent.email })] } },
      )
      assert.deepStrictEqual(answer.snapshot.fields.assignees, [Assignee.cases.Email.make({ email: agent.email })])
      assert.deepStrictEqual(
        memory.current().identities.map((e) => e.email.toLowerCase()),
        [agent.email.toLowerCase()],
      )
      // After a restart the pair is known: a read shows the e-mail, not the bare user id.
      const restarted = yield* adapter(inMemory(memory.current()))
      const read = yield* restarted.get({ id: VendorRecordId.make(id), parent: c.id })
      assert.deepStrictEqual(read.snapshot.fields.assignees, [Assignee.cases.Email.make({ email: agent.email })])
    }).pipe(Effect.provide(env)),
  )

  it.live("creates once, and finds the created escalation again by type, title and note", () =>
    Effect.gen(function* () {
      const a = yield* adapter()
      const c = openCase()
      const created = yield* a.create(draft(c.id))
      assert.strictEqual(created.parent, c.id)
      const found = yield* a.findCreated(draft(c.id))
      assert.strictEqual(found?.id, created.id)
      assert.isNull(yield* a.findCreated(draft(c.id, { title: TITLES.support[1] ?? "" })))
    }).pipe(Effect.provide(env)),
  )

  it.live("maps the vendor's 400s: unknown case, unassignable e-mail, invalid title", () =>
    Effect.gen(function* () {
      const a = yield* adapter()
      const c = openCase()
      const provider = org().users.find((u) => u.role === "PROVIDER")?.email ?? ""
      assert.strictEqual(
        reasonOf(yield* Effect.exit(a.create(draft("00000000-0000-4000-8000-000000000000")))),
        "NotFound",
      )
      assert.strictEqual(
        reasonOf(yield* Effect.exit(a.create(draft(c.id, { email: provider })))),
        "Validation:assignees",
      )
      assert.strictEqual(reasonOf(yield* Effect.exit(a.create(draft(c.id, { title: "Nope" })))), "Validation:title")
      const missing = { id: VendorRecordId.make("missing"), parent: null }
      assert.strictEqual(reasonOf(yield* Effect.exit(a.get(missing))), "NotFound")
    }).pipe(Effect.provide(env)),
  )
})
