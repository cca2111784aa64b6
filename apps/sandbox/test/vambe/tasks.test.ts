// The Vambe emulator's task API over real HTTP: x-api-key on every call, the listing's required filters and date
// window, create, the partial PUT with every documented rule, soft delete and team members.
import { describe, expect, it } from "vitest"
import { startVambe } from "../../src/vambe/Emulator.ts"
import type { Task } from "../../src/vambe/Model.ts"
import { api, datedTask, everything, org, orgApi, useVambe, type WireTask } from "./support.ts"

const vambe = useVambe()

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

describe("Vambe authentication", () => {
  it("answers 401 without a key or with a wrong key, on every route", async () => {
    const v = await vambe()
    for (const key of [null, "vmb_wrong"]) {
      for (const [method, path] of [
        ["GET", everything],
        ["PUT", "/api/public/tasks/6fa459ea-ee8a-4ca4-894e-db77e160355e"],
        ["GET", "/api/public/team-members/all"],
        ["GET", "/api/webhooks"],
      ] as const) {
        const answer = await api(v, key).json<{ statusCode: number }>(method, path, method === "PUT" ? {} : undefined)
        expect(answer.status).toBe(401)
        expect(answer.body.statusCode).toBe(401)
      }
    }
  })
})

describe("GET /api/public/tasks", () => {
  it("lists every live task of the key's organization as a bare array with the wire fields", async () => {
    const v = await vambe()
    const { status, body } = await orgApi(v).json<Array<WireTask>>("GET", everything)
    expect(status).toBe(200)
    expect(Array.isArray(body)).toBe(true)
    expect(new Set(body.map((t) => t.id))).toEqual(
      new Set(
        v
          .state()
          .store.tasksOf(0)
          .map((t) => t.id),
      ),
    )
    const [first] = body
    expect(first?.status_config?.name).toBeTruthy()
    expect(first).not.toHaveProperty("updated_at")
    expect(typeof first?.priority).toBe("number")
  })

  it("filters by the UTC date of due_at, both ends inclusive, and by responsibles", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const date = day(task.dueAt ?? 0)
    const path = `/api/public/tasks?responsibleIds=&fromDate=${date}&toDate=${date}&includeTasksWithoutDates=false`
    const { body } = await orgApi(v).json<Array<WireTask>>("GET", path)
    expect(body.map((t) => t.id)).toContain(task.id)
    expect(body.every((t) => t.due_at?.slice(0, 10) === date)).toBe(true)
    const who = task.responsibles[0] ?? ""
    const mine = await orgApi(v).json<Array<WireTask>>("GET", `${everything}&responsibleIds=${who}`)
    expect(mine.body.length).toBeGreaterThan(0)
    expect(mine.body.every((t) => t.task_responsibles.some((r) => r.responsible_id === who))).toBe(true)
  })

  it("includes tasks without dates unless told not to", async () => {
    const v = await vambe()
    const undated = v
      .state()
      .store.tasksOf(0)
      .filter((t) => t.dueAt === null).length
    const base = "/api/public/tasks?responsibleIds=&fromDate=1970-01-01&toDate=1970-01-01"
    const withUndated = await orgApi(v).json<Array<WireTask>>("GET", base)
    expect(withUndated.body.length).toBe(undated)
    expect((await orgApi(v).json<Array<WireTask>>("GET", `${base}&includeTasksWithoutDates=false`)).body).toEqual([])
  })

  it("refuses a missing responsibleIds, bad dates and a reversed window with 400", async () => {
    const v = await vambe()
    const bad = [
      "/api/public/tasks?fromDate=2026-01-01&toDate=2026-01-31",
      "/api/public/tasks?responsibleIds=&fromDate=2026-13-01&toDate=2026-12-31",
      "/api/public/tasks?responsibleIds=&fromDate=2026-02-01&toDate=2026-01-01",
      "/api/public/tasks?responsibleIds=bob&fromDate=2026-01-01&toDate=2026-01-31",
      "/api/public/tasks?responsibleIds=&fromDate=2026-01-01&toDate=2026-01-31&includeTasksWithoutDates=yes",
    ]
    for (const path of bad) expect((await orgApi(v).call("GET", path)).status).toBe(400)
  })

  it("answers listings in the word form of priority when configured so", async () => {
    const words = await startVambe({ port: 0, seed: 5, size: 20, priorityForm: "word" })
    try {
      const { body } = await orgApi(words).json<Array<WireTask>>("GET", everything)
      expect(body.every((t) => ["low", "medium", "high"].includes(String(t.priority)))).toBe(true)
    } finally {
      await words.close()
    }
  })
})

describe("POST /api/public/tasks", () => {
  it("creates a task in the initial status, all-day when no time is given", async () => {
    const v = await vambe()
    const who = org(v).members[1]?.id ?? ""
    const { status, body } = await orgApi(v).json<WireTask>("POST", "/api/public/tasks", {
      title: "Llamar a la paciente",
      responsibleIds: [who],
      priority: "2",
      dueDate: "2026-02-03",
      timezone: "America/Santiago",
    })
    expect(status).toBe(201)
    expect(body.priority).toBe(2)
    expect(body.is_all_day).toBe(true)
    expect(body.due_at).toBe("2026-02-03T00:00:00.000Z")
    expect(body.status_config?.type).toBe("initial")
    expect(body.task_responsibles).toEqual([{ responsible_id: who }])
  })

  it("requires title, responsibleIds and a string priority, and a timezone with dueTime", async () => {
    const v = await vambe()
    const who = org(v).members[0]?.id ?? ""
    const base = { title: "x", responsibleIds: [who], priority: "1" }
    const refused = [
      { responsibleIds: [who], priority: "1" },
      { ...base, title: "" },
      { ...base, priority: 1 },
      { ...base, dueDate: "2026-02-03", dueTime: "10:30" },
    ]
    for (const body of refused) expect((await orgApi(v).call("POST", "/api/public/tasks", body)).status).toBe(400)
    const timed = await orgApi(v).json<WireTask>("POST", "/api/public/tasks", {
      ...base,
      dueDate: "2026-02-03",
      dueTime: "10:30",
      timezone: "America/Santiago",
    })
    // Santiago is UTC-3 in February (summer time).
    expect(timed.body.due_at).toBe("2026-02-03T13:30:00.000Z")
    expect(timed.body.is_all_day).toBe(false)
  })
})

describe("PUT /api/public/tasks/{id}", () => {
  const put = async (id: string, body: unknown) =>
    orgApi(await vambe()).json<WireTask>("PUT", `/api/public/tasks/${id}`, body)

  it("changes only the fields sent and returns the priority as an integer", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const before = { ...task }
    const { status, body } = await put(task.id, { title: "Enviar cotización", priority: "0" })
    expect(status).toBe(200)
    expect(body.title).toBe("Enviar cotización")
    expect(body.priority).toBe(0)
    expect(body.description).toBe(before.description)
    expect(body.due_at).toBe(new Date(before.dueAt ?? 0).toISOString())
  })

  it("moves the status by name or by position, never both, and 404s an unknown one", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const statuses = org(v).statuses
    const last = statuses.at(-1)
    expect((await put(task.id, { newStatusName: last?.name })).body.status_config?.id).toBe(last?.id)
    expect((await put(task.id, { newStatusPosition: 0 })).body.status_config?.order).toBe(0)
    expect((await put(task.id, { newStatusName: last?.name, newStatusPosition: 0 })).status).toBe(400)
    const unknown = await put(task.id, { newStatusName: "Archivado" })
    expect(unknown.status).toBe(404)
    expect((unknown.body as unknown as { message: string }).message).toContain("invalid references")
    expect((await put(task.id, { newStatusPosition: 99 })).status).toBe(404)
  })

  it("sets a timed due in a zone, clears it with null, and makes a plain date all-day", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const timed = await put(task.id, { dueDate: "2026-07-01", dueTime: "09:15", timezone: "America/Santiago" })
    // Santiago is UTC-4 in July.
    expect(timed.body.due_at).toBe("2026-07-01T13:15:00.000Z")
    expect(timed.body.due_timezone).toBe("America/Santiago")
    const moved = await put(task.id, { dueTime: "11:00" })
    expect(moved.body.due_at).toBe("2026-07-01T15:00:00.000Z")
    const allDay = await put(task.id, { dueDate: "2026-07-02", dueTime: null })
    expect(allDay.body).toMatchObject({ due_at: "2026-07-02T00:00:00.000Z", is_all_day: true })
    const datetime = await put(task.id, { dueDate: "2026-07-03T18:00:00Z" })
    expect(datetime.body).toMatchObject({ due_at: "2026-07-03T18:00:00.000Z", is_all_day: false })
    const cleared = await put(task.id, { dueDate: null })
    expect(cleared.body).toMatchObject({ due_at: null, is_all_day: false, due_timezone: null })
    expect((await put(task.id, { dueTime: "25:00" })).status).toBe(400)
    expect((await put(task.id, { timezone: "Mars/Olympus" })).status).toBe(400)
  })

  it("replaces every responsible, refuses an unknown user with 404, and keeps description null", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const team = org(v).members.map((m) => m.id)
    const replaced = await put(task.id, { responsibleIds: [team[3], team[4]], description: null })
    expect(replaced.body.task_responsibles.map((r) => r.responsible_id)).toEqual([team[3], team[4]])
    expect(replaced.body.description).toBeNull()
    const stranger = await put(task.id, { responsibleIds: ["6fa459ea-ee8a-4ca4-894e-db77e160355e"] })
    expect(stranger.status).toBe(404)
    expect(v.state().store.task(task.id)?.responsibles).toEqual([team[3], team[4]])
  })

  it("refuses a bad UUID, an empty title, a numeric priority and immutable fields with 400", async () => {
    const v = await vambe()
    const task = datedTask(v)
    expect((await put("not-a-uuid", { title: "x" })).status).toBe(400)
    expect((await put(task.id, { title: "" })).status).toBe(400)
    expect((await put(task.id, { priority: 2 })).status).toBe(400)
    expect((await put(task.id, { creator_id: task.id })).status).toBe(400)
    expect((await put(task.id, { created_at: "2020-01-01" })).status).toBe(400)
  })

  it("hides another organization's task behind a 404", async () => {
    const v = await vambe()
    const foreign: Task = datedTask(v, 1)
    expect((await put(foreign.id, { title: "no" })).status).toBe(404)
    expect(v.state().store.task(foreign.id)?.title).not.toBe("no")
  })
})

describe("DELETE /api/public/tasks/{id} and team members", () => {
  it("soft-deletes: success once, then 404 not found or already deleted, and gone from listings", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const first = await orgApi(v).json<{ status: string }>("DELETE", `/api/public/tasks/${task.id}`)
    expect(first).toEqual({ status: 200, body: { status: "success" } })
    const again = await orgApi(v).json<{ message: string }>("DELETE", `/api/public/tasks/${task.id}`)
    expect(again.status).toBe(404)
    expect(again.body.message).toBe("Task not found or already deleted")
    expect((await orgApi(v).call("PUT", `/api/public/tasks/${task.id}`, { title: "x" })).status).toBe(404)
    const listed = await orgApi(v).json<Array<WireTask>>("GET", everything)
    expect(listed.body.some((t) => t.id === task.id)).toBe(false)
    expect(
      v
        .state()
        .store.allTasks()
        .find((t) => t.id === task.id)?.deletedAt,
    ).not.toBeNull()
    expect((await orgApi(v).call("DELETE", "/api/public/tasks/nope")).status).toBe(400)
  })

  it("lists the organization's team members", async () => {
    const v = await vambe()
    const { body } = await orgApi(v).json<Array<{ id: string; name: string; email: string }>>(
      "GET",
      "/api/public/team-members/all",
    )
    expect(body.map((m) => m.id)).toEqual(org(v).members.map((m) => m.id))
    expect(body[0]?.email).toContain("@")
  })
})
