// The canonical task decodes once at an edge and round-trips through its encoded (JSON) form; patches keep
// absent, null and a value apart.
import { assert, describe, it } from "@effect/vitest"
import { Equal, Schema } from "effect"
import { TaskPatch } from "../src/Patch.ts"
import { Task } from "../src/Task.ts"
import { IsoDateTime } from "../src/Wire.ts"

// Effect 4 models instants as DateTime values; `toCodecJson` derives the JSON form (ISO strings) used at edges.
const TaskJson = Schema.toCodecJson(Task)

describe("Task", () => {
  it.prop("survives an encode to JSON and a decode back", [Task], ([task]) => {
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(TaskJson)(task)))
    return Equal.equals(Schema.decodeUnknownSync(TaskJson)(json), task)
  })

  it("refuses a blank or padded title at the edge", () => {
    assert.strictEqual(Schema.decodeUnknownSync(TaskJson)(sample).title, "Resolve denial")
    assert.throws(() => Schema.decodeUnknownSync(TaskJson)({ ...sample, title: "" }), /title/)
    assert.throws(() => Schema.decodeUnknownSync(TaskJson)({ ...sample, title: " padded " }), /title/)
  })
})

describe("TaskPatch", () => {
  it("keeps absent, null and a value apart", () => {
    const decode = Schema.decodeUnknownSync(TaskPatch)
    assert.isFalse("due" in decode({}))
    assert.deepStrictEqual(decode({ due: null }), { due: null })
    const due = decode({ due: { _tag: "AllDay", date: "2026-12-01" } }).due
    assert.strictEqual(due?._tag === "AllDay" ? due.date : undefined, "2026-12-01")
  })

  it("refuses a field of the wrong type naming the field", () => {
    assert.throws(() => Schema.decodeUnknownSync(TaskPatch)({ priority: "very high" }), /priority/)
  })
})

const sample = {
  id: "task-1",
  organizationId: "org-1",
  kind: "task",
  title: "Resolve denial",
  description: null,
  status: "open",
  priority: "normal",
  due: { _tag: "None" },
  assignees: [{ _tag: "User", id: "u-1" }],
  tags: [],
  closedAt: null,
  subjects: { patient: { id: "p-1", display: "Jane Doe" } },
  notes: [],
  links: [],
  createdAt: "2026-11-01T10:00:00.000Z",
  updatedAt: "2026-11-01T10:00:00.000Z",
  deletedAt: null,
  version: 0,
}

describe("wire formats", () => {
  it("accepts calendar days in every four-digit year, including 0001–0099, and refuses days that do not exist", () => {
    const decode = Schema.decodeUnknownSync(IsoDateTime)
    assert.strictEqual(decode("0099-12-31T23:59:59.999Z"), "0099-12-31T23:59:59.999Z")
    assert.strictEqual(decode("2024-02-29T09:30:00.123456+0530"), "2024-02-29T09:30:00.123456+0530")
    assert.throws(() => decode("2023-02-29T09:30:00Z"), /ISO 8601/)
    assert.throws(() => decode("2023-01-15T09:30:00"), /ISO 8601/)
  })
})
