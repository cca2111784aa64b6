// Kore.ai routes fed arbitrary JSON over real HTTP: whatever the body, every route answers 200, 400 or 404 in
// Kore.ai's envelope (never a 500), and a refused update leaves the task untouched.
import { describe, expect, it } from "vitest"
import { Rng } from "../../src/framework/Prng.ts"
import { accountApi, type ErrorBody, useKoreai } from "./support.ts"

const koreai = useKoreai({ size: 20 })

const FIELDS = [
  "name",
  "desc",
  "status",
  "priority",
  "currAssignee",
  "queues",
  "dueDate",
  "tags",
  "userInfo",
  "caseId",
  "caseRefId",
  "taskTmp",
  "source",
  "skip",
  "limit",
  "sortBy",
  "searchText",
  "startDate",
  "agents",
  "ETA",
  "isActive",
  "unknownField",
]

const value = (rng: Rng, depth = 0): unknown => {
  switch (rng.int(depth > 1 ? 7 : 9)) {
    case 0:
      return null
    case 1:
      return rng.chance(0.5)
    case 2:
      return rng.between(-5, 200) / (rng.chance(0.2) ? 3 : 1)
    case 3:
      return rng.pick(["", "Open", "desc", "2026-01-01T00:00:00Z", "ti-x", "%", "a".repeat(300)])
    case 4:
      return []
    case 5:
      return {}
    case 6:
      return { _id: rng.pick(["", "sts-x", 5, null]) }
    case 7:
      return Array.from({ length: rng.int(3) }, () => value(rng, depth + 1))
    default:
      return Object.fromEntries(Array.from({ length: rng.int(3) }, () => [rng.pick(FIELDS), value(rng, depth + 1)]))
  }
}

describe("Kore.ai routes under arbitrary bodies", () => {
  it("never answer 500, and always in the {errors: [{msg, code}]} envelope when refusing", async () => {
    const k = await koreai()
    const rng = new Rng(11)
    const task = k.state().store.tasksOf(0)[0]
    const operations = ["getTasks", "createTask", `updateTask/${task?._id}`, "getCases", "createCase"]
    for (let i = 0; i < 300; i++) {
      const body = rng.chance(0.1)
        ? value(rng)
        : Object.fromEntries(Array.from({ length: rng.between(1, 4) }, () => [rng.pick(FIELDS), value(rng)]))
      const operation = rng.pick(operations)
      const before = JSON.stringify(task)
      const answer = await accountApi(k).post<ErrorBody>(operation, body)
      expect([200, 400, 404], `${operation} ${JSON.stringify(body)}`).toContain(answer.status)
      if (answer.status === 200) continue
      expect(answer.body.errors[0]?.code).toBe(answer.status)
      expect(JSON.stringify(task), `${operation} ${JSON.stringify(body)}`).toBe(before)
    }
  })
})
