// Kore.ai agent activity and control routes over real HTTP: each kind of agent edit, agents over sandbox time, an edit
// on demand, the account view tests connect with, and the status / priority configuration an admin changes.
import { describe, expect, it } from "vitest"
import { account, accountApi, type Koreai, type TaskPage, useKoreai, type WireTask } from "./support.ts"

const koreai = useKoreai()

const control = async <T>(k: Koreai, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${k.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as T }
}

describe("Kore.ai agent activity", () => {
  it("names its kinds and applies each to a task, changing it and stamping the agent and the sandbox time", async () => {
    const k = await koreai()
    expect(k.control.activity.kinds).toEqual(["status", "priority", "assign", "due", "rename", "create"])
    const task = k.state().store.tasksOf(0)[5]
    for (const kind of ["status", "priority", "assign", "due", "rename"]) {
      const before = JSON.stringify(task)
      k.control.clock.advance(60_000)
      const [event] = k.control.activity.step(1, { kinds: [kind], id: task?._id })
      expect(event).toMatchObject({ kind, id: task?._id })
      expect(JSON.stringify(task)).not.toBe(before)
      expect(task?.updatedAt).toBeGreaterThanOrEqual(k.control.clock.now() - 1000)
      const agents = account(k).agents.map((a) => a._id)
      expect(agents).toContain(task?.updatedBy._id)
    }
  })

  it("only ever moves tasks to active statuses and priorities", async () => {
    const k = await koreai()
    k.control.activity.step(200, { kinds: ["status", "priority"] })
    const store = k.state().store
    for (const org of store.orgs) {
      for (const task of store.tasksOf(org.index)) {
        expect(store.status(task)?.isActive).toBe(true)
        expect(store.priority(task)?.isActive).toBe(true)
      }
    }
  })

  it("creates tasks in existing cases, numbered after the seeded ones", async () => {
    const k = await koreai()
    const [event] = k.control.activity.step(1, { kinds: ["create"] })
    const task = k.state().store.task(event?.id ?? "")
    expect(task?._id).toMatch(/^ti-/)
    expect(k.state().store.kase(task?.caseId ?? "")?.taskIds).toContain(task?._id)
    expect(Number(task?.refId.slice(2))).toBe(k.state().store.tasksOf(task?.org ?? 0).length)
  })

  it("shows an agent's edit first in an updatedAt-desc scan, with the agent as updatedBy", async () => {
    const k = await koreai()
    k.control.clock.advance(3_600_000)
    const [event] = k.control.activity.step(1, { kinds: ["rename"] })
    const owner = k.state().store.task(event?.id ?? "")?.org ?? 0
    const page = await accountApi(k, owner).post<TaskPage>("getTasks", { limit: 1, sortBy: { updatedAt: "desc" } })
    expect(page.body.results[0]?._id).toBe(event?.id)
    expect(page.body.results[0]?.updatedBy._id).toBe(event?.detail?.agent)
  })

  it("runs on a timer through the control API and stops", async () => {
    const k = await koreai()
    expect((await control(k, "POST", "/activity", { ratePerSecond: 200 })).body).toMatchObject({ running: true })
    await new Promise((resolve) => setTimeout(resolve, 150))
    const stopped = await control<{ running: boolean; applied: number }>(k, "DELETE", "/activity")
    expect(stopped.body.running).toBe(false)
    expect(stopped.body.applied).toBeGreaterThan(0)
  })

  it("is the same edits for the same seed after a reset", async () => {
    const k = await koreai()
    const first = k.control.activity.step(5).map((e) => [e.kind, e.id])
    k.control.reset()
    expect(k.control.activity.step(5).map((e) => [e.kind, e.id])).toEqual(first)
  })
})

describe("Kore.ai agents over sandbox time", () => {
  it("apply the edits due as the clock moves, each at its own time, before the next request is served", async () => {
    const k = await koreai()
    expect((await control(k, "GET", "/agents")).body).toEqual({ editsPerHour: 0, applied: 0, nextEditAt: null })
    const started = k.control.clock.now()
    const on = await control<{ editsPerHour: number; nextEditAt: number }>(k, "POST", "/agents", { editsPerHour: 60 })
    expect(on.body.editsPerHour).toBe(60)
    expect(on.body.nextEditAt).toBeGreaterThanOrEqual(started + 60_000)
    k.control.clock.advance(3_600_000)
    // Nothing happens until a request comes: the edits are applied lazily, then all of them at once.
    expect((await control<{ applied: number }>(k, "GET", "/agents")).body.applied).toBe(0)
    const page = await accountApi(k).post<TaskPage>("getTasks", { limit: 100, sortBy: { updatedAt: "desc" } })
    const status = await control<{ applied: number }>(k, "GET", "/agents")
    expect(status.body.applied).toBe(60)
    const recent = page.body.results.map((t) => Date.parse(t.updatedAt)).filter((at) => at > started)
    expect(recent.length).toBeGreaterThan(10)
    expect(recent.every((at) => at <= k.control.clock.now())).toBe(true)
    // Edits a minute apart keep their own times rather than all landing at the moment of the request.
    expect(new Set(recent).size).toBe(recent.length)
    const agents = account(k).agents.map((a) => a._id)
    expect(
      page.body.results.filter((t) => Date.parse(t.updatedAt) > started).every((t) => agents.includes(t.updatedBy._id)),
    ).toBe(true)
  })

  it("stop with editsPerHour 0 and refuse a negative pace", async () => {
    const k = await koreai()
    await control(k, "POST", "/agents", { editsPerHour: 120 })
    expect((await control(k, "POST", "/agents", { editsPerHour: 0 })).body).toMatchObject({ nextEditAt: null })
    k.control.clock.advance(3_600_000)
    await accountApi(k).post("getTasks", {})
    expect((await control<{ applied: number }>(k, "GET", "/agents")).body.applied).toBe(0)
    expect((await control(k, "POST", "/agents", { editsPerHour: -1 })).status).toBe(400)
  })
})

describe("Kore.ai control routes", () => {
  it("shows each account's ids, JWT apps, statuses, priorities, queues, agents and templates", async () => {
    const k = await koreai()
    const org = account(k)
    const info = await control<{ credentials: Array<Record<string, unknown>> }>(k, "GET", "")
    expect(info.body.credentials[0]).toEqual({
      organizationId: org.accountId,
      organizationName: org.name,
      accountId: org.accountId,
      streamId: org.streamId,
      clientId: org.apps[0]?.appId,
      clientSecret: org.apps[0]?.secret,
      creatorUserId: org.apiUser._id,
      taskTemplateId: org.templates[0]?._id,
    })
    const view = await control<Record<string, unknown>>(k, "GET", `/organizations/${org.accountId}`)
    expect(view.body).toMatchObject({ accountId: org.accountId, streamId: org.streamId, orgId: org.orgId })
    expect(view.body.apps).toEqual(
      org.apps.map((a) => ({ clientId: a.appId, clientSecret: a.secret, name: a.name, scopes: a.scopes })),
    )
    expect(view.body.statuses).toEqual(org.statuses)
    expect(org.accountId).toMatch(/^[0-9a-f]{24}$/)
    expect(org.streamId).toMatch(/^st-/)
    expect(org.statuses.map((s) => s.statusCategory)).toEqual(
      expect.arrayContaining(["open", "in_progress", "on_hold", "resolved", "closed"]),
    )
    expect(org.priorities.filter((p) => p.type === "system").map((p) => p.name)).toEqual([
      "Low",
      "Medium",
      "High",
      "Critical",
    ])
  })

  it("reads one task and edits it as an agent by the updateTask rules", async () => {
    const k = await koreai()
    const org = account(k)
    const task = k.state().store.tasksOf(0)[0]
    const read = await control<WireTask>(k, "GET", `/tasks/${task?._id}`)
    expect(read.body._id).toBe(task?._id)
    const closed = org.statuses.find((s) => s.statusCategory === "closed")
    const agent = org.agents[3]
    const edited = await control<{ changed: boolean; task: WireTask }>(k, "POST", `/tasks/${task?._id}/edit`, {
      agentId: agent?._id,
      status: { _id: closed?._id },
    })
    expect(edited.body.changed).toBe(true)
    expect(edited.body.task.status._id).toBe(closed?._id)
    expect(edited.body.task.updatedBy._id).toBe(agent?._id)
    const inactive = org.statuses.find((s) => !s.isActive)
    const refused = await control<{ error: string }>(k, "POST", `/tasks/${task?._id}/edit`, {
      status: { _id: inactive?._id },
    })
    expect(refused).toEqual({ status: 400, body: { error: "Invalid status: 'Legacy Review' is inactive" } })
    expect((await control(k, "GET", "/tasks/ti-nope")).status).toBe(404)
  })

  it("deactivates a status so the API refuses it, adds a custom one the API then accepts", async () => {
    const k = await koreai()
    const org = account(k)
    const onHold = org.statuses.find((s) => s.name === "On Hold")
    const changed = await control<{ statuses: Array<{ _id: string; name: string; isActive: boolean }> }>(
      k,
      "PATCH",
      `/organizations/${org.accountId}`,
      {
        statuses: [
          { _id: onHold?._id, isActive: false },
          { name: "Waiting on Payer", statusCategory: "on_hold" },
        ],
      },
    )
    expect(changed.status).toBe(200)
    const added = changed.body.statuses.find((s) => s.name === "Waiting on Payer")
    expect(added?._id).toMatch(/^sts-/)
    const task = k.state().store.tasksOf(0)[0]
    expect((await accountApi(k).post(`updateTask/${task?._id}`, { status: { _id: onHold?._id } })).status).toBe(400)
    expect((await accountApi(k).post(`updateTask/${task?._id}`, { status: { _id: added?._id } })).status).toBe(200)
    const system = await control(k, "PATCH", `/organizations/${org.accountId}`, {
      statuses: [{ _id: onHold?._id, name: "Paused" }],
    })
    expect(system.status).toBe(400)
  })

  it("adds a custom priority with a 1-15 score and keeps the list sorted by score", async () => {
    const k = await koreai()
    const org = account(k)
    const answer = await control<{ priorities: Array<{ name: string; score: number }> }>(
      k,
      "PATCH",
      `/organizations/${org.accountId}`,
      { priorities: [{ name: "Emergency", score: 15, color: "#000000" }] },
    )
    const scores = answer.body.priorities.map((p) => p.score)
    expect(scores).toEqual([...scores].sort((a, b) => a - b))
    expect(answer.body.priorities.some((p) => p.name === "Emergency")).toBe(true)
    const bad = await control(k, "PATCH", `/organizations/${org.accountId}`, { priorities: [{ name: "X", score: 16 }] })
    expect(bad.status).toBe(400)
  })
})
