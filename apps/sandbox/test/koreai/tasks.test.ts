// The Kore.ai emulator's updateTask over real HTTP: any documented subset of fields merged, references checked against
// the account's configuration (unknown or inactive → 400), `dueDate` in epoch ms, and who and when it was updated.
import { describe, expect, it } from "vitest"
import type { Task } from "../../src/koreai/Model.ts"
import { account, accountApi, type ErrorBody, type Koreai, useKoreai, type WireTask } from "./support.ts"

const koreai = useKoreai()

const firstTask = (k: Koreai, index = 0): Task => {
  const task = k.state().store.tasksOf(index)[0]
  if (task === undefined) throw new Error("no task")
  return task
}

const update = (k: Koreai, id: string, body: unknown, index = 0) =>
  accountApi(k, index).post<WireTask & ErrorBody>(`updateTask/${id}`, body)

const refused = async (k: Koreai, id: string, body: unknown) => {
  const answer = await update(k, id, body)
  expect(answer.status).toBe(400)
  expect(answer.body.errors[0]?.code).toBe(400)
  return answer.body.errors[0]?.msg
}

describe("POST …/updateTask/{taskId}", () => {
  it("merges a partial body, keeps every other field, and moves updatedAt, timestampValue and updatedBy", async () => {
    const k = await koreai()
    const task = firstTask(k)
    const before = { name: task.name, status: task.statusId, createdAt: task.createdAt, updatedAt: task.updatedAt }
    k.control.clock.advance(5_000)
    const sent = k.control.clock.now()
    const { status, body } = await update(k, task._id, { desc: "Patient called back", tags: ["callback"] })
    expect(status).toBe(200)
    expect(body).toMatchObject({ _id: task._id, desc: "Patient called back", tags: ["callback"], name: before.name })
    expect(body.status._id).toBe(before.status)
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(sent)
    expect(Date.parse(body.updatedAt)).toBeLessThanOrEqual(k.control.clock.now())
    expect(body.timestampValue).toBe(Date.parse(body.updatedAt))
    expect(body.createdAt).toBe(new Date(before.createdAt).toISOString())
    expect(body.updatedBy._id).toBe(account(k).apiUser._id)
  })

  it("renames (lname follows), sets dueDate in epoch ms and clears it with null", async () => {
    const k = await koreai()
    const task = firstTask(k)
    const due = Date.UTC(2026, 3, 2, 15, 30)
    const renamed = await update(k, task._id, { name: "Call Pharmacy", dueDate: due })
    expect(renamed.body).toMatchObject({ name: "Call Pharmacy", lname: "call pharmacy", dueDate: due })
    expect((await update(k, task._id, { dueDate: null })).body.dueDate).toBeNull()
  })

  it("takes status and priority as {_id} or as the whole object and answers the configured object", async () => {
    const k = await koreai()
    const task = firstTask(k)
    const org = account(k)
    const escalated = org.statuses.find((s) => s.name === "Escalated")
    const high = org.priorities.find((p) => p.name === "High")
    const byId = await update(k, task._id, { status: { _id: escalated?._id }, priority: { _id: high?._id } })
    expect(byId.status).toBe(200)
    expect(byId.body.status).toEqual(escalated)
    expect(byId.body.priority).toEqual(high)
    const resolved = org.statuses.find((s) => s.statusCategory === "resolved")
    // A client echoing the object it read (with a stale name) still lands on the configured status.
    const whole = await update(k, task._id, { status: { ...resolved, name: "Stale name" } })
    expect(whole.body.status).toEqual(resolved)
  })

  it("refuses an unknown status or priority, and an inactive one, with 400 and changes nothing", async () => {
    const k = await koreai()
    const task = firstTask(k)
    const org = account(k)
    const snapshot = JSON.stringify(task)
    const legacy = org.statuses.find((s) => !s.isActive)
    const deprecated = org.priorities.find((p) => !p.isActive)
    expect(await refused(k, task._id, { name: "x", status: { _id: "sts-nope" } })).toBe(
      "Invalid status: sts-nope is not configured for this account",
    )
    expect(await refused(k, task._id, { status: { _id: legacy?._id } })).toBe(
      "Invalid status: 'Legacy Review' is inactive",
    )
    expect(await refused(k, task._id, { priority: { _id: "pr-nope" } })).toBe(
      "Invalid priority: pr-nope is not configured for this account",
    )
    expect(await refused(k, task._id, { priority: { _id: deprecated?._id } })).toBe(
      "Invalid priority: 'Deprecated Urgent' is inactive",
    )
    const other = account(k, 1).statuses[0]
    expect(await refused(k, task._id, { status: { _id: other?._id } })).toMatch(/is not configured for this account/)
    expect(JSON.stringify(task)).toBe(snapshot)
  })

  it("refuses a status or priority that is not an object with an _id", async () => {
    const k = await koreai()
    const task = firstTask(k)
    expect(await refused(k, task._id, { status: "Open" })).toBe("status must be an object")
    expect(await refused(k, task._id, { priority: { name: "High" } })).toBe("priority must be an object with an _id")
  })

  it("assigns an agent (assigneeType agent), hands over to a queue, and unassigns with {} or null", async () => {
    const k = await koreai()
    const task = firstTask(k)
    const org = account(k)
    const agent = org.agents[2]
    const queue = org.queues[1]
    const assigned = await update(k, task._id, { currAssignee: { _id: agent?._id } })
    expect(assigned.body.currAssignee).toEqual(agent)
    expect(assigned.body.assigneeType).toBe("agent")
    const queued = await update(k, task._id, { currAssignee: {}, queues: [{ _id: queue?._id }] })
    expect(queued.body.currAssignee).toEqual({})
    expect(queued.body.queues).toEqual([queue])
    expect(queued.body.assigneeType).toBe("queue")
    const bare = await update(k, task._id, { queues: [] })
    expect(bare.body.assigneeType).toBe("unassigned")
    await update(k, task._id, { currAssignee: { _id: agent?._id } })
    expect((await update(k, task._id, { currAssignee: null })).body.currAssignee).toEqual({})
    expect(await refused(k, task._id, { currAssignee: { _id: "u-nobody" } })).toMatch(/not an agent of this account/)
    expect(await refused(k, task._id, { queues: ["qu-nowhere"] })).toMatch(/not a queue of this account/)
  })

  it("refuses wrong types, unknown fields and a fractional dueDate with 400 naming the field", async () => {
    const k = await koreai()
    const id = firstTask(k)._id
    expect(await refused(k, id, { name: 5 })).toBe("name must be a string")
    expect(await refused(k, id, { tags: "a" })).toBe("tags must be an array")
    expect(await refused(k, id, { isBreached: "yes" })).toBe("isBreached must be a boolean")
    expect(await refused(k, id, { dueDate: "2026-04-01" })).toBe("dueDate must be a number")
    expect(await refused(k, id, { dueDate: 1.5 })).toBe("dueDate must be a timestamp in milliseconds")
    expect(await refused(k, id, { title: "x" })).toBe("title is not a task field")
    expect(await refused(k, id, { assigneeType: "robot" })).toMatch(/^assigneeType must be one of/)
    expect(await refused(k, id, { name: " " })).toBe("name must not be empty")
    expect(await refused(k, id, [1])).toBe("request body must be a JSON object")
  })

  it("stores the other documented fields as sent, and ignores the server's own (ids, timestamps)", async () => {
    const k = await koreai()
    const task = firstTask(k)
    const body = {
      ETA: "2026-04-01T10:00:00.000Z",
      isBreached: true,
      channel: ["email"],
      fields: [{ key: "mrn", value: "A-1" }],
      refId: "TS999999",
      updatedAt: "2001-01-01T00:00:00.000Z",
      accountId: "someone-else",
    }
    const { body: wire } = await update(k, task._id, body)
    expect(wire).toMatchObject({ ETA: body.ETA, isBreached: true, channel: ["email"], fields: body.fields })
    expect(wire.refId).toBe(task.refId)
    expect(wire.accountId).toBe(account(k).accountId)
    expect(wire.updatedAt).not.toBe(body.updatedAt)
  })

  it("does not move updatedAt when nothing changes (an empty body or the same values)", async () => {
    const k = await koreai()
    const task = firstTask(k)
    const stamp = task.updatedAt
    k.control.clock.advance(60_000)
    expect((await update(k, task._id, {})).status).toBe(200)
    expect((await update(k, task._id, { name: task.name })).body.updatedAt).toBe(new Date(stamp).toISOString())
  })

  it("answers 404 for a task that does not exist and for another account's task", async () => {
    const k = await koreai()
    const missing = await update(k, "ti-missing", { name: "x" })
    expect(missing.status).toBe(404)
    expect(missing.body.errors[0]?.msg).toBe("Task ti-missing not found")
    const foreign = firstTask(k, 1)
    expect((await update(k, foreign._id, { name: "x" })).status).toBe(404)
    expect(foreign.name).not.toBe("x")
  })

  it("answers 400 for a body that is not JSON", async () => {
    const k = await koreai()
    const org = account(k)
    const { tokenFor } = await import("./support.ts")
    const response = await fetch(`${k.url}/caseManagement/api/public/analytics/${org.streamId}/updateTask/x`, {
      method: "POST",
      headers: { "content-type": "application/json", auth: tokenFor(org), AccountId: org.accountId },
      body: "{nope",
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as ErrorBody).errors[0]?.msg).toBe("request body is not valid JSON")
  })
})
