// `GET /api/v1/cases`: the created-date window (≤ 60 days), status CSV, recordsPerPage (default 20, max 100) and
// the `after` cursor (= pageInfo.cursor.end), answered by the framework's keyset paging over (createdAt, seq).
import { parseIsoDateTime } from "../framework/Fake.ts"
import { page } from "../framework/Paging.ts"
import { BodyIssue } from "./Bodies.ts"
import { CASE_STATUSES, type CaseStatus } from "./Model.ts"
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

// [I] Cursors are opaque base64url of a case's (createdAt, seq), the same pair the sorted view orders by. They
// carry no filter fingerprint (unlike Candid's page tokens), so filters may change between pages.
const cursorOf = (c: { readonly key: number; readonly tie: number }): string =>
  Buffer.from(`${c.key}.${c.tie}`).toString("base64url")

const decodeCursor = (raw: string): { key: number; tie: number } => {
  const match = /^(\d+)\.(\d+)$/.exec(Buffer.from(raw, "base64url").toString("utf8"))
  if (match === null) throw new ListError("Invalid cursor")
  return { key: Number(match[1]), tie: Number(match[2]) }
}

export const listCases = (store: CareValidateStore, org: number, query: URLSearchParams) => {
  const start = time(query, "startTime")
  const end = time(query, "endTime")
  if (end < start) throw new ListError("endTime must be after startTime")
  if (end - start > MAX_RANGE_MS) throw new ListError("Date range cannot exceed 60 days")
  const wanted = statuses(query.get("status"))
  const limit = perPage(query.get("recordsPerPage"))
  const after = query.get("after")
  const cursor = after === null || after === "" ? undefined : decodeCursor(after)
  // [I] The window filters createdAt, inclusive at both ends (vendor-docs §5.6 leaves the field unstated).
  const result = page({
    view: store.byCreated,
    descending: false,
    limit,
    minKey: start,
    maxKey: end,
    ...(cursor === undefined ? {} : { cursor: { at: cursor, direction: "next" as const } }),
    accept: (seq) => {
      const c = store.bySeq[seq]
      return c !== undefined && c.org === org && (wanted === undefined || wanted.has(c.status))
    },
  })
  return {
    cases: result.ids.flatMap((seq) => {
      const c = store.bySeq[seq]
      return c === undefined ? [] : [caseWire(store, c)]
    }),
    pageInfo: {
      cursor: {
        start: result.first === undefined ? null : cursorOf(result.first),
        end: result.last === undefined ? null : cursorOf(result.last),
      },
      hasNextPage: result.hasNext,
      // [I] True whenever an `after` cursor was given (the docs offer no `before`).
      hasPreviousPage: result.hasPrev,
    },
  }
}
