// Single-task endpoints as a client calls them: get, create, update, actions, and Candid's error envelopes
// (403 UnauthorizedError, 404 EntityNotFoundError, 422 TaskUpdatedToDeprecatedStatusError).
import { describe, expect, it } from "vitest"
import type { WireTask } from "../src/candid/Wire.ts"
import { type Client, client, control, json, type TaskPageBody, useCandid } from "./support.ts"

const candid = useCandid()

const firstTask = async (api: Client, query = ""): Promise<WireTask> => {
  const page = await json<TaskPageBody>(await api.get(`/api/tasks/v3?limit=1${query}`))
  const task = page.items[0]
  if (task === undefined) throw new Error("no task to test with")
  return task
}

const MISSING = "00000000-0000-4000-8000-000000000000"

describe("GET /api/tasks/v3/{task_id}", () => {
  it("returns the task as listed", async () => {
    const api = await client(await candid())
    const task = await firstTask(api)
    const response = await api.get(`/api/tasks/v3/${task.task_id}`)
    expect(response.status).toBe(200)
    expect(await json(response)).toEqual(task)
  })

  it("answers 404 EntityNotFoundError with the id for an unknown task", async () => {
    const api = await client(await candid())
    const response = await api.get(`/api/tasks/v3/${MISSING}`)
    expect(response.status).toBe(404)
    expect(await json(response)).toEqual({ errorName: "EntityNotFoundError", content: { id: MISSING } })
  })

  it("answers 403 UnauthorizedError for a task of another organization", async () => {
    const sandbox = await candid()
    const theirs = await firstTask(await client(sandbox, 1))
    const response = await (await client(sandbox, 0)).get(`/api/tasks/v3/${theirs.task_id}`)
    expect(response.status).toBe(403)
    expect(await json(response)).toEqual({ errorName: "UnauthorizedError", content: { message: expect.any(String) } })
  })
})

describe("POST /api/tasks/v3", () => {
  const newTask = (encounterId: string, extra: Record<string, unknown> = {}) => ({
    encounter_id: encounterId,
    task_type: "CUSTOMER_DATA_REQUEST",
    description: "Need the referring provider NPI",
    work_queue_id: "queue-1",
    ...extra,
  })

  it("creates an open task on the encounter and lists it first", async () => {
    const api = await client(await candid())
    const existing = await firstTask(api)
    const response = await api.send("POST", "/api/tasks/v3", newTask(existing.encounter_id, { category: "other" }))
    expect(response.status).toBe(200)
    const created = await json<WireTask>(response)
    expect(created).toMatchObject({
      encounter_id: existing.encounter_id,
      task_type: "CUSTOMER_DATA_REQUEST",
      description: "Need the referring provider NPI",
      status: "open",
      category: "other",
      notes: [],
      blocks_claim_submission: false,
      patient_name: existing.patient_name,
    })
    expect(created.updated_at).toBe(created.created_at)
    expect((await firstTask(api)).task_id).toBe(created.task_id)
  })

  it("rejects a create without work_queue_id with 422", async () => {
    const api = await client(await candid())
    const { work_queue_id: _, ...body } = newTask((await firstTask(api)).encounter_id)
    const response = await api.send("POST", "/api/tasks/v3", body)
    expect(response.status).toBe(422)
    expect(await json(response)).toEqual({
      errorName: "UnprocessableEntityError",
      content: { message: "work_queue_id is required" },
    })
  })

  it("answers 404 EntityNotFoundError for an unknown encounter", async () => {
    const api = await client(await candid())
    const response = await api.send("POST", "/api/tasks/v3", newTask(MISSING))
    expect(response.status).toBe(404)
    expect(await json(response)).toEqual({ errorName: "EntityNotFoundError", content: { id: MISSING } })
  })
})

describe("PATCH /api/tasks/v3/{task_id}", () => {
  it("updates status, assignee and blocks_claim_submission and moves updated_at and agg_updated_at", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const task = await firstTask(api, "&status=open&sort=updated_at:asc")
    sandbox.control.clock.advance(5_000)
    const assignee = "3f1c2b9e-8d4a-4f6b-9c2d-1a2b3c4d5e6f"
    const patch = {
      status: "in_progress",
      assignee_user_id: assignee,
      blocks_claim_submission: !task.blocks_claim_submission,
    }
    const response = await api.send("PATCH", `/api/tasks/v3/${task.task_id}`, patch)
    expect(response.status).toBe(200)
    const updated = await json<WireTask>(response)
    expect(updated).toMatchObject({ status: "in_progress", blocks_claim_submission: !task.blocks_claim_submission })
    expect(updated.assignments.map((a) => a.assignee_user_id)).toEqual([assignee])
    expect(updated.updated_at > task.updated_at).toBe(true)
    expect(updated.agg_updated_at).toBe(updated.updated_at)
    expect(await json(await api.get(`/api/tasks/v3/${task.task_id}`))).toEqual(updated)
  })

  it("leaves updated_at alone when the PATCH changes nothing", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const task = await firstTask(api, "&status=open")
    sandbox.control.clock.advance(5_000)
    const updated = await json<WireTask>(await api.send("PATCH", `/api/tasks/v3/${task.task_id}`, { status: "open" }))
    expect(updated.updated_at).toBe(task.updated_at)
  })

  it("rejects a PATCH to a deprecated status with TaskUpdatedToDeprecatedStatusError", async () => {
    const api = await client(await candid())
    const task = await firstTask(api, "&status=open")
    const response = await api.send("PATCH", `/api/tasks/v3/${task.task_id}`, { status: "sent_to_provider_group" })
    expect(response.status).toBe(422)
    expect(await json(response)).toEqual({
      errorName: "TaskUpdatedToDeprecatedStatusError",
      content: { deprecated_status: "sent_to_provider_group" },
    })
  })

  it("uses the organization's configured deprecated statuses", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const task = await firstTask(api, "&status=open")
    const org = sandbox.state().store.orgs[0]?.organizationId
    const configured = await control(sandbox, "PATCH", `/organizations/${org}`, { deprecatedStatuses: ["blocked"] })
    expect(configured.status).toBe(200)
    const blocked = await api.send("PATCH", `/api/tasks/v3/${task.task_id}`, { status: "blocked" })
    expect(await json(blocked)).toMatchObject({ content: { deprecated_status: "blocked" } })
    const handedOff = await api.send("PATCH", `/api/tasks/v3/${task.task_id}`, { status: "sent_to_provider_group" })
    expect(handedOff.status).toBe(200)
  })

  it("rejects fields other than status, assignee_user_id and blocks_claim_submission with 422", async () => {
    const api = await client(await candid())
    const task = await firstTask(api)
    const response = await api.send("PATCH", `/api/tasks/v3/${task.task_id}`, { description: "new text" })
    expect(response.status).toBe(422)
    expect(await json(response)).toEqual({
      errorName: "UnprocessableEntityError",
      content: { message: "Unknown field(s): description" },
    })
  })

  it("answers 403 UnauthorizedError when patching another organization's task", async () => {
    const sandbox = await candid()
    const theirs = await firstTask(await client(sandbox, 1))
    const response = await (await client(sandbox, 0)).send("PATCH", `/api/tasks/v3/${theirs.task_id}`, {
      status: "open",
    })
    expect(response.status).toBe(403)
    expect(await json(response)).toMatchObject({ errorName: "UnauthorizedError" })
  })

  it("answers 404 EntityNotFoundError when patching an unknown task", async () => {
    const api = await client(await candid())
    const response = await api.send("PATCH", `/api/tasks/v3/${MISSING}`, { status: "open" })
    expect(await json(response)).toEqual({ errorName: "EntityNotFoundError", content: { id: MISSING } })
  })
})

describe("GET /api/tasks/v3/{task_id}/actions", () => {
  it("offers close_task on an open task and nothing on a finished one", async () => {
    const api = await client(await candid())
    const open = await firstTask(api, "&status=open")
    const finished = await firstTask(api, "&status=finished")
    const actions = await json<{ actions: Array<{ type: string; execution_method: { type: string } }> }>(
      await api.get(`/api/tasks/v3/${open.task_id}/actions`),
    )
    expect(actions.actions.map((action) => action.type)).toContain("close_task")
    expect(actions.actions.every((action) => action.execution_method.type === "close_task")).toBe(true)
    expect(await json(await api.get(`/api/tasks/v3/${finished.task_id}/actions`))).toEqual({ actions: [] })
  })
})

describe("POST /_sandbox/tasks/{task_id}/future-status", () => {
  it("makes a task report a status the published enum lacks, until a PATCH sets a known one", async () => {
    const emulator = await candid()
    const api = await client(emulator)
    const task = await firstTask(api)
    const set = await control(emulator, "POST", `/tasks/${task.task_id}/future-status`, {
      status: "escalated_to_payer",
    })
    expect(set.status).toBe(200)
    const read = await json<WireTask>(await api.get(`/api/tasks/v3/${task.task_id}`))
    expect(read.status).toBe("escalated_to_payer")
    expect(Date.parse(read.updated_at)).toBeGreaterThanOrEqual(Date.parse(task.updated_at))
    await api.send("PATCH", `/api/tasks/v3/${task.task_id}`, { status: "blocked" })
    expect((await json<WireTask>(await api.get(`/api/tasks/v3/${task.task_id}`))).status).toBe("blocked")
  })

  it("refuses a published status or an unknown task", async () => {
    const emulator = await candid()
    const task = await firstTask(await client(emulator))
    expect((await control(emulator, "POST", `/tasks/${task.task_id}/future-status`, { status: "open" })).status).toBe(
      400,
    )
    expect((await control(emulator, "POST", `/tasks/${MISSING}/future-status`, { status: "x" })).status).toBe(404)
  })
})
