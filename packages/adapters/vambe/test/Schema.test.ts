// Vambe wire schemas against the vendor docs. The update doc's "Example Request/Response" sections arrived without
// their JSON, so the only verbatim example is README §2.3's delete response; tasks are built from the field tables.
// https://docs.vambe.me/reference/tasks/update-task
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import {
  CreateTaskBody,
  DeleteTaskResponse,
  isKnownStatusConfigType,
  Task,
  TaskList,
  TeamMemberList,
  UpdateTaskBody,
} from "../src/Schema.ts"

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"))

// Every field of the update doc's Task Object table, with the example values the doc gives in prose.
const documentedTask = {
  id: "0f8fad5b-d9cb-469f-a165-70867728950e",
  title: "Call back about the quote",
  description: "Customer asked for a new quote",
  due_timezone: "America/Santiago",
  due_at: "2025-06-15T14:30:00.000Z",
  is_all_day: false,
  created_at: "2025-06-01T12:00:00.000Z",
  ai_contact_id: null,
  ai_customer_id: "cust-1",
  task_status_config_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
  priority: 2,
  creator_id: "6fa459ea-ee8a-3ca4-894e-db77e160355e",
  task_responsibles: [{ responsible_id: "6fa459ea-ee8a-3ca4-894e-db77e160355e" }],
  status_config: {
    id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    name: "Pendiente",
    color: "#60a5fa",
    type: "initial",
    order: 0,
  },
}
const decodeTask = Schema.decodeUnknownSync(Task)
const decodeUpdate = Schema.decodeUnknownSync(UpdateTaskBody)

describe("Vambe Task", () => {
  it("decodes a task with every documented field and a known status type", () => {
    const task = decodeTask(documentedTask)
    expect(task.priority).toBe(2)
    expect(task.due_at).toBe("2025-06-15T14:30:00.000Z")
    expect(task.task_responsibles[0]?.responsible_id).toBe("6fa459ea-ee8a-3ca4-894e-db77e160355e")
    expect(task.status_config?.name).toBe("Pendiente")
    expect(isKnownStatusConfigType(task.status_config?.type ?? "")).toBe(true)
  })

  it("accepts priority in all three documented forms and rejects an undocumented one", () => {
    expect(decodeTask({ ...documentedTask, priority: "high" }).priority).toBe("high")
    expect(decodeTask({ ...documentedTask, priority: "1" }).priority).toBe("1")
    expect(() => decodeTask({ ...documentedTask, priority: 3 })).toThrow(/priority/)
  })

  it("keeps an unknown status type and drops undocumented status_config keys", () => {
    const status_config = { ...documentedTask.status_config, type: "archived", is_default: true }
    const task = decodeTask({ ...documentedTask, status_config })
    expect(task.status_config?.type).toBe("archived")
    expect(isKnownStatusConfigType("archived")).toBe(false)
    expect(task.status_config).not.toHaveProperty("is_default")
  })

  it("decodes a task without status, due date or description", () => {
    const bare = {
      ...documentedTask,
      status_config: null,
      task_status_config_id: null,
      due_at: null,
      description: null,
    }
    const [task] = Schema.decodeUnknownSync(TaskList)([bare])
    expect(task?.status_config).toBeNull()
    expect(task?.due_at).toBeNull()
  })
})

describe("Vambe update body", () => {
  it("rejects a body that sets both newStatusName and newStatusPosition, naming both fields", () => {
    const decode = () => decodeUpdate({ newStatusName: "Completado", newStatusPosition: 3 })
    expect(decode).toThrow(/newStatusName/)
    expect(decode).toThrow(/newStatusPosition/)
  })

  it("accepts a status change by name alone or by position alone", () => {
    expect(decodeUpdate({ newStatusName: "En Progreso" })).toEqual({ newStatusName: "En Progreso" })
    expect(decodeUpdate({ newStatusPosition: 0 })).toEqual({ newStatusPosition: 0 })
  })

  it("accepts null to clear the due date, description and contact links", () => {
    const body = decodeUpdate({ dueDate: null, dueTime: null, timezone: null, description: null, aiContactId: null })
    expect(body.dueDate).toBeNull()
    expect(body.description).toBeNull()
  })

  it("accepts a due date as a plain date or a full date-time with a HH:MM time", () => {
    expect(decodeUpdate({ dueDate: "2025-06-30", dueTime: "14:30", timezone: "America/Santiago" }).dueTime).toBe(
      "14:30",
    )
    expect(decodeUpdate({ dueDate: "2025-06-30T14:30:00Z" }).dueDate).toBe("2025-06-30T14:30:00Z")
    expect(() => decodeUpdate({ dueTime: "2:30pm" })).toThrow(/HH:MM/)
  })

  it("rejects an empty title and a priority sent as a number or a word", () => {
    expect(() => decodeUpdate({ title: "" })).toThrow(/title/)
    expect(() => decodeUpdate({ priority: 2 })).toThrow(/priority/)
    expect(() => decodeUpdate({ priority: "high" })).toThrow(/priority/)
    expect(decodeUpdate({ priority: "2" }).priority).toBe("2")
  })
})

describe("Vambe create body and other responses", () => {
  const create = { title: "Follow up", responsibleIds: ["6fa459ea-ee8a-3ca4-894e-db77e160355e"], priority: "1" }

  it("requires a timezone when a due time is given", () => {
    expect(() => Schema.decodeUnknownSync(CreateTaskBody)({ ...create, dueTime: "09:00" })).toThrow(/timezone/)
    const body = Schema.decodeUnknownSync(CreateTaskBody)({ ...create, dueTime: "09:00", timezone: "America/Santiago" })
    expect(body.timezone).toBe("America/Santiago")
  })

  it("rejects responsible ids that are not UUIDs", () => {
    expect(() => Schema.decodeUnknownSync(CreateTaskBody)({ ...create, responsibleIds: ["bob"] })).toThrow()
  })

  it("decodes the README's delete response", () => {
    expect(Schema.decodeUnknownSync(DeleteTaskResponse)(fixture("delete-task.response.json"))).toEqual({
      status: "success",
    })
  })

  it("decodes team members whose phone is missing or null", () => {
    const members = Schema.decodeUnknownSync(TeamMemberList)([
      { id: "u-1", name: "Ana Soto", first_name: "Ana", last_name: "Soto", email: "ana@example.com", phone: null },
      { id: "u-2", name: "Luis" },
    ])
    expect(members.map((m) => m.id)).toEqual(["u-1", "u-2"])
    expect(members[0]?.phone).toBeNull()
  })
})
