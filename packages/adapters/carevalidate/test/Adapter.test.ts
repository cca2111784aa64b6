// CareValidate-specific behaviour beyond the shared contract: finding an escalation's case without being told,
// creates that are never retried but can be found again, and the vendor's 400s mapped to the right reasons.
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { requestsFrom, syncFailure } from "@taskbridge/adapter-testkit/Contract"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import type { RecordDraft } from "@taskbridge/domain/VendorRecord"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { TITLES } from "@taskbridge/sandbox/carevalidate/Text"
import { Effect, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { make } from "../src/Adapter.ts"

type CareValidate = Awaited<ReturnType<typeof startCareValidate>>
let cv: CareValidate
beforeAll(async () => {
  cv = await startCareValidate({ port: 0, seed: 3, size: 60 })
})
beforeEach(() => {
  cv.control.reset()
})
afterAll(async () => {
  await cv.close()
})

const org = () => {
  const found = cv.state().store.orgs[0]
  if (found === undefined) throw new Error("no organization")
  return found
}
/** No `caseRefOf`: the adapter must find cases itself. */
const adapter = () => make({ baseUrl: cv.url, apiKey: Redacted.make(org().apiKey), pageSize: 10 })
const openCase = () => {
  const c = cv
    .state()
    .store.cases.find((x) => x.org === 0 && !x.isArchived && x.escalations.some((e) => !e.isCompleted))
  if (c === undefined) throw new Error("no open case")
  return c
}
const draft = (caseRef: string, overrides: Partial<{ title: string; email: string }> = {}): RecordDraft => ({
  _tag: "Escalation",
  key: "k-1",
  snapshot: {
    caseRef,
    type: "support",
    title: overrides.title ?? TITLES.support[0] ?? "",
    note: "raised by taskbridge",
    followUpDue: { _tag: "None" },
    assignee: overrides.email === undefined ? null : { _tag: "Email", email: overrides.email },
    state: "active",
  },
})
const reasonOf = (exit: Parameters<typeof syncFailure>[0]) => {
  const reason = syncFailure(exit).reason
  return reason._tag === "Validation" ? `Validation:${reason.field}` : reason._tag
}

describe("CareValidate adapter", () => {
  it.live("finds an escalation's case by searching recent cases, then writes without searching again", () =>
    Effect.gen(function* () {
      const cases = cv.state().store.cases.filter((c) => c.org === 0)
      const id = cases[0]?.escalations[0]?.id ?? ""
      const a = yield* adapter()
      const record = yield* a.get(VendorRecordId.make(id))
      assert.strictEqual(record.id, id)
      const seq = cv.control.requests.nextSeq()
      yield* Effect.exit(a.update(record.id, { fields: {}, escalation: { note: "seen" } }))
      assert.deepStrictEqual(
        requestsFrom(cv, seq).map((r) => r.method),
        ["POST"],
      )
    }).pipe(Effect.provide(FetchHttpClient.layer)),
  )

  it.live("creates once, and finds the created escalation again by type, title and note", () =>
    Effect.gen(function* () {
      const a = yield* adapter()
      const c = openCase()
      const created = yield* a.create(draft(c.id))
      assert.strictEqual(created._tag === "Escalation" ? created.snapshot.caseRef : "", c.id)
      const found = yield* a.findCreated(draft(c.id))
      assert.strictEqual(found?.id, created.id)
      assert.isNull(yield* a.findCreated(draft(c.id, { title: TITLES.support[1] ?? "" })))
    }).pipe(Effect.provide(FetchHttpClient.layer)),
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
        "Validation:assignee",
      )
      assert.strictEqual(reasonOf(yield* Effect.exit(a.create(draft(c.id, { title: "Nope" })))), "Validation:title")
      assert.strictEqual(reasonOf(yield* Effect.exit(a.get(VendorRecordId.make("missing")))), "NotFound")
    }).pipe(Effect.provide(FetchHttpClient.layer)),
  )
})
