// The push benchmark's workload: which field an edit writes at each vendor (from its manifest) and how accepted edits
// are matched to the writes the emulators logged.
import { definitions } from "@taskbridge/vendors/Definitions"
import { describe, expect, it } from "vitest"
import { type Edit, editField, matchEdits, nextValue, type Received } from "../src/PushWorkload.ts"

const edit = (taskId: string, recordId: string, value: string, sentAt: number): Edit => ({
  vendor: "v",
  taskId,
  recordId,
  value,
  sentAt,
  acceptedAt: sentAt + 5,
  status: 200,
  staleRetries: 0,
})
const entry = (seq: number, at: number, path: string, body: unknown, method = "PATCH"): Received => ({
  seq,
  at,
  method,
  path,
  body,
})

describe("the edit field", () => {
  it("writes the description where the manifest allows it, else a user assignee", () => {
    const fields = Object.fromEntries(definitions.map((d) => [d.vendor, editField(d.manifest)]))
    expect(fields.candid).toBe("assignees")
    expect(fields.vambe).toBe("description")
    for (const d of definitions) expect(fields[d.vendor]).not.toBeNull()
  })

  it("reassigns to another user than the current one", () => {
    const plan = { vendor: "candid", field: "assignees" as const, targets: [], users: ["a", "b", "c"] }
    for (let i = 0; i < 6; i++) expect(nextValue(plan, "b", i, "r")).not.toBe("b")
  })
})

describe("matching edits to vendor writes", () => {
  it("pairs an edit with the first later write of its record carrying its value, once", () => {
    const edits = [edit("t1", "r-1", "x", 1000), edit("t2", "r-2", "x", 1001)]
    const received = [
      entry(1, 990, "/tasks/r-1", { value: "x" }),
      entry(2, 1010, "/tasks/r-1", { value: "x" }, "GET"),
      entry(3, 1020, "/tasks/r-1", { value: "x" }),
      entry(4, 1030, "/cases/c-9", { escalationId: "r-2", note: "x" }),
    ]
    const { matched, unmatched } = matchEdits(edits, received)
    expect(matched.map((m) => [m.edit.taskId, m.entry.seq])).toEqual([
      ["t1", 3],
      ["t2", 4],
    ])
    expect(unmatched).toEqual([])
  })

  it("counts an edit whose value was replaced before it was pushed as superseded by the later write", () => {
    const edits = [edit("t1", "r-1", "first", 1000), edit("t1", "r-1", "second", 1100), edit("t3", "r-3", "z", 1000)]
    const { matched, superseded, unmatched } = matchEdits(edits, [entry(7, 1200, "/tasks/r-1", { d: "second" })])
    expect(matched.map((m) => m.edit.value)).toEqual(["second"])
    expect(superseded.map((m) => [m.edit.value, m.entry.seq])).toEqual([["first", 7]])
    expect(unmatched.map((e) => e.taskId)).toEqual(["t3"])
  })
})
