// CareValidate ⇄ domain mapping as small pure functions: escalations to work items of kind `escalation` (the note is
// the description, the follow-up the due, the case the parent; unknown types flagged with the explicit fallback,
// assignees read back as the e-mail the identity map knows) and the write items, or a refusal naming the field.
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
    assert.strictEqual(record.parent, "case-1")
    assert.deepStrictEqual(record.snapshot.extension, {
      _tag: "carevalidate",
      caseId: "case-1",
      escalationType: "support",
    })
    assert.strictEqual(record.snapshot.vendorStatus, "active")
    assert.strictEqual(record.snapshot.fields.status, "open")
    assert.deepStrictEqual(record.snapshot.fields.assignees, [
      Assignee.cases.Email.make({ email: "ana@cvtpa.example.com" }),
    ])
    const due = record.snapshot.fields.due
    assert.strictEqual(due._tag === "Instant" ? DateTime.formatIso(due.at) : "none", "2025-06-15T09:00:00.000Z")
  })

  it("keeps an unknown user id as a User and flags an unknown type with the explicit fallback", () => {
    const record = toRecord([], "case-1", { ...wire, type: "legal", assignedToUserId: "u-9", isCompleted: true })
    assert.deepStrictEqual(record.unknownValues, [{ field: "type", value: "legal", fallback: "support" }])
    assert.deepStrictEqual(record.snapshot.fields.assignees, [Assignee.cases.User.make({ id: UserId.make("u-9") })])
    assert.strictEqual(record.snapshot.vendorStatus, "completed")
    assert.strictEqual(record.snapshot.fields.status, "done")
    assert.deepStrictEqual(toType("clinical"), { value: "clinical", unknown: [] })
  })

  it("builds an UPDATE item from note, follow-up instant and an assignee resolved to its e-mail", () => {
    const at = DateTime.makeUnsafe("2025-07-01T10:00:00Z")
    const body = fromChange(identities, {
      fields: {
        description: "called",
        due: { _tag: "Instant", at },
        assignees: [Assignee.cases.User.make({ id: UserId.make("u-1") })],
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
    assert.strictEqual(refusal(fromChange(identities, { fields: {}, note: "n" })), "notes")
    assert.strictEqual(refusal(fromChange(identities, { fields: { description: null } })), "description")
    assert.strictEqual(refusal(fromChange(identities, { fields: { assignees: [] } })), "assignees")
    const stranger = Assignee.cases.User.make({ id: UserId.make("u-2") })
    assert.strictEqual(refusal(fromChange(identities, { fields: { assignees: [stranger] } })), "assignees")
    assert.strictEqual(refusal(fromChange(identities, { fields: { due: { _tag: "None" } } })), "due")
    assert.strictEqual(refusal(fromChange(identities, { fields: {} })), null)
  })

  it("builds an ADD item for an active draft and refuses a completed one", () => {
    const fields = {
      title: Title.make("Refund request"),
      description: "n",
      status: "open" as const,
      priority: "none" as const,
      due: { _tag: "None" as const },
      assignees: [],
      tags: [],
    }
    const snapshot = {
      fields,
      vendorStatus: "active",
      subjects: { case: { id: "case-1" } },
      notes: [],
      extension: { _tag: "carevalidate" as const, caseId: "case-1", escalationType: "support" as const },
    }
    assert.deepStrictEqual(
      fromDraft(identities, { key: "k", snapshot }),
      Result.succeed({ caseId: "case-1", item: { type: "support", title: "Refund request", note: "n" } }),
    )
    const done = { key: "k", snapshot: { ...snapshot, fields: { ...fields, status: "done" as const } } }
    assert.strictEqual(refusal(fromDraft(identities, done)), "status")
    assert.strictEqual(
      refusal(fromDraft(identities, { key: "k", snapshot: { ...snapshot, extension: null } })),
      "extension",
    )
  })
})
