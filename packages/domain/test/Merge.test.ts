// Three-way merge: the laws (one-sided edits win, identical edits agree, disjoint edits never conflict) as
// properties over generated records, and each field policy and the set merge as worked examples.
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Equal, Schema } from "effect"
import { type FieldPolicy, merge, sameValue } from "../src/Merge.ts"
import { TaskFields } from "../src/Task.ts"

const Rec = Schema.Struct({
  title: Schema.String,
  status: Schema.Literals(["open", "done"]),
  priority: Schema.Int,
  tags: Schema.Array(Schema.String),
})
type Rec = typeof Rec.Type
const Policy = Schema.Literals(["remote-wins", "local-wins", "newest-wins", "manual"])
const fields = ["title", "status", "priority", "tags"] as const

const options = (policy: FieldPolicy) => ({ policy: {}, defaultPolicy: policy })

// Laws compare with Equal (what the merge itself uses), so generated -0 and +0 count as the same value.
describe("merge laws", () => {
  it.prop(
    "an untouched remote yields the local record, without conflicts",
    [Rec, Rec, Policy],
    ([base, local, policy]) => {
      const result = merge(base, local, base, options(policy))
      assert.isTrue(Equal.equals(result.merged, local))
      assert.deepStrictEqual(result.conflicts, [])
    },
  )

  it.prop(
    "an untouched local yields the remote record, without conflicts",
    [Rec, Rec, Policy],
    ([base, remote, policy]) => {
      const result = merge(base, base, remote, options(policy))
      assert.isTrue(Equal.equals(result.merged, remote))
      assert.deepStrictEqual(result.conflicts, [])
    },
  )

  it.prop("identical edits on both sides are not a conflict", [Rec, Rec, Policy], ([base, edited, policy]) => {
    const result = merge(base, edited, edited, options(policy))
    assert.isTrue(Equal.equals(result.merged, edited))
    assert.deepStrictEqual(result.conflicts, [])
  })

  it.prop(
    "edits to disjoint fields merge into both and never conflict",
    [Rec, Rec, Rec, Schema.Array(Schema.Literals(fields)), Policy],
    ([base, a, b, localFields, policy]) => {
      const local: Record<string, unknown> = { ...base }
      const remote: Record<string, unknown> = { ...base }
      for (const f of fields) {
        if (localFields.includes(f)) local[f] = a[f]
        else remote[f] = b[f]
      }
      const result = merge<Record<string, unknown>>(base, local, remote, options(policy))
      assert.deepStrictEqual(result.conflicts, [])
      for (const f of fields) assert.isTrue(Equal.equals(result.merged[f], localFields.includes(f) ? a[f] : b[f]))
    },
  )
})

describe("overlapping edits follow the field's policy", () => {
  const base: Rec = { title: "Base", status: "open", priority: 1, tags: ["a", "b"] }
  const local: Rec = { ...base, title: "Local", priority: 2 }
  const remote: Rec = { ...base, title: "Remote", priority: 3 }

  it("remote-wins and local-wins pick their side without a conflict", () => {
    const result = merge(base, local, remote, { policy: { title: "remote-wins" }, defaultPolicy: "local-wins" })
    assert.deepStrictEqual(result.merged, { ...base, title: "Remote", priority: 2 })
    assert.deepStrictEqual(result.conflicts, [])
  })

  it("manual records a conflict with base, local and remote and keeps the local value meanwhile", () => {
    const result = merge(base, local, remote, { policy: { priority: "remote-wins" }, defaultPolicy: "manual" })
    assert.deepStrictEqual(result.merged.title, "Local")
    assert.deepStrictEqual(result.merged.priority, 3)
    assert.deepStrictEqual(result.conflicts, [{ field: "title", base: "Base", local: "Local", remote: "Remote" }])
  })

  it("newest-wins takes the later side, the vendor on a tie, and conflicts without timestamps", () => {
    const early = DateTime.makeUnsafe("2026-01-01T00:00:00Z")
    const late = DateTime.makeUnsafe("2026-01-02T00:00:00Z")
    const newest = { policy: {}, defaultPolicy: "newest-wins" as const }
    assert.strictEqual(
      merge(base, local, remote, { ...newest, localUpdatedAt: late, remoteUpdatedAt: early }).merged.title,
      "Local",
    )
    assert.strictEqual(
      merge(base, local, remote, { ...newest, localUpdatedAt: early, remoteUpdatedAt: late }).merged.title,
      "Remote",
    )
    assert.strictEqual(
      merge(base, local, remote, { ...newest, localUpdatedAt: late, remoteUpdatedAt: late }).merged.title,
      "Remote",
    )
    assert.deepStrictEqual(
      merge(base, local, remote, newest).conflicts.map((c) => c.field),
      ["title", "priority"],
    )
  })

  it("merges list fields as sets where the vendor allows: both sides' adds and removes apply", () => {
    const l: Rec = { ...base, tags: ["a", "b", "x"] } // added x
    const r: Rec = { ...base, tags: ["b", "y"] } // removed a, added y
    const asSet = merge(base, l, r, { policy: {}, defaultPolicy: "manual", setFields: ["tags"] })
    assert.deepStrictEqual(asSet.merged.tags, ["b", "x", "y"])
    assert.deepStrictEqual(asSet.conflicts, [])
    const asValue = merge(base, l, r, { policy: {}, defaultPolicy: "manual" })
    assert.deepStrictEqual(
      asValue.conflicts.map((c) => c.field),
      ["tags"],
    )
  })
})

describe("sameValue", () => {
  const copy = (fields: TaskFields) =>
    Schema.decodeSync(Schema.toCodecJson(TaskFields))(Schema.encodeSync(Schema.toCodecJson(TaskFields))(fields))
  it.prop(
    "answers as Equal.equals does for every task field, between two tasks and between a task and its copy",
    [TaskFields, TaskFields],
    ([a, b]) => {
      const twin = copy(a)
      for (const field of Object.keys(TaskFields.fields) as Array<keyof TaskFields>) {
        assert.strictEqual(sameValue(a[field], b[field]), Equal.equals(a[field], b[field]), field)
        assert.isTrue(sameValue(a[field], twin[field]), `${field} and its copy`)
      }
    },
  )

  it("tells apart what differs anywhere inside, and treats NaN as NaN", () => {
    assert.isFalse(sameValue([{ a: 1, b: [1, 2] }], [{ a: 1, b: [1, 3] }]))
    assert.isFalse(sameValue({ a: 1 }, { a: 1, b: undefined }))
    assert.isFalse(sameValue({ a: 1, b: undefined }, { a: 1, c: undefined }))
    assert.isFalse(sameValue([1], { 0: 1 }))
    assert.isTrue(sameValue(Number.NaN, Number.NaN))
    const at = DateTime.makeUnsafe("2026-12-02T10:00:00Z")
    assert.isTrue(
      sameValue({ _tag: "Instant", at }, { _tag: "Instant", at: DateTime.makeUnsafe(at.epochMilliseconds) }),
    )
    assert.isFalse(sameValue({ _tag: "Instant", at }, { _tag: "Instant", at: DateTime.add(at, { seconds: 1 }) }))
  })
})
