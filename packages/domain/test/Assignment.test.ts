// The identity map: CareValidate takes an e-mail and answers with a user id; a learned pair reads back as the
// e-mail that was written, so a round trip does not look like a reassignment.
import { assert, describe, it } from "@effect/vitest"
import { Assignee, assigneeKey, canonicalAssignee, learnIdentity, userIdForEmail } from "../src/Assignment.ts"
import { UserId } from "../src/Ids.ts"

describe("identity map", () => {
  it("reads a vendor user id back as the e-mail it was learned from, case-insensitively", () => {
    const map = learnIdentity([], { email: "Agent@Example.com", userId: "u-1" })
    assert.strictEqual(userIdForEmail(map, "agent@example.com"), "u-1")
    assert.deepStrictEqual(canonicalAssignee(map, "u-1"), Assignee.cases.Email.make({ email: "Agent@Example.com" }))
  })

  it("keeps an unknown user id as a user assignee", () => {
    assert.deepStrictEqual(canonicalAssignee([], "u-9"), Assignee.cases.User.make({ id: UserId.make("u-9") }))
  })

  it("replaces an older pairing for the same e-mail or user id", () => {
    const map = learnIdentity(learnIdentity([], { email: "a@x.io", userId: "u-1" }), { email: "a@x.io", userId: "u-2" })
    assert.deepStrictEqual(map, [{ email: "a@x.io", userId: "u-2" }])
  })

  it("keys assignees so the same e-mail in another case is the same person", () => {
    assert.strictEqual(
      assigneeKey(Assignee.cases.Email.make({ email: "A@X.io" })),
      assigneeKey(Assignee.cases.Email.make({ email: "a@x.io" })),
    )
  })
})
