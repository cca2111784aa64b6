// `getTasks` / `getCases` bodies (vendor-docs §3.6): skip / limit, searchText, the list filters, the date window and
// sortBy, answered `{results, page, limit, hasMore, totalPages, totalResults}`; [I] choices in the README.
import { parseIsoDateTime } from "../framework/Fake.ts"
import { isRecord } from "../framework/Http.ts"
import { KoreaiInputError } from "./Errors.ts"
import type { Account, Task } from "./Model.ts"
import type { KoreaiStore } from "./Store.ts"

export const DEFAULT_LIMIT = 10
export const MAX_LIMIT = 100

/** Documented getTasks fields the emulator accepts without acting on them (views of the agent console). */
const IGNORED = ["selectedColumns", "customFields", "ETAlist", "channel", "mytask", "mycase", "dueDate"]
const FILTERS = [
  "searchText",
  "status",
  "priority",
  "queues",
  "agents",
  "startDate",
  "endDate",
  "unresolved",
  "unassigned",
]

export interface Paging {
  readonly skip: number
  readonly limit: number
}

export interface TaskQuery extends Paging {
  readonly searchText: string | undefined
  readonly status: ReadonlyArray<string> | undefined
  readonly priority: ReadonlyArray<string> | undefined
  readonly queues: ReadonlyArray<string> | undefined
  readonly agents: ReadonlyArray<string> | undefined
  readonly startMs: number | undefined
  readonly endMs: number | undefined
  readonly unresolved: boolean
  readonly unassigned: boolean
  readonly sortBy: ReadonlyArray<{ readonly field: SortField; readonly descending: boolean }>
}

const SORT_FIELDS = ["createdAt", "updatedAt", "dueDate", "name", "refId", "priority", "status"] as const
type SortField = (typeof SORT_FIELDS)[number]

const objectBody = (raw: unknown): Record<string, unknown> => {
  if (raw === undefined) return {}
  if (!isRecord(raw)) throw new KoreaiInputError("request body must be a JSON object")
  return raw
}

const count = (body: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number => {
  const value = body[key] ?? fallback
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new KoreaiInputError(`${key} must be an integer from ${min} to ${max}`)
  }
  return value
}

export const parsePaging = (body: Record<string, unknown>): Paging => ({
  skip: count(body, "skip", 0, 0, Number.MAX_SAFE_INTEGER),
  limit: count(body, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
})

const strings = (body: Record<string, unknown>, key: string): ReadonlyArray<string> | undefined => {
  const value = body[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new KoreaiInputError(`${key} must be an array of strings`)
  }
  return value.length === 0 ? undefined : value
}

const instant = (body: Record<string, unknown>, key: string): number | undefined => {
  const value = body[key]
  if (value === undefined || value === null || value === "") return undefined
  const ms = typeof value === "string" ? parseIsoDateTime(value) : undefined
  if (ms === undefined) throw new KoreaiInputError(`${key} must be an ISO date-time`)
  return ms
}

const flag = (body: Record<string, unknown>, key: string): boolean => {
  const value = body[key] ?? false
  if (typeof value !== "boolean") throw new KoreaiInputError(`${key} must be a boolean`)
  return value
}

const sortBy = (body: Record<string, unknown>): TaskQuery["sortBy"] => {
  const value = body.sortBy
  if (value === undefined) return [{ field: "createdAt", descending: true }]
  if (!isRecord(value)) throw new KoreaiInputError('sortBy must be an object such as {"updatedAt":"desc"}')
  return Object.entries(value).map(([field, direction]) => {
    const known = SORT_FIELDS.find((f) => f === field)
    if (known === undefined) throw new KoreaiInputError(`sortBy field must be one of: ${SORT_FIELDS.join(", ")}`)
    // Mongo-style 1 / -1 are read as well as the documented words [I].
    if (direction === "desc" || direction === -1) return { field: known, descending: true }
    if (direction === "asc" || direction === 1) return { field: known, descending: false }
    throw new KoreaiInputError(`sortBy.${field} must be "asc" or "desc"`)
  })
}

export const parseTaskQuery = (raw: unknown): TaskQuery => {
  const body = objectBody(raw)
  for (const key of Object.keys(body)) {
    if (![...IGNORED, ...FILTERS, "skip", "limit", "sortBy"].includes(key)) {
      throw new KoreaiInputError(`${key} is not a getTasks field`)
    }
  }
  const searchText = body.searchText
  if (searchText !== undefined && typeof searchText !== "string")
    throw new KoreaiInputError("searchText must be a string")
  const startMs = instant(body, "startDate")
  const endMs = instant(body, "endDate")
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw new KoreaiInputError("startDate must not be after endDate")
  }
  return {
    ...parsePaging(body),
    searchText: searchText === undefined || searchText.trim() === "" ? undefined : searchText.trim().toLowerCase(),
    status: strings(body, "status"),
    priority: strings(body, "priority"),
    queues: strings(body, "queues"),
    agents: strings(body, "agents"),
    startMs,
    endMs,
    unresolved: flag(body, "unresolved"),
    unassigned: flag(body, "unassigned"),
    sortBy: sortBy(body),
  }
}

/** "In-Progress", "in progress" and "in_progress" name the same status. */
const norm = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "")

const named = (wanted: ReadonlyArray<string> | undefined, id: string, ...names: ReadonlyArray<string>) =>
  wanted === undefined || wanted.some((w) => w === id || names.some((n) => norm(n) === norm(w)))

const matcher = (store: KoreaiStore, org: Account, q: TaskQuery) => (task: Task) => {
  const status = store.status(task)
  const priority = store.priority(task)
  const agent = org.agents.find((a) => a._id === task.currAssignee)
  if (!named(q.status, task.statusId, status?.name ?? "")) return false
  if (!named(q.priority, task.priorityId, priority?.name ?? "")) return false
  if (
    q.queues !== undefined &&
    !task.queues.some((id) => named(q.queues, id, org.queues.find((x) => x._id === id)?.name ?? ""))
  ) {
    return false
  }
  if (q.agents !== undefined && (agent === undefined || !named(q.agents, agent._id, agent.emailId, agent.name)))
    return false
  if (q.startMs !== undefined && task.createdAt < q.startMs) return false
  if (q.endMs !== undefined && task.createdAt > q.endMs) return false
  if (q.unresolved && (status?.statusCategory === "resolved" || status?.statusCategory === "closed")) return false
  if (q.unassigned && task.currAssignee !== null) return false
  if (q.searchText === undefined) return true
  return [task.name, task.desc, task.refId, task._id, task.caseRefId].some((t) =>
    t.toLowerCase().includes(q.searchText ?? ""),
  )
}

const sortValue = (store: KoreaiStore, task: Task, field: SortField): number | string | null => {
  switch (field) {
    case "createdAt":
      return task.createdAt
    case "updatedAt":
      return task.updatedAt
    case "dueDate":
      return task.dueDate
    case "name":
      return task.name.toLowerCase()
    case "refId":
      return task.refId
    case "priority":
      return store.priority(task)?.score ?? null
    case "status":
      return store.status(task)?.name.toLowerCase() ?? null
  }
}

/** A page of the account's tasks; ties keep creation order, so paging a still list is stable. */
export const listTasks = (store: KoreaiStore, org: Account, q: TaskQuery) => {
  const all = store.tasksOf(org.index)
  const order = new Map(all.map((t, i) => [t, i]))
  const selected = all.filter(matcher(store, org, q))
  selected.sort((a, b) => {
    for (const { field, descending } of q.sortBy) {
      const x = sortValue(store, a, field)
      const y = sortValue(store, b, field)
      if (x === y) continue
      // [I] Tasks without the value (no due date) come last either way.
      if (x === null) return 1
      if (y === null) return -1
      return (x < y ? -1 : 1) * (descending ? -1 : 1)
    }
    return (order.get(a) ?? 0) - (order.get(b) ?? 0)
  })
  return pageOf(selected, q)
}

export const pageOf = <T>(all: ReadonlyArray<T>, { skip, limit }: Paging) => {
  const results = all.slice(skip, skip + limit)
  return {
    results,
    page: Math.floor(skip / limit) + 1,
    limit,
    hasMore: skip + results.length < all.length,
    totalPages: Math.ceil(all.length / limit),
    totalResults: all.length,
  }
}
