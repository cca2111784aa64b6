// `GET /api/v1/cases`: the created-date window (≤ 60 days), status CSV, recordsPerPage (default 20, max 100) and
// the `after` cursor (= pageInfo.cursor.end), answered by keyset paging over (createdAt, seq).
import { parseIsoDateTime } from "../framework/Fake.ts"
import { BodyIssue } from "./Bodies.ts"
import { CASE_STATUSES, type Case, type CaseStatus } from "./Model.ts"
import type { CareValidateStore } from "./Store.ts"
import { caseWire } from "./Wire.ts"

/** A business 400 (`success: false, error`), as opposed to a VALIDATION_ERROR (BodyIssue). */
export class ListError extends Error {}

const MAX_RANGE_MS = 60 * 86_400_000

const time = (query: URLSearchParams, key: string): number => {
  const raw = query.get(key)
  if (raw === null || raw === "") throw new BodyIssue(key, "Required")
  const ms = parseIsoDateTime(raw)
  if (ms === undefined) throw new BodyIssue(key, "Invalid datetime")
  return ms
}

const statuses = (raw: string | null): Set<CaseStatus> | undefined => {
  if (raw === null || raw === "") return undefined
  const result = new Set<CaseStatus>()
  for (const part of raw.split(",")) {
    const status = CASE_STATUSES.find((s) => s === part.trim().toUpperCase())
    if (status === undefined) {
      const expected = CASE_STATUSES.map((s) => `'${s}'`).join(" | ")
      throw new BodyIssue("status", `Invalid enum value. Expected ${expected}, received '${part}'`)
    }
    result.add(status)
  }
  return result
}

const perPage = (raw: string | null): number => {
  if (raw === null || raw === "") return 20
  const n = Number(raw)
  if (!Number.isFinite(n)) throw new BodyIssue("recordsPerPage", "Expected number, received nan")
  if (!Number.isInteger(n)) throw new BodyIssue("recordsPerPage", "Expected integer, received float")
  if (n < 1) throw new BodyIssue("recordsPerPage", "Number must be greater than or equal to 1")
  if (n > 100) throw new BodyIssue("recordsPerPage", "Number must be less than or equal to 100")
  return n
}

// [I] Cursors are opaque base64url of a case's (createdAt, seq); filters may change between pages.
const cursorOf = (c: Case): string => Buffer.from(`${c.createdAt}.${c.seq}`).toString("base64url")

const decodeCursor = (raw: string): { createdAt: number; seq: number } => {
  const match = /^(\d+)\.(\d+)$/.exec(Buffer.from(raw, "base64url").toString("utf8"))
  if (match === null) throw new ListError("Invalid cursor")
  return { createdAt: Number(match[1]), seq: Number(match[2]) }
}

/** First index whose (createdAt, seq) is after the key (binary search over the sorted cases). */
const firstAfter = (cases: ReadonlyArray<Case>, createdAt: number, seq: number): number => {
  let lo = 0
  let hi = cases.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const c = cases[mid]
    if (c !== undefined && (c.createdAt < createdAt || (c.createdAt === createdAt && c.seq <= seq))) lo = mid + 1
    else hi = mid
  }
  return lo
}

export const listCases = (store: CareValidateStore, org: number, query: URLSearchParams) => {
  const start = time(query, "startTime")
  const end = time(query, "endTime")
  if (end < start) throw new ListError("endTime must be after startTime")
  if (end - start > MAX_RANGE_MS) throw new ListError("Date range cannot exceed 60 days")
  const wanted = statuses(query.get("status"))
  const limit = perPage(query.get("recordsPerPage"))
  const after = query.get("after")
  const key = after === null || after === "" ? undefined : decodeCursor(after)
  // [I] The window filters createdAt, inclusive at both ends (vendor-docs §5.6 leaves the field unstated).
  const from = firstAfter(store.cases, start - 1, Number.MAX_SAFE_INTEGER)
  let i = key === undefined ? from : Math.max(from, firstAfter(store.cases, key.createdAt, key.seq))
  const page: Array<Case> = []
  let hasNextPage = false
  for (; i < store.cases.length; i++) {
    const c = store.cases[i]
    if (c === undefined || c.createdAt > end) break
    if (c.org !== org || (wanted !== undefined && !wanted.has(c.status))) continue
    if (page.length === limit) {
      hasNextPage = true
      break
    }
    page.push(c)
  }
  const first = page[0]
  const last = page[page.length - 1]
  return {
    cases: page.map((c) => caseWire(store, c)),
    pageInfo: {
      cursor: { start: first === undefined ? null : cursorOf(first), end: last === undefined ? null : cursorOf(last) },
      hasNextPage,
      // [I] True whenever an `after` cursor was given (the docs offer no `before`).
      hasPreviousPage: key !== undefined,
    },
  }
}
