// Candid ⇄ domain mapping as small pure functions: derived titles, status categories with an explicit fallback
// for unknown values, and the write bodies Candid accepts (or a refusal naming the field).
import { assert, describe, it } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { candidScheme } from "@taskbridge/domain/schemes/Candid"
import { Result } from "effect"
import { fromChange, toStatus, toTitle } from "../src/Mapping.ts"

const scheme = candidScheme()
const user = (id: string) => Assignee.cases.User.make({ id: UserId.make(id) })
const refusal = (result: ReturnType<typeof fromChange>) =>
  Result.isFailure(result) && result.failure.reason._tag === "Validation" ? result.failure.reason.field : "accepted"

describe("Candid mapping", () => {
  it("derives a readable title from task type and category, leaving out `other`", () => {
    assert.strictEqual(
      toTitle({ task_type: "DENIAL_RESOLUTION", category: "incorrect_member_id" }),
      "Denial resolution: incorrect member id",
    )
    assert.strictEqual(toTitle({ task_type: "CODE_CLAIM", category: "other" }), "Code claim")
    assert.strictEqual(toTitle({ task_type: "ELIGIBILITY", category: null }), "Eligibility")
  })

  it("maps each status to its canonical category and flags an unknown one with the explicit fallback", () => {
    assert.deepStrictEqual(toStatus(scheme, "waiting_for_review"), { status: "waiting", unknown: [] })
    assert.deepStrictEqual(toStatus(scheme, "finished"), { status: "done", unknown: [] })
    assert.deepStrictEqual(toStatus(scheme, "escalated_to_payer"), {
      status: "open",
      unknown: [{ field: "status", value: "escalated_to_payer", fallback: "open" }],
    })
  })

  it("builds a PATCH body from status, one assignee and blocks_claim_submission", () => {
    const body = fromChange(scheme, {
      fields: { assignees: [user("u-1")] },
      vendorStatus: "blocked",
      extension: { _tag: "candid", blocksClaimSubmission: true },
    })
    assert.deepStrictEqual(
      body,
      Result.succeed({ status: "blocked", assignee_user_id: "u-1", blocks_claim_submission: true }),
    )
  })

  it("refuses what Candid cannot take, naming the field", () => {
    assert.strictEqual(refusal(fromChange(scheme, { fields: { description: "x" } })), "description")
    assert.strictEqual(refusal(fromChange(scheme, { fields: { assignees: [user("a"), user("b")] } })), "assignees")
    assert.strictEqual(refusal(fromChange(scheme, { fields: { assignees: [] } })), "assignees")
    assert.strictEqual(
      refusal(fromChange(scheme, { fields: {}, vendorStatus: "addressed_by_provider_group" })),
      "status",
    )
    assert.strictEqual(refusal(fromChange(scheme, { fields: {}, vendorStatus: "archived" })), "status")
    assert.strictEqual(refusal(fromChange(scheme, { fields: {}, extension: { _tag: "spry" } })), "extension")
  })
})
