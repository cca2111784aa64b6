// UPDATE_ESCALATION as a Care360 client calls it: the documented 200 (assignee email → user id, updatedAt
// moves, active list) and "Escalation not found" (completed or foreign ids too), all-or-nothing batches.
import { describe, expect, it } from "vitest"
import {
  activeIds,
  agent,
  body,
  caseWith,
  type EscalationsBody,
  orgApi,
  useCareValidate,
} from "./carevalidateSupport.ts"

const cv = useCareValidate()
const MISSING = "b9c8d7e6-f5a4-4210-8edc-ba9876543210"
const update = (escalations: unknown) => ({ action: "UPDATE_ESCALATION", escalations })

describe("POST /api/v1/cases/:caseId UPDATE_ESCALATION", () => {
  it("200: sets note, followUpDueAt and assignee (by email → id), moves updatedAt, lists active escalations", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 2)
    const [id] = activeIds(c)
    const before = c.escalations.find((e) => e.id === id)?.updatedAt ?? 0
    const user = agent(sandbox, 0, 3)
    const response = await orgApi(sandbox).post(
      `/api/v1/cases/${c.id}`,
      update([
        {
          escalationId: id,
          note: "Patient confirmed new address.",
          followUpDueAt: "2025-06-15T09:00:00.000Z",
          assignedToEmail: user.email.toUpperCase(),
        },
      ]),
    )
    expect(response.status).toBe(200)
    const answer = await body<EscalationsBody>(response)
    expect(answer).toMatchObject({ status: 200, success: true, message: "Escalation(s) updated successfully" })
    expect(answer.data.escalations.map((e) => e.id)).toEqual(activeIds(c))
    const updated = answer.data.escalations.find((e) => e.id === id)
    expect(updated).toMatchObject({
      note: "Patient confirmed new address.",
      followUpDueAt: "2025-06-15T09:00:00.000Z",
      assignedToUserId: user.id,
      isCompleted: false,
    })
    expect(Date.parse(updated?.updatedAt ?? "")).toBeGreaterThan(before)
    expect(Object.keys(updated ?? {}).sort()).toEqual([
      "assignedToUserId",
      "createdAt",
      "followUpDueAt",
      "id",
      "isCompleted",
      "note",
      "title",
      "type",
      "updatedAt",
    ])
  })

  it("200: a batch updates several escalations and leaves omitted fields alone", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 2)
    const [a, b] = activeIds(c)
    const keepNote = c.escalations.find((e) => e.id === b)?.note ?? null
    const response = await orgApi(sandbox).post(
      `/api/v1/cases/${c.id}`,
      update([
        { escalationId: a, note: "first" },
        { escalationId: b, followUpDueAt: "2026-02-01T10:00:00.000Z" },
      ]),
    )
    expect(response.status).toBe(200)
    const { data } = await body<EscalationsBody>(response)
    expect(data.escalations.find((e) => e.id === a)?.note).toBe("first")
    expect(data.escalations.find((e) => e.id === b)).toMatchObject({
      note: keepNote,
      followUpDueAt: "2026-02-01T10:00:00.000Z",
    })
  })

  it("400 Escalation not found: <id> with data.escalations (the active ones), changing nothing", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 1)
    const [id] = activeIds(c)
    const response = await orgApi(sandbox).post(
      `/api/v1/cases/${c.id}`,
      update([
        { escalationId: id, note: "must not stick" },
        { escalationId: MISSING, note: "x" },
      ]),
    )
    expect(response.status).toBe(400)
    const answer = await body<EscalationsBody>(response)
    expect(answer).toEqual({
      status: 400,
      success: false,
      error: `Escalation not found: ${MISSING}`,
      data: { escalations: expect.any(Array) },
    })
    expect(answer.data.escalations.map((e) => e.id)).toEqual(activeIds(c))
    expect(answer.data.escalations.every((e) => !e.isCompleted)).toBe(true)
    expect(answer.data.escalations.find((e) => e.id === id)?.note).not.toBe("must not stick")
  })

  it("400 Escalation not found for a completed escalation and for another case's escalation", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 1, 1)
    const done = c.escalations.find((e) => e.isCompleted)?.id ?? ""
    const otherCase = sandbox.state().store.cases.find((x) => x.id !== c.id && x.org === 0 && activeIds(x).length > 0)
    const foreign = otherCase === undefined ? "" : (activeIds(otherCase)[0] ?? "")
    for (const escalationId of [done, foreign]) {
      const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, update([{ escalationId, note: "x" }]))
      expect(response.status).toBe(400)
      expect((await body<EscalationsBody>(response)).error).toBe(`Escalation not found: ${escalationId}`)
    }
  })
})
