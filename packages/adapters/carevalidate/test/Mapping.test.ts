// CareValidate ⇄ domain mapping as small pure functions: escalations to records (unknown types flagged with the
// explicit fallback, assignees read back as the e-mail the identity map knows) and the write items, or a refusal.
import { assert, describe, it } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import { DateTime, Result } from "effect"
import { fromChange, fromDraft, toRecord, toType } from "../src/Mapping.ts"
import type { Escalation } from "../src/Schema.ts"

const identities = [{ email: "ana@cvtpa.example.com", userId: "u-1" }]
const wire: Escalation = {
  id: "e-1",
  type: "support",
  title: "Refund request",
  note: null,
  followUpDueAt: "2025-06-15T09:00:00.000Z",
  assignedToUserId: "u-1",
  isCompleted: false,
  createdAt: "2025-06-01T08:00:00.000Z",
}
const refusal = (result: Result.Result<unknown, { reason: { _tag: string; field?: string | null } }>) =>
  Result.isFailure(result) && result.failure.reason._tag === "Validation" ? result.failure.reason.field : "accepted"

describe("CareValidate mapping", () => {
  it("reads an escalation: createdAt as version when updatedAt is absent, due instant, e-mail assignee", () => {
    const record = toRecord(identities, "case-1", wire)
    assert.strictEqual(record.version, "2025-06-01T08:00:00.000Z")
    assert.strictEqual(record._tag, "Escalation")
    if (record._tag !== "Escalation") return
    assert.strictEqual(record.snapshot.caseRef, "case-1")
    assert.strictEqual(record.snapshot.state, "active")
    assert.deepStrictEqual(record.snapshot.assignee, Assignee.cases.Email.make({ email: "ana@cvtpa.example.com" }))
    const due = record.snapshot.followUpDue
    assert.strictEqual(due._tag === "Instant" ? DateTime.formatIso(due.at) : "none", "2025-06-15T09:00:00.000Z")
  })

  it("keeps an unknown user id as a User and flags an unknown type with the explicit fallback", () => {
    const record = toRecord([], "case-1", { ...wire, type: "legal", assignedToUserId: "u-9", isCompleted: true })
    assert.deepStrictEqual(record.unknownValues, [{ field: "type", value: "legal", fallback: "support" }])
    if (record._tag !== "Escalation") return assert.fail("not an escalation")
    assert.deepStrictEqual(record.snapshot.assignee, Assignee.cases.User.make({ id: UserId.make("u-9") }))
    assert.strictEqual(record.snapshot.state, "completed")
    assert.deepStrictEqual(toType("clinical"), { type: "clinical", unknown: [] })
  })

  it("builds an UPDATE item from note, follow-up instant and an assignee resolved to its e-mail", () => {
    const at = DateTime.makeUnsafe("2025-07-01T10:00:00Z")
    const body = fromChange(identities, {
      fields: {},
      escalation: {
        note: "called",
        followUpDue: { _tag: "Instant", at },
        assignee: Assignee.cases.User.make({ id: UserId.make("u-1") }),
      },
    })
    assert.deepStrictEqual(
      body,
      Result.succeed({
        note: "called",
        followUpDueAt: "2025-07-01T10:00:00.000Z",
        assignedToEmail: "ana@cvtpa.example.com",
      }),
    )
  })

  it("refuses what CareValidate cannot take, naming the field", () => {
    assert.strictEqual(refusal(fromChange(identities, { fields: { title: Title.make("x") } })), "title")
    assert.strictEqual(refusal(fromChange(identities, { fields: {}, vendorStatus: "completed" })), "status")
    assert.strictEqual(refusal(fromChange(identities, { fields: {}, note: "n" })), "note")
    assert.strictEqual(refusal(fromChange(identities, { fields: {}, escalation: { note: null } })), "note")
    assert.strictEqual(refusal(fromChange(identities, { fields: {}, escalation: { assignee: null } })), "assignee")
    const stranger = Assignee.cases.User.make({ id: UserId.make("u-2") })
    assert.strictEqual(refusal(fromChange(identities, { fields: {}, escalation: { assignee: stranger } })), "assignee")
    const none = { _tag: "None" as const }
    assert.strictEqual(
      refusal(fromChange(identities, { fields: {}, escalation: { followUpDue: none } })),
      "followUpDue",
    )
    assert.strictEqual(refusal(fromChange(identities, { fields: {}, escalation: {} })), "escalation")
  })

  it("builds an ADD item for an active draft and refuses a completed one", () => {
    const snapshot = {
      caseRef: "case-1",
      type: "support" as const,
      title: "Refund request",
      note: "n",
      followUpDue: { _tag: "None" as const },
      assignee: null,
      state: "active" as const,
    }
    assert.deepStrictEqual(
      fromDraft(identities, { _tag: "Escalation", key: "k", snapshot }),
      Result.succeed({ caseId: "case-1", item: { type: "support", title: "Refund request", note: "n" } }),
    )
    const done = { _tag: "Escalation" as const, key: "k", snapshot: { ...snapshot, state: "completed" as const } }
    assert.strictEqual(refusal(fromDraft(identities, done)), "state")
  })
})
