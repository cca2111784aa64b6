// Reading cases as a Care360 client does: cv-api-key auth, `GET /api/v1/cases` (60-day window, status,
// recordsPerPage, `after` cursor) and `GET /api/v1/customer-case-detail` with escalations, all org-scoped.
import { describe, expect, it } from "vitest"
import type { WireCase } from "../src/carevalidate/Wire.ts"
import {
  ANCHOR,
  api,
  apiKey,
  body,
  caseWith,
  DAY,
  type Envelope,
  orgApi,
  useCareValidate,
} from "./carevalidateSupport.ts"

const cv = useCareValidate()

interface PageData {
  cases: Array<WireCase>
  pageInfo: { cursor: { start: string | null; end: string | null }; hasNextPage: boolean; hasPreviousPage: boolean }
}

const iso = (ms: number) => new Date(ms).toISOString()
const window = (fromDaysAgo: number, toDaysAgo: number) =>
  `startTime=${encodeURIComponent(iso(ANCHOR - fromDaysAgo * DAY))}&endTime=${encodeURIComponent(iso(ANCHOR - toDaysAgo * DAY))}`

describe("cv-api-key auth", () => {
  it("answers 401 for a missing or unknown key and accepts the header in any case", async () => {
    const sandbox = await cv()
    const path = `/api/v1/customer-case-detail?caseId=${caseWith(sandbox).id}`
    for (const key of [null, "cv_sbx_nope"]) {
      const response = await api(sandbox, key).get(path)
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({
        status: 401,
        success: false,
        message: "Invalid request",
        error: "Invalid API key",
      })
    }
    const response = await fetch(`${sandbox.url}${path}`, { headers: { "CV-Api-Key": apiKey(sandbox) } })
    expect(response.status).toBe(200)
  })

  it("gives each organization its own deterministic key", async () => {
    const sandbox = await cv()
    const keys = sandbox.state().store.orgs.map((org) => org.apiKey)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys.length).toBeGreaterThanOrEqual(2)
    sandbox.control.reset()
    expect(sandbox.state().store.orgs.map((org) => org.apiKey)).toEqual(keys)
  })
})

describe("GET /api/v1/customer-case-detail", () => {
  it("returns the case with all its escalations, completed ones included", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 1, 1)
    const response = await orgApi(sandbox).get(`/api/v1/customer-case-detail?caseId=${c.id}`)
    expect(response.status).toBe(200)
    const answer =
      await body<Envelope<{ case: WireCase & { escalations: Array<{ id: string; isCompleted: boolean }> } }>>(response)
    expect(answer).toMatchObject({ status: 200, success: true, data: { case: { id: c.id, isEscalated: true } } })
    expect(answer.data.case.escalations.map((e) => e.id)).toEqual(c.escalations.map((e) => e.id))
    expect(answer.data.case.escalations.some((e) => e.isCompleted)).toBe(true)
  })

  it("answers 400 Case not found! and 401 Permission denied! like the update endpoint", async () => {
    const sandbox = await cv()
    const missing = await orgApi(sandbox).get(
      "/api/v1/customer-case-detail?caseId=00000000-0000-4000-8000-000000000000",
    )
    expect(missing.status).toBe(400)
    expect((await body<Envelope<unknown>>(missing)).error).toBe("Case not found!")
    const theirs = await orgApi(sandbox, 0).get(`/api/v1/customer-case-detail?caseId=${caseWith(sandbox, 1).id}`)
    expect(theirs.status).toBe(401)
    expect((await body<Envelope<unknown>>(theirs)).error).toBe("Permission denied!")
  })
})

describe("GET /api/v1/cases", () => {
  it("pages a window with the after cursor, visiting every case of the organization once in createdAt order", async () => {
    const sandbox = await cv()
    const seen: Array<WireCase> = []
    let after = ""
    for (let pages = 0; pages < 100; pages++) {
      const response = await orgApi(sandbox).get(`/api/v1/cases?${window(59, 0)}&recordsPerPage=7${after}`)
      expect(response.status).toBe(200)
      const { data } = await body<Envelope<PageData>>(response)
      expect(data.pageInfo.hasPreviousPage).toBe(after !== "")
      seen.push(...data.cases)
      if (!data.pageInfo.hasNextPage) break
      after = `&after=${data.pageInfo.cursor.end}`
    }
    const start = ANCHOR - 59 * DAY
    const expected = sandbox
      .state()
      .store.cases.filter((c) => c.org === 0 && c.createdAt >= start && c.createdAt <= ANCHOR)
    expect(seen.map((c) => c.id)).toEqual(expected.map((c) => c.id))
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length)
    expect(expected.length).toBeGreaterThan(14)
  })

  it("defaults to 20 per page, filters by status CSV and returns only the key's organization", async () => {
    const sandbox = await cv()
    const first = await body<Envelope<PageData>>(await orgApi(sandbox, 1).get(`/api/v1/cases?${window(60, 0)}`))
    expect(first).toMatchObject({ status: 200, success: true })
    expect(first.data.cases.length).toBe(20)
    const theirs = new Set(
      sandbox
        .state()
        .store.cases.filter((c) => c.org === 1)
        .map((c) => c.id),
    )
    expect(first.data.cases.every((c) => theirs.has(c.id))).toBe(true)
    const filtered = await body<Envelope<PageData>>(
      await orgApi(sandbox).get(`/api/v1/cases?${window(60, 0)}&status=OPEN,APPROVED&recordsPerPage=100`),
    )
    expect(filtered.data.cases.length).toBeGreaterThan(0)
    expect(filtered.data.cases.every((c) => c.status === "OPEN" || c.status === "APPROVED")).toBe(true)
  })

  it("answers 400 for a range over 60 days, recordsPerPage over 100 and a missing startTime", async () => {
    const sandbox = await cv()
    const tooWide = await orgApi(sandbox).get(`/api/v1/cases?${window(61, 0)}`)
    expect(tooWide.status).toBe(400)
    expect(await tooWide.json()).toEqual({
      status: 400,
      success: false,
      message: "Invalid request",
      error: "Date range cannot exceed 60 days",
    })
    const tooMany = await orgApi(sandbox).get(`/api/v1/cases?${window(10, 0)}&recordsPerPage=101`)
    expect(await tooMany.json()).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error: "recordsPerPage, Number must be less than or equal to 100",
    })
    const noStart = await orgApi(sandbox).get(`/api/v1/cases?endTime=${iso(ANCHOR)}`)
    expect(await noStart.json()).toEqual({ status: 400, code: "VALIDATION_ERROR", error: "startTime, Required" })
  })
})
