// The Kore.ai emulator's getTasks over real HTTP: skip / limit paging and its answer fields, every filter
// (searchText, status, priority, queues, agents, the date window, unresolved, unassigned), sortBy, and getCases.
import { describe, expect, it } from "vitest"
import type { Task } from "../../src/koreai/Model.ts"
import { ANCHOR, account, accountApi, DAY, type ErrorBody, type Koreai, type TaskPage, useKoreai } from "./support.ts"

const koreai = useKoreai()

const list = async (k: Koreai, body: unknown, index = 0) => {
  const answer = await accountApi(k, index).post<TaskPage>("getTasks", body)
  expect(answer.status).toBe(200)
  return answer.body
}

/** Every task the query selects, walking its pages. */
const everything = async (k: Koreai, body: Record<string, unknown>) => {
  const ids: Array<string> = []
  for (let skip = 0; ; skip += 100) {
    const page = await list(k, { ...body, skip, limit: 100 })
    ids.push(...page.results.map((t) => t._id))
    if (!page.hasMore) return ids
  }
}

const mine = (k: Koreai, index = 0): ReadonlyArray<Task> => k.state().store.tasksOf(index)

describe("POST …/getTasks paging", () => {
  it("pages by skip and limit and says where it is", async () => {
    const k = await koreai()
    const total = mine(k).length
    const first = await list(k, { skip: 0, limit: 25 })
    expect(first).toMatchObject({ page: 1, limit: 25, hasMore: true, totalResults: total })
    expect(first.totalPages).toBe(Math.ceil(total / 25))
    expect(first.results).toHaveLength(25)
    const second = await list(k, { skip: 25, limit: 25 })
    expect(second.page).toBe(2)
    expect(second.results.map((t) => t._id)).not.toContain(first.results[0]?._id)
    const last = await list(k, { skip: total - 3, limit: 25 })
    expect(last).toMatchObject({ hasMore: false })
    expect(last.results).toHaveLength(3)
    const beyond = await list(k, { skip: total + 10, limit: 25 })
    expect(beyond).toMatchObject({ results: [], hasMore: false, totalResults: total })
  })

  it("defaults to skip 0, limit 10, newest created first, and lists only the account's tasks", async () => {
    const k = await koreai()
    const page = await list(k, {})
    expect(page.limit).toBe(10)
    const created = page.results.map((t) => Date.parse(t.createdAt))
    expect(created).toEqual([...created].sort((a, b) => b - a))
    const newest = Math.max(...mine(k).map((t) => t.createdAt))
    expect(created[0]).toBe(newest)
    const all = await everything(k, {})
    expect(new Set(all)).toEqual(new Set(mine(k).map((t) => t._id)))
    expect(all.some((id) => mine(k, 1).some((t) => t._id === id))).toBe(false)
  })

  it("refuses a bad skip, limit, sortBy, date or unknown field with 400", async () => {
    const k = await koreai()
    const bad = [
      [{ limit: 0 }, "limit must be an integer from 1 to 100"],
      [{ limit: 101 }, "limit must be an integer from 1 to 100"],
      [{ skip: -1 }, /^skip must be an integer/],
      [{ skip: "5" }, /^skip must be an integer/],
      [{ sortBy: { colour: "desc" } }, /^sortBy field must be one of/],
      [{ sortBy: { updatedAt: "down" } }, 'sortBy.updatedAt must be "asc" or "desc"'],
      [{ sortBy: "updatedAt" }, /^sortBy must be an object/],
      [{ startDate: "yesterday" }, "startDate must be an ISO date-time"],
      [{ startDate: "2026-02-02T00:00:00Z", endDate: "2026-02-01T00:00:00Z" }, "startDate must not be after endDate"],
      [{ status: "Open" }, "status must be an array of strings"],
      [{ pageToken: "x" }, "pageToken is not a getTasks field"],
    ] as const
    for (const [body, message] of bad) {
      const answer = await accountApi(k).post<ErrorBody>("getTasks", body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.body.errors[0]?.msg).toMatch(message)
    }
  })
})

describe("POST …/getTasks sortBy", () => {
  it('sorts by {"updatedAt":"desc"} and asc, ties in creation order, stable across pages', async () => {
    const k = await koreai()
    const desc = await list(k, { limit: 100, sortBy: { updatedAt: "desc" } })
    const stamps = desc.results.map((t) => Date.parse(t.updatedAt))
    expect(stamps).toEqual([...stamps].sort((a, b) => b - a))
    const asc = await list(k, { limit: 100, sortBy: { updatedAt: "asc" } })
    expect(Date.parse(asc.results[0]?.updatedAt ?? "")).toBe(Math.min(...mine(k).map((t) => t.updatedAt)))
    const paged = [
      ...(await list(k, { limit: 7, sortBy: { updatedAt: "desc" } })).results,
      ...(await list(k, { skip: 7, limit: 7, sortBy: { updatedAt: "desc" } })).results,
    ]
    expect(paged.map((t) => t._id)).toEqual(desc.results.slice(0, 14).map((t) => t._id))
  })

  it("puts a just-edited task first under updatedAt desc", async () => {
    const k = await koreai()
    const oldest = [...mine(k)].sort((a, b) => a.updatedAt - b.updatedAt)[0]
    k.control.clock.advance(DAY)
    await accountApi(k).post(`updateTask/${oldest?._id}`, { desc: "bumped" })
    const page = await list(k, { limit: 1, sortBy: { updatedAt: "desc" } })
    expect(page.results[0]?._id).toBe(oldest?._id)
  })

  it("sorts by dueDate (tasks without one last), priority score and name", async () => {
    const k = await koreai()
    const due = await everything(k, { sortBy: { dueDate: "asc" } })
    const dues = due.map((id) => k.state().store.task(id)?.dueDate ?? null)
    const dated = dues.filter((d) => d !== null)
    expect(dues.slice(0, dated.length)).toEqual([...dated].sort((a, b) => a - b))
    expect(dues.slice(dated.length).every((d) => d === null)).toBe(true)
    const byScore = await list(k, { limit: 100, sortBy: { priority: "desc" } })
    const scores = byScore.results.map((t) => t.priority.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const byName = await list(k, { limit: 100, sortBy: { name: "asc" } })
    const names = byName.results.map((t) => t.name.toLowerCase())
    expect(names).toEqual([...names].sort())
  })
})

describe("POST …/getTasks filters", () => {
  it("filters by status name (any spelling) or _id, and by priority name or _id", async () => {
    const k = await koreai()
    const org = account(k)
    const inProgress = org.statuses.find((s) => s.name === "In Progress")
    const expected = mine(k).filter((t) => t.statusId === inProgress?._id)
    expect(expected.length).toBeGreaterThan(0)
    for (const status of [["In-Progress"], ["in progress"], [inProgress?._id ?? ""]]) {
      expect((await everything(k, { status })).sort()).toEqual(expected.map((t) => t._id).sort())
    }
    const high = org.priorities.find((p) => p.name === "High")
    const low = org.priorities.find((p) => p.name === "Low")
    const either = mine(k).filter((t) => t.priorityId === high?._id || t.priorityId === low?._id)
    expect((await everything(k, { priority: ["High", low?._id] })).sort()).toEqual(either.map((t) => t._id).sort())
  })

  it("filters by queue and by agent (id or email), and by unassigned", async () => {
    const k = await koreai()
    const org = account(k)
    const queue = org.queues[0]
    const queued = mine(k).filter((t) => t.queues.includes(queue?._id ?? ""))
    expect((await everything(k, { queues: [queue?._id] })).sort()).toEqual(queued.map((t) => t._id).sort())
    expect((await everything(k, { queues: [queue?.name] })).length).toBe(queued.length)
    const agent = org.agents[0]
    const theirs = mine(k).filter((t) => t.currAssignee === agent?._id)
    expect((await everything(k, { agents: [agent?._id] })).sort()).toEqual(theirs.map((t) => t._id).sort())
    expect((await everything(k, { agents: [agent?.emailId] })).length).toBe(theirs.length)
    const nobody = mine(k).filter((t) => t.currAssignee === null)
    expect((await everything(k, { unassigned: true })).length).toBe(nobody.length)
  })

  it("filters by unresolved (not resolved or closed) and combines filters with AND", async () => {
    const k = await koreai()
    const store = k.state().store
    const open = mine(k).filter((t) => !["resolved", "closed"].includes(store.status(t)?.statusCategory ?? ""))
    expect((await everything(k, { unresolved: true })).length).toBe(open.length)
    const both = open.filter((t) => store.priority(t)?.name === "Medium")
    expect((await everything(k, { unresolved: true, priority: ["Medium"] })).length).toBe(both.length)
  })

  it("windows createdAt by startDate and endDate, both ends inclusive", async () => {
    const k = await koreai()
    const start = ANCHOR - 30 * DAY
    const end = ANCHOR - 10 * DAY
    const inside = mine(k).filter((t) => t.createdAt >= start && t.createdAt <= end)
    expect(inside.length).toBeGreaterThan(0)
    const ids = await everything(k, { startDate: new Date(start).toISOString(), endDate: new Date(end).toISOString() })
    expect(ids.sort()).toEqual(inside.map((t) => t._id).sort())
    const edge = inside[0]
    const exact = new Date(edge?.createdAt ?? 0).toISOString()
    expect(await everything(k, { startDate: exact, endDate: exact })).toContain(edge?._id)
  })

  it("searches name, description, refId and caseRefId case-insensitively", async () => {
    const k = await koreai()
    const task = mine(k)[3]
    const byRef = await list(k, { searchText: task?.refId.toLowerCase() })
    expect(byRef.results.map((t) => t._id)).toEqual([task?._id])
    const word = "pharmacy"
    const expected = mine(k).filter((t) => `${t.name} ${t.desc}`.toLowerCase().includes(word))
    expect((await everything(k, { searchText: "PHARMACY" })).length).toBe(expected.length)
    const byCase = await everything(k, { searchText: task?.caseRefId })
    expect(byCase).toContain(task?._id)
  })

  it("accepts the console-only fields (selectedColumns, customFields, ...) without acting on them", async () => {
    const k = await koreai()
    const page = await list(k, { selectedColumns: ["name"], customFields: [], mytask: false, channel: [] })
    expect(page.totalResults).toBe(mine(k).length)
  })
})

describe("POST …/getCases", () => {
  it("pages the account's cases newest first, each listing its task ids", async () => {
    const k = await koreai()
    const cases = k.state().store.casesOf(0)
    const answer = await accountApi(k).post<{
      results: Array<{ _id: string; refId: string; taskIds: Array<string>; createdAt: string }>
      totalResults: number
      hasMore: boolean
    }>("getCases", { limit: 5 })
    expect(answer.status).toBe(200)
    expect(answer.body.totalResults).toBe(cases.length)
    expect(answer.body.hasMore).toBe(true)
    const created = answer.body.results.map((c) => Date.parse(c.createdAt))
    expect(created).toEqual([...created].sort((a, b) => b - a))
    const first = answer.body.results[0]
    expect(first?._id).toMatch(/^ci-/)
    expect(first?.refId).toMatch(/^CS\d{6}$/)
    expect(first?.taskIds.length).toBeGreaterThan(0)
    expect(first?.taskIds.every((id) => k.state().store.task(id)?.caseId === first._id)).toBe(true)
  })
})
