// validatePatch: each rule by example (field, rule and vendor named in the violation), several violations at
// once, and the property that no accepted patch writes a field any linked vendor holds read-only.
import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { Assignee } from "../src/Assignment.ts"
import { Capabilities } from "../src/Capabilities.ts"
import { ConnectionId, UserId } from "../src/Ids.ts"
import { TaskPatch } from "../src/Patch.ts"
import { type LinkedVendor, validatePatch } from "../src/PatchValidation.ts"
import { candidScheme } from "../src/schemes/Candid.ts"
import { link, linked, task } from "./fixtures.ts"

const rejected = (result: ReturnType<typeof validatePatch>) =>
  Result.isFailure(result)
    ? result.failure.violations.map((v) => `${v.field} ${v.rule} ${v.vendor ?? "-"}`)
    : ["accepted"]

const user = (id: string) => Assignee.cases.User.make({ id: UserId.make(id) })

describe("validatePatch accepts", () => {
  it("a title and priority change on a Vambe task, without touching its status", () => {
    const result = validatePatch(task(), { title: "  Call the payer back ", priority: "high" }, [linked.vambe()])
    assert.isTrue(Result.isSuccess(result))
    if (Result.isSuccess(result)) {
      assert.strictEqual(result.success.fields.title, "Call the payer back")
      assert.strictEqual(result.success.fields.priority, "high")
      assert.deepStrictEqual(result.success.changed, ["title", "priority"])
      assert.deepStrictEqual(result.success.vendorStatuses, [])
    }
  })

  it("completing a Candid task: resolves `finished` and stamps closedAt", () => {
    const result = validatePatch(task(), { status: "done" }, [linked.candid("in_progress")])
    assert.isTrue(Result.isSuccess(result))
    if (Result.isSuccess(result)) {
      assert.deepStrictEqual(
        result.success.vendorStatuses.map((s) => s.status.name),
        ["finished"],
      )
      assert.deepStrictEqual(result.success.statusEffects, [{ _tag: "StampClosedAt" }])
      assert.strictEqual(result.success.fields.status, "done")
    }
  })

  it("a Vambe status addressed by position, whose category becomes the canonical status", () => {
    const result = validatePatch(
      task(),
      { vendorStatus: { connectionId: ConnectionId.make("conn-vambe"), position: 1 } },
      [linked.vambe()],
    )
    assert.isTrue(Result.isSuccess(result))
    if (Result.isSuccess(result)) {
      assert.strictEqual(result.success.fields.status, "in_progress")
      assert.deepStrictEqual(
        result.success.vendorStatuses.map((s) => s.status.name),
        ["En Progreso"],
      )
    }
  })

  it("clearing a field with null, which differs from leaving it absent", () => {
    const cleared = validatePatch(task({ priority: "high", description: "x" }), { priority: null, description: null }, [
      linked.spry(),
    ])
    assert.deepStrictEqual(
      Result.map(cleared, (p) => [p.fields.priority, p.fields.description]),
      Result.succeed(["none", null]),
    )
    const untouched = validatePatch(task({ priority: "high" }), {}, [linked.vambe()])
    assert.isTrue(Result.isSuccess(untouched))
    if (Result.isSuccess(untouched)) {
      assert.strictEqual(untouched.success.fields.priority, "high")
      assert.deepStrictEqual(untouched.success.changed, [])
    }
  })
})

describe("validatePatch rejects, naming the field, the rule and the vendor", () => {
  it("an empty title", () => {
    assert.deepStrictEqual(rejected(validatePatch(task(), { title: "   " }, [])), ["title non-empty -"])
  })

  it("a title change on a Candid task, whose title is derived and read-only", () => {
    assert.deepStrictEqual(rejected(validatePatch(task(), { title: "New" }, [linked.candid()])), [
      "title read-only-at-vendor candid",
    ])
  })

  it("every change to a fulfilled Spry request", () => {
    const patch = { description: "call again", priority: "high" as const }
    assert.deepStrictEqual(rejected(validatePatch(task(), patch, [linked.spry("FULFILLED")])), [
      "description terminal-state spry",
      "priority terminal-state spry",
    ])
  })

  it("a status change to a canonical status the vendor cannot hold (Candid has no cancelled)", () => {
    assert.deepStrictEqual(rejected(validatePatch(task(), { status: "cancelled" }, [linked.candid()])), [
      "status forbidden-transition candid",
    ])
  })

  it("a status change out of a terminal vendor status", () => {
    assert.deepStrictEqual(
      rejected(validatePatch(task({ status: "done" }), { status: "open" }, [linked.candid("finished")])),
      ["status terminal-state candid"],
    )
  })

  it("a deprecated Candid status named explicitly", () => {
    const patch = { vendorStatus: { connectionId: ConnectionId.make("conn-candid"), name: "sent_to_provider_group" } }
    assert.deepStrictEqual(rejected(validatePatch(task(), patch, [linked.candid()])), [
      "status forbidden-transition candid",
    ])
  })

  it("a vendor status given by both name and position", () => {
    const patch = { vendorStatus: { connectionId: ConnectionId.make("conn-vambe"), name: "Pendiente", position: 0 } }
    assert.deepStrictEqual(rejected(validatePatch(task(), patch, [linked.vambe()])), [
      "vendorStatus name-xor-position vambe",
    ])
  })

  it("a position for a vendor that addresses statuses by name only, and an unknown status name", () => {
    const byPosition = { vendorStatus: { connectionId: ConnectionId.make("conn-candid"), position: 2 } }
    assert.deepStrictEqual(rejected(validatePatch(task(), byPosition, [linked.candid()])), [
      "vendorStatus name-xor-position candid",
    ])
    const unknown = { vendorStatus: { connectionId: ConnectionId.make("conn-vambe"), name: "Archivado" } }
    assert.deepStrictEqual(rejected(validatePatch(task(), unknown, [linked.vambe()])), [
      "vendorStatus unknown-vendor-status vambe",
    ])
  })

  it("a vendor status for a connection the task is not linked to", () => {
    const patch = { vendorStatus: { connectionId: ConnectionId.make("conn-other"), name: "x" } }
    assert.deepStrictEqual(rejected(validatePatch(task(), patch, [linked.vambe()])), [
      "vendorStatus unknown-connection -",
    ])
  })

  it("two assignees for a single-assignee vendor and a queue where only users can be assigned", () => {
    const two = { assignees: [user("u1"), user("u2")] }
    assert.deepStrictEqual(rejected(validatePatch(task(), two, [linked.candid()])), [
      "assignees single-assignee candid",
    ])
    const queue = { assignees: [Assignee.cases.Queue.make({ id: "q-billing" })] }
    assert.deepStrictEqual(rejected(validatePatch(task(), queue, [linked.vambe()])), ["assignees assignee-kind vambe"])
  })

  it("a priority or due form the vendor cannot hold, instead of clamping it", () => {
    assert.deepStrictEqual(rejected(validatePatch(task(), { priority: "urgent" }, [linked.vambe()])), [
      "priority not-representable vambe",
    ])
    const allDay = { due: { _tag: "AllDay" as const, date: "2026-12-01" } }
    const decoded = Schema.decodeUnknownSync(TaskPatch)(allDay)
    assert.deepStrictEqual(rejected(validatePatch(task(), decoded, [linked.spry()])), ["due not-representable spry"])
  })

  it("a canonical jump the lifecycle forbids (done straight to in progress)", () => {
    assert.deepStrictEqual(rejected(validatePatch(task({ status: "done" }), { status: "in_progress" }, [])), [
      "status forbidden-transition -",
    ])
  })

  it("every broken rule at once, across every linked vendor", () => {
    const patch = { title: "", priority: "urgent" as const, status: "cancelled" as const }
    assert.deepStrictEqual(rejected(validatePatch(task(), patch, [linked.candid(), linked.vambe()])), [
      "title non-empty -",
      "priority read-only-at-vendor candid",
      "priority not-representable candid",
      "status forbidden-transition candid",
      "priority not-representable vambe",
      "status forbidden-transition vambe",
    ])
  })

  it("Candid-only fields on a task with no Candid link", () => {
    const patch = { extension: { _tag: "candid" as const, blocksClaimSubmission: false } }
    assert.deepStrictEqual(rejected(validatePatch(task(), patch, [linked.vambe()])), ["extension unknown-connection -"])
  })
})

// Patches without vendor-status addressing, so most generated patches are decided by field capabilities alone.
const FieldPatch = TaskPatch.mapFields(({ vendorStatus: _, extension: __, ...rest }) => rest)

describe("validatePatch properties", () => {
  it.prop(
    "never accepts a change to a field that a linked vendor does not hold writable",
    [FieldPatch, Capabilities, Capabilities],
    ([patch, a, b]) => {
      const vendors: Array<LinkedVendor> = [
        { link: link("candid", "open"), capabilities: a, scheme: candidScheme() },
        { link: link("vambe", "open"), capabilities: b, scheme: candidScheme() },
      ]
      const result = validatePatch(task(), patch, vendors)
      if (Result.isFailure(result)) return true
      return result.success.changed.every(
        (field) => field === "status" || vendors.every((v) => v.capabilities.fields[field] === "writable"),
      )
    },
  )
})
