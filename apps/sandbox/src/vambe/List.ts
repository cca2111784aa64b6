// `GET /api/public/tasks` as documented (vendor-docs §2.3): required `responsibleIds` (empty = every user),
// `fromDate`, `toDate` (YYYY-MM-DD), optional `includeTasksWithoutDates` (default true); a bare array, no paging.
// Where the docs are silent [I]: the window compares the UTC calendar date of `due_at`, both ends inclusive; the
// array encoding of `responsibleIds` is not specified, so repeated keys, `responsibleIds[]` and comma-separated
// values are all read, and an empty value (`responsibleIds=`) is the empty array; the key itself is required.
import { parseIsoDate } from "../framework/Fake.ts"
import { isUuid } from "../framework/Ids.ts"
import { VambeInputError } from "./Errors.ts"
import type { Task } from "./Model.ts"
import type { VambeStore } from "./Store.ts"

export interface ListQuery {
  readonly responsibleIds: ReadonlyArray<string>
  /** Days since the epoch, inclusive. */
  readonly fromDay: number
  readonly toDay: number
  readonly includeTasksWithoutDates: boolean
}

const day = (query: URLSearchParams, key: string): number => {
  const raw = query.get(key)
  if (raw === null || raw === "") throw new VambeInputError(`${key} is required (YYYY-MM-DD)`)
  const parsed = parseIsoDate(raw)
  if (parsed === undefined) throw new VambeInputError(`${key} must be a date in YYYY-MM-DD format`)
  return parsed
}

export const parseListQuery = (query: URLSearchParams): ListQuery => {
  const keys = ["responsibleIds", "responsibleIds[]"].filter((k) => query.has(k))
  if (keys.length === 0) throw new VambeInputError("responsibleIds is required (an empty array means all users)")
  const responsibleIds = keys
    .flatMap((k) => query.getAll(k))
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "")
  if (!responsibleIds.every(isUuid)) throw new VambeInputError("each value in responsibleIds must be a UUID")
  const fromDay = day(query, "fromDate")
  const toDay = day(query, "toDate")
  if (fromDay > toDay) throw new VambeInputError("fromDate must not be after toDate")
  const include = query.get("includeTasksWithoutDates")
  if (include !== null && include !== "true" && include !== "false") {
    throw new VambeInputError("includeTasksWithoutDates must be true or false")
  }
  return {
    responsibleIds: responsibleIds.map((id) => id.toLowerCase()),
    fromDay,
    toDay,
    includeTasksWithoutDates: include !== "false",
  }
}

/** The organization's live tasks the query selects: due ascending, then tasks without a date [I]. */
export const listTasks = (store: VambeStore, org: number, query: ListQuery): Array<Task> => {
  const from = query.fromDay * 86_400_000
  const to = (query.toDay + 1) * 86_400_000
  const wanted = query.responsibleIds
  const selected = store.tasksOf(org).filter((t) => {
    if (wanted.length > 0 && !t.responsibles.some((r) => wanted.includes(r))) return false
    return t.dueAt === null ? query.includeTasksWithoutDates : t.dueAt >= from && t.dueAt < to
  })
  const key = (t: Task) => t.dueAt ?? Number.MAX_SAFE_INTEGER
  return selected.sort((a, b) => key(a) - key(b))
}
