// editability: a terminal Spry request refuses every edit and every status; a field a vendor holds read-only or
// cannot clear says so and names the vendor; the statuses it offers are exactly those validatePatch accepts, for
// every canonical status at every linked vendor's states; and recordUrl fills a manifest's template.
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { recordUrl } from "../src/Capabilities.ts"
import { editability } from "../src/Editability.ts"
import { validatePatch } from "../src/PatchValidation.ts"
import { canonicalStatuses } from "../src/Status.ts"
import { linked, task } from "./fixtures.ts"

const field = (result: ReturnType<typeof editability>, name: string) => result.fields.find((f) => f.field === name)

describe("editability", () => {
  it("refuses every edit and every status of a fulfilled Spry request, saying it is terminal", () => {
    const result = editability(task({ status: "done" }), [linked.spry("FULFILLED")])
    assert.isTrue(result.fields.every((f) => !f.editable && !f.clearable))
    for (const f of result.fields) {
      assert.deepStrictEqual(f.reasons[0], {
        rule: "terminal-state",
        vendor: "spry",
        message: "spry record is FULFILLED, which is terminal: nothing can change",
      })
    }
    assert.isTrue(result.statuses.every((s) => !s.reachable && s.reasons.length > 0))
    assert.isTrue(result.vendorStatuses[0]?.options.every((o) => !o.reachable) ?? false)
  })

  it("names Candid's read-only title and CareValidate's note that cannot be cleared", () => {
    const candid = editability(task(), [linked.candid()])
    assert.deepStrictEqual(field(candid, "title"), {
      field: "title",
      editable: false,
      clearable: false,
      reasons: [{ rule: "read-only-at-vendor", vendor: "candid", message: "candid: title is read-only" }],
    })
    const escalation = editability(task({ kind: "escalation", description: "call back" }), [linked.carevalidate()])
    assert.deepStrictEqual(field(escalation, "description"), {
      field: "description",
      editable: true,
      clearable: false,
      reasons: [
        {
          rule: "not-clearable",
          vendor: "carevalidate",
          message: "carevalidate cannot clear description; give a new value instead",
        },
      ],
    })
    // With no vendor, everything is editable and clearable but the title (required) and notes (append-only).
    const alone = editability(task(), [])
    assert.deepStrictEqual(
      alone.fields.map((f) => [f.field, f.editable, f.clearable]),
      [
        ["title", true, false],
        ["description", true, true],
        ["priority", true, true],
        ["due", true, true],
        ["assignees", true, true],
        ["tags", true, true],
        ["notes", true, false],
      ],
    )
  })

  it("offers exactly the statuses validatePatch accepts, at every state of every vendor", () => {
    const cases = [
      ...["open", "in_progress", "blocked", "finished"].map((s) => linked.candid(s)),
      ...["ACTIVE", "CANCELLED", "FULFILLED"].map((s) => linked.spry(s)),
      ...["active", "completed"].map((s) => linked.carevalidate(s)),
      linked.vambe(),
    ]
    for (const vendor of cases) {
      for (const current of canonicalStatuses) {
        const t = task({ status: current })
        const result = editability(t, [vendor])
        for (const option of result.statuses) {
          const accepted = Result.isSuccess(validatePatch(t, { status: option.status }, [vendor]))
          assert.strictEqual(option.reachable, accepted, `${vendor.link.vendorStatus} ${current} → ${option.status}`)
        }
        assert.notInclude(
          result.statuses.map((s) => s.status),
          current,
        )
      }
    }
  })

  it("intersects what every linked vendor can hold", () => {
    const result = editability(task(), [linked.vambe(), linked.candid()])
    assert.deepStrictEqual(result.constraints.priorities, [])
    assert.strictEqual(result.constraints.maxAssignees, 1)
  })
})

describe("recordUrl", () => {
  it("fills the template with the base URL (trailing slash dropped) and the URL-encoded ids", () => {
    const manifest = { recordUrl: "{baseUrl}/cases/{parent}/items/{id}" }
    assert.strictEqual(
      recordUrl(manifest, { baseUrl: "https://v.example/", id: "a b/c", parent: "case 1" }),
      "https://v.example/cases/case%201/items/a%20b%2Fc",
    )
    assert.isNull(recordUrl(manifest, { baseUrl: "https://v.example", id: "x", parent: null }))
    assert.isNull(recordUrl({}, { baseUrl: "https://v.example", id: "x", parent: null }))
  })
})
