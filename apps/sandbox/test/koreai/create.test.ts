// The Kore.ai emulator's createTask and createCase over real HTTP: the required fields, the case and template a
// task must name, the defaults (open status, Medium), refs counted per account, and the update rules on create.
import { describe, expect, it } from "vitest"
import { account, accountApi, type ErrorBody, type Koreai, useKoreai, type WireTask } from "./support.ts"

const koreai = useKoreai()

describe("POST …/createTask and the case it belongs to", () => {
  /** createTask's required fields [D], the template one of the account's. */
  const required = (k: Koreai) => ({
    taskTmp: account(k).templates[0]?._id,
    name: "Verify coverage",
    userInfo: { _id: "u-1" },
    source: "rtm",
    desc: "d",
  })

  it("creates a task in a new case, with refs, the open status, Medium, and adds it to the case", async () => {
    const k = await koreai()
    const api = accountApi(k)
    const kase = await api.post<{ _id: string; refId: string; taskIds: Array<string> }>("createCase", {
      name: "Coverage question",
      userInfo: { name: "Ana Diaz", emailId: "ana@example.org" },
    })
    expect(kase.status).toBe(200)
    expect(kase.body._id).toMatch(/^ci-/)
    expect(kase.body.refId).toMatch(/^CS\d{6}$/)
    const created = await api.post<WireTask>("createTask", {
      ...required(k),
      caseId: kase.body._id,
      caseRefId: kase.body.refId,
    })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({
      caseId: kase.body._id,
      caseRefId: kase.body.refId,
      taskTmp: account(k).templates[0]?._id,
      name: "Verify coverage",
      lname: "verify coverage",
      conversationType: "TASK",
      iId: account(k).streamId,
    })
    expect(created.body._id).toMatch(/^ti-/)
    expect(created.body.refId).toMatch(/^TS\d{6}$/)
    expect(created.body.status.name).toBe("Open")
    expect(created.body.priority.name).toBe("Medium")
    expect(created.body.createdAt).toBe(created.body.updatedAt)
    const cases = await api.post<{ results: Array<{ _id: string; taskIds: Array<string> }> }>("getCases", { limit: 1 })
    expect(cases.body.results[0]).toMatchObject({ _id: kase.body._id, taskIds: [created.body._id] })
    const found = await api.post<{ results: Array<WireTask> }>("getTasks", { searchText: created.body.refId })
    expect(found.body.results.map((t) => t._id)).toEqual([created.body._id])
  })

  it("numbers refs per account without reuse", async () => {
    const k = await koreai()
    const kase = k.state().store.casesOf(0)[0]
    const body = { ...required(k), caseId: kase?._id, caseRefId: kase?.refId }
    const a = await accountApi(k).post<WireTask>("createTask", body)
    const b = await accountApi(k).post<WireTask>("createTask", body)
    const n = (ref: string) => Number(ref.slice(2))
    expect(n(b.body.refId)).toBe(n(a.body.refId) + 1)
    expect(n(a.body.refId)).toBe(k.state().store.tasksOf(0).length - 1)
  })

  it("takes status, priority, assignee, queues and dueDate on create, by the update rules", async () => {
    const k = await koreai()
    const org = account(k)
    const kase = k.state().store.casesOf(0)[0]
    const status = org.statuses.find((s) => s.name === "In Progress")
    const created = await accountApi(k).post<WireTask>("createTask", {
      ...required(k),
      caseId: kase?._id,
      caseRefId: kase?.refId,
      status: { _id: status?._id },
      currAssignee: { _id: org.agents[0]?._id },
      dueDate: Date.UTC(2026, 5, 1),
    })
    expect(created.body.status._id).toBe(status?._id)
    expect(created.body.currAssignee._id).toBe(org.agents[0]?._id)
    expect(created.body.assigneeType).toBe("agent")
    expect(created.body.dueDate).toBe(Date.UTC(2026, 5, 1))
    const inactive = org.statuses.find((s) => !s.isActive)
    const refusedAnswer = await accountApi(k).post<ErrorBody>("createTask", {
      ...required(k),
      caseId: kase?._id,
      caseRefId: kase?.refId,
      status: { _id: inactive?._id },
    })
    expect(refusedAnswer.status).toBe(400)
  })

  it("refuses a missing required field, an unknown or foreign case and a caseRefId of another case", async () => {
    const k = await koreai()
    const [kase, other] = k.state().store.casesOf(0)
    const foreign = k.state().store.casesOf(1)[0]
    const api = accountApi(k)
    const message = async (body: unknown) => {
      const answer = await api.post<ErrorBody>("createTask", body)
      expect(answer.status).toBe(400)
      return answer.body.errors[0]?.msg
    }
    const all = required(k)
    for (const key of Object.keys(all)) {
      const { [key as keyof typeof all]: _, ...rest } = all
      expect(await message({ ...rest, caseId: kase?._id, caseRefId: kase?.refId })).toBe(`${key} is required`)
    }
    expect(await message({ ...required(k), caseRefId: kase?.refId })).toBe("caseId is required")
    expect(await message({ ...required(k), caseId: "ci-nope", caseRefId: "CS000001" })).toBe(
      "Invalid caseId: case ci-nope not found",
    )
    expect(await message({ ...required(k), caseId: foreign?._id, caseRefId: foreign?.refId })).toMatch(/not found$/)
    expect(await message({ ...required(k), caseId: kase?._id, caseRefId: other?.refId })).toMatch(/does not match/)
    expect(await message({ ...required(k), taskTmp: "ttm-nope", caseId: kase?._id, caseRefId: kase?.refId })).toBe(
      "Invalid taskTmp: ttm-nope is not a task template of this app",
    )
    expect(
      await message({ ...required(k), caseId: kase?._id, caseRefId: kase?.refId, userInfo: { name: "x" } }),
    ).toMatch(/^userInfo must have/)
  })
})
