// Kore.ai wire schemas against the update doc's examples (test/fixtures) and README §3's documented task shape.
// https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { CreateTaskBody, GetTasksRequest, GetTasksResponse, Task, UpdateTaskBody } from "../src/Schema.ts"

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"))

// README §3.4's task: status and priority objects as documented, the rest of the keys as listed there.
const documentedTask = {
  _id: "ti-73acd32-0123-4114-9891-00a950aaxxxx",
  caseId: "ci-31d9184-d64d-42d9-8c75-5edba531xxxx",
  caseRefId: "CS000108",
  name: "Verify insurance",
  status: {
    _id: "sts-599163e-b869-4532-bbb3-c76a3d08xxxx",
    name: "Open",
    lname: "open",
    statusCategory: "open",
    type: "system",
    desc: "When a new case/task is created",
    isEnabled: true,
    isActive: true,
  },
  priority: { _id: "pr-1", name: "Medium", lname: "medium", type: "system", color: "#16A34A", score: 10 },
  conversationType: "TASK",
  refId: "TS000102",
  assigneeType: "unassigned",
  createdBy: { name: "Agent", _id: "u-1", profImage: "no-avatar" },
  timestampValue: 1748433938795,
  dueDate: 1748520000000,
  isBreached: false,
  createdAt: "2025-05-28T12:05:38.807Z",
  updatedAt: "2025-05-28T12:05:38.807Z",
  currAssignee: {},
  ETA: "",
  someFutureKey: { anything: true },
}
const decodeTask = Schema.decodeUnknownSync(Task)

describe("Kore.ai Task", () => {
  it("decodes the update doc's response sample (elided with `...` in the doc; the shown fields are kept)", () => {
    const task = decodeTask(fixture("update-task.response.json"))
    expect(task._id).toBe("ti-73acd32-0123-4114-9891-00a950aaxxxx")
    expect(task.caseRefId).toBe("CS00xxxx")
    expect(task.taskTmp).toBe("jbhk")
    expect(task.lname).toBe("task testing")
    expect(task.userInfo).toEqual({ _id: "u-fd371c0a-3168-5a02-83dd-f4ba5597xxxx", name: "dummy" })
    expect(task.tags).toEqual([])
    expect(task.ETA).toBe("")
    expect(task.status).toBeUndefined()
  })

  it("decodes status and priority objects and a due date in epoch milliseconds", () => {
    const task = decodeTask(documentedTask)
    expect(task.status?.statusCategory).toBe("open")
    expect(task.priority?.score).toBe(10)
    expect(task.dueDate).toBe(1748520000000)
    expect(task.createdBy?.profImage).toBe("no-avatar")
  })

  it("tolerates keys Kore adds later by dropping them", () => {
    expect(decodeTask(documentedTask)).not.toHaveProperty("someFutureKey")
  })

  it("rejects a task without an id and an updatedAt that is not ISO 8601", () => {
    expect(() => decodeTask({ name: "x" })).toThrow(/_id/)
    expect(() => decodeTask({ ...documentedTask, updatedAt: "yesterday" })).toThrow(/ISO 8601/)
  })
})

describe("Kore.ai requests", () => {
  it("decodes the update doc's request body", () => {
    expect(Schema.decodeUnknownSync(UpdateTaskBody)(fixture("update-task.request.json"))).toEqual({
      name: "Task Testing",
    })
  })

  it("accepts a status given by id alone and rejects a due date that is not epoch milliseconds", () => {
    const decode = Schema.decodeUnknownSync(UpdateTaskBody)
    expect(decode({ status: { _id: "sts-2" }, priority: { _id: "pr-3" } }).status).toEqual({ _id: "sts-2" })
    expect(() => decode({ dueDate: "2025-06-01T00:00:00Z" })).toThrow(/dueDate/)
    expect(() => decode({ status: { name: "Open" } })).toThrow(/_id/)
  })

  it("requires create's userInfo to be a user id or a name with an email or phone", () => {
    const base = { caseId: "ci-1", caseRefId: "CS1", taskTmp: "ttm-1", name: "n", source: "rtm", desc: "d" }
    const decode = Schema.decodeUnknownSync(CreateTaskBody)
    expect(decode({ ...base, userInfo: { _id: "u-1" } }).userInfo).toEqual({ _id: "u-1" })
    expect(decode({ ...base, userInfo: { name: "Ann", emailId: "ann@example.com" } }).userInfo).toEqual({
      name: "Ann",
      emailId: "ann@example.com",
    })
    expect(() => decode({ ...base, userInfo: { name: "Ann" } })).toThrow(/userInfo/)
  })

  it("decodes a getTasks request sorted as README §3.6 shows and rejects an unknown direction", () => {
    const decode = Schema.decodeUnknownSync(GetTasksRequest)
    expect(decode({ skip: 0, limit: 50, sortBy: { dueDate: "desc" } }).sortBy).toEqual({ dueDate: "desc" })
    expect(() => decode({ sortBy: { dueDate: "down" } })).toThrow(/sortBy/)
  })
})

describe("Kore.ai getTasks response", () => {
  it("decodes results with their paging counters", () => {
    const page = Schema.decodeUnknownSync(GetTasksResponse)({
      results: [documentedTask],
      page: 1,
      limit: 10,
      hasMore: false,
      totalPages: 1,
      totalResults: 1,
    })
    expect(page.results[0]?.refId).toBe("TS000102")
    expect([page.page, page.hasMore, page.totalResults]).toEqual([1, false, 1])
  })
})
