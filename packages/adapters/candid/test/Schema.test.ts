// Candid wire schemas against the vendor's own examples (test/fixtures, copied from the update doc and README §1).
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import {
  isKnownTaskCategory,
  isKnownTaskStatus,
  TaskCategoryValues,
  TaskSortOptionValues,
  TaskStatusValues,
  TaskTypeValues,
} from "../src/internal/enums.ts"
import { ErrorEnvelope, Task, TaskActions, TaskCreateV3, TaskPage, TaskUpdateV3, TokenRequest } from "../src/Schema.ts"

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"))

const decodeTask = Schema.decodeUnknownSync(Task)
const taskExample = fixture("update-task.response.json") as Record<string, unknown>

describe("Candid Task", () => {
  it("decodes the update doc's response example with its notes, assignments and dates", () => {
    const task = decodeTask(taskExample)
    expect(task.task_id).toBe("d5e9c84f-c2b2-4bf4-b4b0-7ffd7a9ffc32")
    expect(task.task_type).toBe("CUSTOMER_DATA_REQUEST")
    expect(task.status).toBe("finished")
    expect(isKnownTaskStatus(task.status)).toBe(true)
    expect(task.notes).toHaveLength(2)
    expect(task.notes[1]?.author_organization_name).toBe("author_organization_name")
    expect(task.assignments.map((a) => a.assignee_user_id)).toEqual([
      "d5e9c84f-c2b2-4bf4-b4b0-7ffd7a9ffc32",
      "d5e9c84f-c2b2-4bf4-b4b0-7ffd7a9ffc32",
    ])
    expect(task.agg_updated_at).toBe("2024-01-15T09:30:00Z")
    expect(task.date_of_service).toBe("2023-01-15")
    expect(task.category).toBe("other")
    expect(task.configurable_rule_id).toBe("d5e9c84f-c2b2-4bf4-b4b0-7ffd7a9ffc32")
    expect("persisted_rule_id" in task).toBe(false)
  })

  it("keeps an unknown status verbatim and flags it as unknown instead of failing the decode", () => {
    const task = decodeTask({ ...taskExample, status: "escalated_to_payer", category: "brand_new_category" })
    expect(task.status).toBe("escalated_to_payer")
    expect(isKnownTaskStatus(task.status)).toBe(false)
    expect(task.category).toBe("brand_new_category")
    expect(isKnownTaskCategory("brand_new_category")).toBe(false)
  })

  it("accepts null for the optional fields, as Fern serializes them", () => {
    const task = decodeTask({ ...taskExample, payer_name: null, category: null, persisted_rule_id: null })
    expect(task.payer_name).toBeNull()
    expect(task.category).toBeNull()
    expect(task.persisted_rule_id).toBeNull()
  })

  it("rejects a date_of_service that is not a calendar date and a created_at without an offset", () => {
    expect(() => decodeTask({ ...taskExample, date_of_service: "2023-02-30" })).toThrow(/exists in the calendar/)
    expect(() => decodeTask({ ...taskExample, created_at: "2024-01-15T09:30:00" })).toThrow(/ISO 8601/)
  })

  it("decodes a page whose next token is null as the last page", () => {
    const page = Schema.decodeUnknownSync(TaskPage)({ items: [taskExample], next_page_token: null })
    expect(page.items[0]?.task_id).toBe("d5e9c84f-c2b2-4bf4-b4b0-7ffd7a9ffc32")
    expect(page.next_page_token).toBeNull()
  })

  it("decodes task actions, keeping an action type Candid added later", () => {
    const actions = Schema.decodeUnknownSync(TaskActions)({
      actions: [
        { display_name: "Close", execution_method: { type: "close_task" }, type: "close_task" },
        { display_name: "Archive", execution_method: { type: "archive" }, type: "archive_task" },
      ],
    })
    expect(actions.actions.map((a) => a.type)).toEqual(["close_task", "archive_task"])
  })
})

describe("Candid requests", () => {
  it("decodes the update doc's empty request body as an update that changes nothing", () => {
    expect(Schema.decodeUnknownSync(TaskUpdateV3)(fixture("update-task.request.json"))).toEqual({})
  })

  it("rejects an update to a status Candid does not know, since writes only send known values", () => {
    expect(() => Schema.decodeUnknownSync(TaskUpdateV3)({ status: "escalated_to_payer" })).toThrow(/status/)
    expect(Schema.decodeUnknownSync(TaskUpdateV3)({ status: "open" })).toEqual({ status: "open" })
  })

  it("requires a work_queue_id on create", () => {
    const body = { encounter_id: "d5e9c84f-c2b2-4bf4-b4b0-7ffd7a9ffc32", task_type: "ELIGIBILITY", description: "x" }
    expect(() => Schema.decodeUnknownSync(TaskCreateV3)(body)).toThrow(/work_queue_id/)
    expect(Schema.decodeUnknownSync(TaskCreateV3)({ ...body, work_queue_id: "wq-1" }).work_queue_id).toBe("wq-1")
  })

  it("decodes the README's token request body", () => {
    expect(Schema.decodeUnknownSync(TokenRequest)(fixture("token.request.json"))).toEqual({
      client_id: "...",
      client_secret: "...",
    })
  })
})

describe("Candid error envelope", () => {
  const decodeError = Schema.decodeUnknownSync(ErrorEnvelope)

  it("decodes the README's deprecated-status example, whose placeholder status reads as an unknown status", () => {
    const error = decodeError(fixture("task-updated-to-deprecated-status.error.json"))
    expect(error.errorName).toBe("TaskUpdatedToDeprecatedStatusError")
    if (error.errorName !== "TaskUpdatedToDeprecatedStatusError") throw new Error("wrong variant")
    expect(error.content.deprecated_status).toBe("<TaskStatus>")
    expect(isKnownTaskStatus(error.content.deprecated_status)).toBe(false)
  })

  it("decodes entity-not-found with its id and unauthorized without a message", () => {
    expect(decodeError({ errorName: "EntityNotFoundError", content: { id: "t-1" } })).toEqual({
      errorName: "EntityNotFoundError",
      content: { id: "t-1" },
    })
    expect(decodeError({ errorName: "UnauthorizedError", content: {} }).errorName).toBe("UnauthorizedError")
  })

  it("does not match an undeclared error name", () => {
    expect(() => decodeError({ errorName: "InternalServerError", content: {} })).toThrow()
  })
})

describe("Candid enums", () => {
  it("lists the documented number of values for each enum", () => {
    expect([TaskStatusValues.length, TaskTypeValues.length, TaskCategoryValues.length]).toEqual([7, 13, 43])
    expect(TaskSortOptionValues).toHaveLength(22)
    expect(new Set(TaskCategoryValues).size).toBe(43)
  })
})
