// GET /api/tasks/v3 as a syncing client uses it: page shape, limit validation, page tokens (forward, back and
// across concurrent edits), organization scoping and updated_since.
import { describe, expect, it } from "vitest"
import { LIMIT_MESSAGE } from "../src/candid/Query.ts"
import { client, json, listAll, type TaskPageBody, useCandid } from "./support.ts"

const candid = useCandid()

const orgTaskCount = async (org = 0) => {
  const { store } = (await candid()).state()
  let count = 0
  for (let i = 0; i < store.tasks.length; i++) if (store.tasks.cols.org[i] === org) count++
  return count
}

describe("GET /api/tasks/v3 paging", () => {
  it("returns items with next and prev page tokens, 100 by default, newest updated_at first", async () => {
    const api = await client(await candid())
    const page = await json<TaskPageBody>(await api.get("/api/tasks/v3"))
    expect(page.items).toHaveLength(100)
    expect(page.next_page_token).toEqual(expect.any(String))
    expect(page.prev_page_token).toBeNull()
    const stamps = page.items.map((task) => task.updated_at)
    expect(stamps).toEqual([...stamps].sort().reverse())
  })

  it.each(["0", "1000", "-1", "abc", "1.5"])("rejects limit=%s with 422 and the documented message", async (limit) => {
    const api = await client(await candid())
    const response = await api.get(`/api/tasks/v3?limit=${limit}`)
    expect(response.status).toBe(422)
    expect(await json(response)).toEqual({ errorName: "UnprocessableEntityError", content: { message: LIMIT_MESSAGE } })
  })

  it("accepts the limit bounds 1 and 999", async () => {
    const api = await client(await candid())
    expect((await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=1"))).items).toHaveLength(1)
    const big = await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=999"))
    expect(big.items).toHaveLength(await orgTaskCount())
    expect(big.next_page_token).toBeNull()
  })

  it("visits every task of the organization exactly once when following next_page_token", async () => {
    const api = await client(await candid())
    const ids = (await listAll(api, "", 37)).map((task) => task.task_id)
    expect(ids).toHaveLength(await orgTaskCount())
    expect(new Set(ids).size).toBe(ids.length)
  })

  it.each(["updated_at:desc", "patient_name:asc"])(
    "returns to the previous page with prev_page_token (%s)",
    async (sort) => {
      const api = await client(await candid())
      const query = `/api/tasks/v3?limit=25&sort=${sort}`
      const first = await json<TaskPageBody>(await api.get(query))
      const second = await json<TaskPageBody>(await api.get(`${query}&page_token=${first.next_page_token}`))
      expect(second.prev_page_token).toEqual(expect.any(String))
      const back = await json<TaskPageBody>(await api.get(`${query}&page_token=${second.prev_page_token}`))
      expect(back.items.map((task) => task.task_id)).toEqual(first.items.map((task) => task.task_id))
      expect(back.next_page_token).toEqual(expect.any(String))
    },
  )

  it("neither skips nor repeats unchanged tasks when staff edit tasks between pages", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const seen = new Map<string, number>()
    const edited = new Set<string>()
    let token: string | null = null
    do {
      const tokenPart: string = token === null ? "" : `&page_token=${token}`
      const page: TaskPageBody = await json(await api.get(`/api/tasks/v3?limit=50&sort=updated_at:asc${tokenPart}`))
      for (const task of page.items) seen.set(task.task_id, (seen.get(task.task_id) ?? 0) + 1)
      for (const event of sandbox.control.activity.step(5, { kinds: ["status", "note"] })) edited.add(event.id)
      token = page.next_page_token
    } while (token !== null)
    const { store } = sandbox.state()
    const unchanged: Array<string> = []
    for (let i = 0; i < store.tasks.length; i++) {
      const id = store.ids.task.encode(i)
      if (store.tasks.cols.org[i] === 0 && !edited.has(id)) unchanged.push(id)
    }
    expect(edited.size).toBeGreaterThan(0)
    expect(unchanged.filter((id) => seen.get(id) !== 1)).toEqual([])
  })

  it("rejects a page token reused with different filters with 422", async () => {
    const api = await client(await candid())
    const first = await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=5&status=open"))
    const response = await api.get(`/api/tasks/v3?limit=5&status=finished&page_token=${first.next_page_token}`)
    expect(response.status).toBe(422)
    expect(await json(response)).toMatchObject({ errorName: "UnprocessableEntityError" })
  })

  it("lists only the caller's organization's tasks", async () => {
    const sandbox = await candid()
    const other = await client(sandbox, 1)
    const ids = (await listAll(other, "")).map((task) => sandbox.state().store.taskIndex(task.task_id))
    expect(ids).toHaveLength(await orgTaskCount(1))
    expect(ids.every((i) => i !== undefined && sandbox.state().store.tasks.cols.org[i] === 1)).toBe(true)
  })
})

describe("GET /api/tasks/v3 updated_since", () => {
  it("includes tasks updated exactly at updated_since", async () => {
    const api = await client(await candid())
    const page = await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=30&sort=updated_at:desc"))
    const pivot = page.items[29]?.updated_at ?? ""
    const since = await listAll(api, `&updated_since=${pivot}&sort=updated_at:asc`)
    expect(since[0]?.updated_at).toBe(pivot)
    expect(since.every((task) => task.updated_at >= pivot)).toBe(true)
    expect(since.map((task) => task.task_id)).toEqual(expect.arrayContaining(page.items.map((task) => task.task_id)))
  })

  it("compares updated_at by default, so a note-only change is not returned", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const [task] = (await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=1&sort=updated_at:asc"))).items
    sandbox.control.clock.advance(60_000)
    const [note] = sandbox.control.activity.step(1, { kinds: ["note"], id: task?.task_id })
    const since = await listAll(api, `&updated_since=${note?.at}&sort=agg_updated_at:asc`)
    expect(note?.id).toBe(task?.task_id)
    expect(since.map((item) => item.task_id)).not.toContain(task?.task_id)
  })
})

describe("GET /api/tasks/v3 updated_since on agg_updated_at", () => {
  const aggCandid = useCandid({ updatedSinceField: "agg_updated_at" })

  it("returns a note-only change when the emulator compares agg_updated_at", async () => {
    const sandbox = await aggCandid()
    const api = await client(sandbox)
    const [task] = (await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=1&sort=updated_at:asc"))).items
    sandbox.control.clock.advance(60_000)
    const [note] = sandbox.control.activity.step(1, { kinds: ["note"], id: task?.task_id })
    const since = await listAll(api, `&updated_since=${note?.at}&sort=agg_updated_at:asc`)
    expect(since.map((item) => item.task_id)).toEqual([task?.task_id])
  })
})
