// ADD_ESCALATION, closed cases, CareValidate staff activity (completion makes an escalation immutable through the
// API) and the CareValidate control route, all over real HTTP.
import { describe, expect, it } from "vitest"
import { emulators } from "../src/registry.ts"
import {
  activeIds,
  agent,
  body,
  caseWith,
  type Envelope,
  type EscalationsBody,
  orgApi,
  useCareValidate,
} from "./carevalidateSupport.ts"

const cv = useCareValidate()

describe("POST /api/v1/cases/:caseId ADD_ESCALATION", () => {
  it("200: adds escalations (assignee by email) and answers with the active list", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox)
    const before = activeIds(c)
    const user = agent(sandbox, 0, 1)
    const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, {
      action: "ADD_ESCALATION",
      escalations: [
        { type: "support", title: "Refill Request", note: "Asked for refill", assignedToEmail: user.email },
      ],
    })
    expect(response.status).toBe(200)
    const answer = await body<EscalationsBody>(response)
    expect(answer).toMatchObject({ status: 200, success: true, message: "Escalation(s) added successfully" })
    expect(answer.data.escalations.length).toBe(before.length + 1)
    expect(answer.data.escalations.at(-1)).toMatchObject({
      type: "support",
      title: "Refill Request",
      note: "Asked for refill",
      assignedToUserId: user.id,
      followUpDueAt: null,
      isCompleted: false,
    })
  })

  it("400 VALIDATION_ERROR for an unknown type or a title that doesn't belong to the type", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox)
    const post = (item: unknown) =>
      orgApi(sandbox).post(`/api/v1/cases/${c.id}`, { action: "ADD_ESCALATION", escalations: [item] })
    expect(await (await post({ type: "billing", title: "Cancellation" })).json()).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error: "escalations.0.type, Invalid enum value. Expected 'support' | 'clinical' | 'external', received 'billing'",
    })
    expect(await (await post({ type: "clinical", title: "Cancellation" })).json()).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error: "escalations.0.title, Invalid title for type clinical",
    })
  })

  it("400 on a closed (archived) case, where only REOPEN is allowed", async () => {
    const sandbox = await cv()
    const closed = sandbox.state().store.cases.find((c) => c.org === 0 && c.isArchived)
    if (closed === undefined) throw new Error("no archived case in the seed")
    const response = await orgApi(sandbox).post(`/api/v1/cases/${closed.id}`, {
      action: "ADD_ESCALATION",
      escalations: [{ type: "support", title: "Miscellaneous" }],
    })
    expect(response.status).toBe(400)
    expect((await body<Envelope<unknown>>(response)).error).toBe("Only REOPEN action is allowed on a closed case")
  })
})

describe("staff activity", () => {
  it("completing an escalation (vendor side only) makes UPDATE answer 400 Escalation not found", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 2)
    const [id] = activeIds(c)
    const step = await fetch(`${sandbox.url}/_sandbox/activity/step`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kinds: ["complete"], id }),
    })
    const { events } = await body<{ events: Array<{ kind: string; id: string; detail: { caseId: string } }> }>(step)
    expect(events).toMatchObject([{ kind: "complete", id, detail: { caseId: c.id, isCompleted: true } }])
    const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, {
      action: "UPDATE_ESCALATION",
      escalations: [{ escalationId: id, note: "too late" }],
    })
    expect(response.status).toBe(400)
    const answer = await body<EscalationsBody>(response)
    expect(answer.error).toBe(`Escalation not found: ${id}`)
    expect(answer.data.escalations.map((e) => e.id)).not.toContain(id)
    const detail = await orgApi(sandbox).get(`/api/v1/customer-case-detail?caseId=${c.id}`)
    const { data } =
      await body<Envelope<{ case: { escalations: Array<{ id: string; isCompleted: boolean }> } }>>(detail)
    expect(data.case.escalations.find((e) => e.id === id)?.isCompleted).toBe(true)
    // A completed escalation is out of staff reach too.
    expect(sandbox.control.activity.step(1, { kinds: ["note"], id })).toEqual([])
  })

  it("edits note, follow-up and assignee and adds escalations, visible through the case detail", async () => {
    const sandbox = await cv()
    const c = caseWith(sandbox, 0, 1)
    const kinds = ["note", "followUp", "assign", "add"]
    for (const kind of kinds) {
      const [event] = sandbox.control.activity.step(1, { kinds: [kind], id: c.id })
      expect(event).toMatchObject({ kind, detail: { caseId: c.id } })
      const detail = await orgApi(sandbox).get(`/api/v1/customer-case-detail?caseId=${c.id}`)
      const { data } = await body<Envelope<{ case: { escalations: Array<Record<string, unknown>> } }>>(detail)
      const seen = data.case.escalations.find((e) => e.id === event?.id)
      expect(seen?.updatedAt).toBe(event?.at)
    }
    expect(() => sandbox.control.activity.step(1, { id: "nope" })).toThrow(TypeError)
  })
})

describe("control and registry", () => {
  it("GET /_sandbox/organizations lists keys, users with emails and ids, and sample case ids", async () => {
    const sandbox = await cv()
    const response = await fetch(`${sandbox.url}/_sandbox/organizations`)
    const { organizations } = await body<{
      organizations: Array<{
        apiKey: string
        users: Array<{ id: string; email: string; role: string }>
        sampleCaseIds: Array<string>
      }>
    }>(response)
    expect(organizations.length).toBeGreaterThanOrEqual(2)
    const [org] = organizations
    expect(org?.users.some((u) => u.role === "CVTPA" && u.email.includes("@"))).toBe(true)
    const caseId = org?.sampleCaseIds[0] ?? ""
    const detail = await orgApi(sandbox).get(`/api/v1/customer-case-detail?caseId=${caseId}`)
    expect(detail.status).toBe(200)
    expect(sandbox.info().credentials).toEqual(
      expect.arrayContaining([expect.objectContaining({ apiKey: org?.apiKey })]),
    )
  })

  it("is registered on port 4105", () => {
    expect(emulators.find((e) => e.vendor === "carevalidate")?.defaultPort).toBe(4105)
  })
})
