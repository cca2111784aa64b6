// Kore.ai mapping and configuration learning as pure functions: wire task → record (status category onto the
// canonical status, system and custom priorities by name and score, `dueDate` epoch ms, the agent and queues, the
// case as subject, the ref as locator, unknown values flagged), changes → an updateTask body of only what changed
// (status and priority by the account's `_id`s), drafts → createTask plus the follow-up change, and the learned
// configuration after a rename or a deactivation.
import { describe, expect, it } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { RecordDraft } from "@taskbridge/domain/VendorRecord"
import { DateTime, Result } from "effect"
import { fromChange, fromDraft, toRecord, type WriteContext } from "../src/Mapping.ts"
import type { Task, TaskPriority, TaskStatus } from "../src/Schema.ts"
import { initial, type Learned, learn, schemeOf } from "../src/Statuses.ts"

const status = (id: string, name: string, statusCategory: string, isActive = true): TaskStatus => ({
  _id: id,
  name,
  lname: name.toLowerCase(),
  statusCategory,
  type: "system",
  isEnabled: true,
  isActive,
})
const priority = (id: string, name: string, score: number, type = "system"): TaskPriority => ({
  _id: id,
  name,
  lname: name.toLowerCase(),
  type,
  score,
  isEnabled: true,
  isActive: true,
})

const open = status("sts-open", "Open", "open")
const working = status("sts-prog", "In Progress", "in_progress")
const legacy = status("sts-legacy", "Legacy Review", "in_progress", false)
const medium = priority("pr-med", "Medium", 10)
const critical = priority("pr-crit", "Critical", 15)
const sameDay = priority("pr-same", "Same Day", 12, "custom")

// The update doc's response sample, with README §3.4's status, priority and assignment.
const task: Task = {
  _id: "ti-73acd32-0123-4114-9891-00a950aaxxxx",
  caseId: "ci-31d9184-d64d-42d9-8c75-5edba531xxxx",
  caseRefId: "CS000108",
  taskTmp: "ttm-1",
  name: "Task Testing",
  desc: "Verify the referral",
  tags: ["payer"],
  status: open,
  priority: medium,
  refId: "TS000102",
  assigneeType: "agent",
  currAssignee: { _id: "u-ann", name: "Ann Lee", emailId: "ann@example.org" },
  queues: [{ _id: "qu-billing", name: "Billing" }],
  dueDate: 1748520000000,
  isBreached: false,
  createdAt: "2025-05-28T12:05:38.807Z",
  updatedAt: "2025-05-28T12:05:38.807Z",
}

const learned: Learned = learn({ statuses: [], priorities: [] }, [
  task,
  { ...task, _id: "ti-2", status: working, priority: critical },
  { ...task, _id: "ti-3", status: legacy, priority: sameDay },
])
const context = (): WriteContext => {
  const scheme = schemeOf(learned)
  return { learned, scheme: Result.isSuccess(scheme) ? scheme.success : null }
}

describe("Kore.ai task → record", () => {
  it("maps status category, priority, due, agent and queue, case and locator", () => {
    const record = toRecord(task)
    expect(record.version).toBe("2025-05-28T12:05:38.807Z")
    expect(record.parent).toBe("TS000102")
    expect(record.snapshot.vendorStatus).toBe("Open")
    expect(record.snapshot.fields).toMatchObject({
      title: "Task Testing",
      description: "Verify the referral",
      status: "open",
      priority: "normal",
      tags: ["payer"],
    })
    expect(record.snapshot.fields.due).toEqual({ _tag: "Instant", at: DateTime.makeUnsafe(1748520000000) })
    expect(record.snapshot.fields.assignees).toEqual([
      Assignee.cases.User.make({ id: UserId.make("u-ann") }),
      Assignee.cases.Queue.make({ id: "qu-billing", name: "Billing" }),
    ])
    expect(record.snapshot.subjects).toEqual({ case: { id: task.caseId, display: "CS000108" } })
    expect(record.snapshot.extension).toMatchObject({ _tag: "koreai", priorityId: "pr-med", statusId: "sts-open" })
    expect(record.unknownValues).toEqual([])
  })

  it("places custom priorities by score and system ones by name", () => {
    const level = (p: TaskPriority) => toRecord({ ...task, priority: p }).snapshot.fields.priority
    expect(level(critical)).toBe("urgent")
    expect(level(sameDay)).toBe("high")
    expect(level(priority("pr-r", "Routine", 3, "custom"))).toBe("low")
    // A system name wins over its score: an org may give Low a high value.
    expect(level(priority("pr-low", "Low", 14))).toBe("low")
  })

  it("flags a status category and a score it does not know, with explicit fallbacks", () => {
    const record = toRecord({
      ...task,
      status: status("sts-x", "Escalated", "escalated"),
      priority: { ...medium, score: 40 },
    })
    expect(record.snapshot.fields.status).toBe("open")
    expect(record.snapshot.fields.priority).toBe("normal")
    expect(record.unknownValues).toEqual([
      { field: "status.statusCategory", value: "escalated", fallback: "open" },
      { field: "priority.score", value: "40", fallback: "normal" },
    ])
  })

  it("reads an empty assignee, no due and a null status as unassigned, no due and open", () => {
    const record = toRecord({ ...task, currAssignee: {}, queues: [], dueDate: null, status: null, priority: null })
    expect(record.snapshot.fields.assignees).toEqual([])
    expect(record.snapshot.fields.due).toEqual({ _tag: "None" })
    expect(record.snapshot.fields.priority).toBe("none")
    expect(record.unknownValues.map((u) => u.field)).toEqual(["status.statusCategory"])
  })
})

describe("Kore.ai changes → updateTask", () => {
  const body = (change: Parameters<typeof fromChange>[1]) => fromChange(context(), change)

  it("sends only what changed, naming status and priority by the account's ids", () => {
    expect(body({ fields: { title: Title.make("Call back") } })).toEqual(Result.succeed({ name: "Call back" }))
    expect(body({ fields: { priority: "urgent" }, vendorStatus: "In Progress" })).toEqual(
      Result.succeed({ priority: { _id: "pr-crit" }, status: { _id: "sts-prog" } }),
    )
    expect(body({ fields: { priority: "high" } })).toEqual(Result.succeed({ priority: { _id: "pr-same" } }))
  })

  it("clears a description and a due, and writes a due as epoch milliseconds", () => {
    expect(body({ fields: { description: null, due: { _tag: "None" } } })).toEqual(
      Result.succeed({ desc: "", dueDate: null }),
    )
    const at = DateTime.makeUnsafe("2026-04-01T15:30:00.000Z")
    expect(body({ fields: { due: { _tag: "Instant", at } } })).toEqual(
      Result.succeed({ dueDate: DateTime.toEpochMillis(at) }),
    )
  })

  it("replaces the assignment whole: one agent (or none) and the queues", () => {
    const assignees = [Assignee.cases.User.make({ id: UserId.make("u-bo") }), Assignee.cases.Queue.make({ id: "qu-1" })]
    expect(body({ fields: { assignees } })).toEqual(Result.succeed({ currAssignee: { _id: "u-bo" }, queues: ["qu-1"] }))
    expect(body({ fields: { assignees: [] } })).toEqual(Result.succeed({ currAssignee: {}, queues: [] }))
  })

  it("refuses an inactive or unknown status, a level the account cannot hold and an empty change", () => {
    const refused = (change: Parameters<typeof fromChange>[1]) => {
      const result = body(change)
      return Result.isFailure(result) ? result.failure.reason : undefined
    }
    expect(refused({ fields: {}, vendorStatus: "Legacy Review" })).toMatchObject({
      _tag: "Validation",
      field: "status",
    })
    expect(refused({ fields: {}, vendorStatus: "Nope" })).toMatchObject({ _tag: "Validation", field: "status" })
    expect(refused({ fields: { priority: "low" } })).toMatchObject({ _tag: "Validation", field: "priority" })
    expect(refused({ fields: {} })).toMatchObject({ _tag: "Validation", field: null })
  })
})

describe("Kore.ai drafts → createTask", () => {
  const draft = (overrides: Partial<RecordDraft["snapshot"]["fields"]> = {}): RecordDraft => ({
    key: "k",
    snapshot: {
      fields: {
        title: Title.make("New task"),
        description: null,
        status: "open",
        priority: "none",
        due: { _tag: "None" },
        assignees: [],
        tags: [],
        ...overrides,
      },
      vendorStatus: "Open",
      subjects: {},
      notes: [],
      extension: {
        _tag: "koreai",
        caseId: "ci-1",
        caseRef: "CS000001",
        template: "ttm-1",
        refId: null,
        queues: [],
        assigneeType: null,
        slaBreached: false,
        priorityId: null,
        statusId: null,
      },
    },
  })

  it("creates in the case with the template, as the configured user, and sends the rest after", () => {
    const planned = fromDraft(context(), "u-api", draft({ priority: "urgent" }))
    expect(Result.isSuccess(planned)).toBe(true)
    if (Result.isSuccess(planned)) {
      expect(planned.success.body).toEqual({
        caseId: "ci-1",
        caseRefId: "CS000001",
        taskTmp: "ttm-1",
        name: "New task",
        userInfo: { _id: "u-api" },
        source: "taskbridge",
        desc: "",
      })
      expect(planned.success.then).toEqual({ fields: { priority: "urgent" }, vendorStatus: "Open" })
    }
  })

  it("refuses a draft without its case and template, or without a user to create as", () => {
    const noCase = { ...draft(), snapshot: { ...draft().snapshot, extension: null } }
    expect(Result.isFailure(fromDraft(context(), "u-api", noCase))).toBe(true)
    expect(Result.isFailure(fromDraft(context(), undefined, draft()))).toBe(true)
  })
})

describe("an account's configuration", () => {
  it("is learned from tasks, a sighting replacing the entry with its id (a rename, a deactivation)", () => {
    const renamed = learn(learned, [{ ...task, status: { ...working, name: "Working" } }])
    expect(renamed.statuses.map((s) => s.name).sort()).toEqual(["Legacy Review", "Open", "Working"])
    const scheme = schemeOf(learned)
    expect(
      Result.isSuccess(scheme) && scheme.success.statuses.find((s) => s.name === "Legacy Review")?.writeForbidden,
    ).toBe(true)
  })

  it("starts from what the options declare over what was remembered", () => {
    const declared = initial(learned, {
      statuses: [{ _id: "sts-prog", name: "In Progress", statusCategory: "on_hold" }],
    })
    expect(declared.statuses.find((s) => s._id === "sts-prog")?.statusCategory).toBe("on_hold")
    expect(declared.priorities).toEqual(learned.priorities)
  })
})
