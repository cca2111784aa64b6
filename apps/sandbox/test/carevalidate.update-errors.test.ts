// UPDATE_ESCALATION error answers as documented: the three VALIDATION_ERRORs, assignee not found (batch left
// untouched), "Case not found!" (400) and "Permission denied!" (401) for another organization's case.
import { describe, expect, it } from "vitest"
import { activeIds, agent, caseWith, orgApi, useCareValidate } from "./carevalidateSupport.ts"

const cv = useCareValidate()
const MISSING = "b9c8d7e6-f5a4-4210-8edc-ba9876543210"
const update = (escalations: unknown) => ({ action: "UPDATE_ESCALATION", escalations })

describe("POST /api/v1/cases/:caseId UPDATE_ESCALATION errors", () => {
  it("400 VALIDATION_ERROR for a non-UUID escalationId", async () => {
    const sandbox = await cv()
    const response = await orgApi(sandbox).post(
      `/api/v1/cases/${caseWith(sandbox).id}`,
      update([{ escalationId: "abc", note: "x" }]),
    )
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error: "escalations.0.escalationId, escalationId must be a valid UUID",
    })
  })

  it("400 VALIDATION_ERROR for an unknown field", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox)
    const item = { escalationId: activeIds(c)[0], unknownField: 1 }
    const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, update([item]))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error: "escalations.0.unknownField, Unrecognized key(s) in object: 'unknownField'",
    })
  })

  it("400 VALIDATION_ERROR for an empty escalations array", async () => {
    const sandbox = await cv()
    const response = await orgApi(sandbox).post(`/api/v1/cases/${caseWith(sandbox).id}`, update([]))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error: "escalations, At least one escalation is required",
    })
  })

  it("400 VALIDATION_ERROR reports the failing item's index and bad dates", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 2)
    const [a, b] = activeIds(c)
    const response = await orgApi(sandbox).post(
      `/api/v1/cases/${c.id}`,
      update([{ escalationId: a }, { escalationId: b, followUpDueAt: "next tuesday" }]),
    )
    expect(await response.json()).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error: "escalations.1.followUpDueAt, Invalid datetime",
    })
  })

  it("400 No assignable user for an unknown email, a provider, or another organization's agent; batch untouched", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 1)
    const [id] = activeIds(c)
    const provider = sandbox.state().store.orgs[0]?.users.find((u) => u.role === "PROVIDER")?.email ?? ""
    for (const email of ["agent@example.com", provider, agent(sandbox, 1).email]) {
      const response = await orgApi(sandbox).post(
        `/api/v1/cases/${c.id}`,
        update([
          { escalationId: id, note: "must not stick" },
          { escalationId: id, assignedToEmail: email },
        ]),
      )
      expect(response.status).toBe(400)
      expect(await response.json()).toEqual({
        status: 400,
        success: false,
        message: "Invalid request",
        error: `No assignable user found with email ${email} for this organization`,
      })
    }
    expect(c.escalations.find((e) => e.id === id)?.note).not.toBe("must not stick")
  })

  it("400 Case not found! for an unknown case id", async () => {
    const sandbox = await cv()
    const response = await orgApi(sandbox).post(`/api/v1/cases/${MISSING}`, update([{ escalationId: MISSING }]))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      status: 400,
      success: false,
      message: "Invalid request",
      error: "Case not found!",
    })
  })

  it("401 Permission denied! for another organization's case, which stays unchanged", async () => {
    const sandbox = await cv()
    const theirs = caseWith(sandbox, 1, 1)
    const [id] = activeIds(theirs)
    const response = await orgApi(sandbox, 0).post(
      `/api/v1/cases/${theirs.id}`,
      update([{ escalationId: id, note: "x" }]),
    )
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      status: 401,
      success: false,
      message: "Invalid request",
      error: "Permission denied!",
    })
    expect(theirs.escalations.find((e) => e.id === id)?.note).not.toBe("x")
  })
})
