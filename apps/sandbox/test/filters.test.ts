// Every documented GET /api/tasks/v3 filter, checked against the full listing: each returns exactly the
// tasks whose wire values match, and bad enum or date values are 422 UnprocessableEntityError.
import { beforeAll, describe, expect, it } from "vitest"
import type { WireTask } from "../src/candid/Wire.ts"
import { type Client, client, json, listAll, useCandid } from "./support.ts"

// Read-only: one seeded state and one token serve the whole file.
const candid = useCandid({ size: 600 }, { resetEachTest: false })

const all: { api?: Client; tasks: Array<WireTask> } = { tasks: [] }

beforeAll(async () => {
  all.api = await client(await candid())
  all.tasks = await listAll(all.api, "", 999)
})

const pick = (predicate: (task: WireTask) => boolean): WireTask => {
  const task = all.tasks.find(predicate)
  if (task === undefined) throw new Error("seed has no task for this case")
  return task
}

/** Lists with the query and expects exactly the tasks the predicate selects from the full listing. */
const expectFilter = async (query: string, predicate: (task: WireTask) => boolean) => {
  const api = all.api ?? (await client(await candid()))
  const got = (await listAll(api, query, 999)).map((task) => task.task_id).sort()
  const want = all.tasks
    .filter(predicate)
    .map((task) => task.task_id)
    .sort()
  expect(want.length).toBeGreaterThan(0)
  expect(got).toEqual(want)
}

describe("GET /api/tasks/v3 filters", () => {
  it("filters by status", () => expectFilter("&status=blocked", (task) => task.status === "blocked"))

  it("filters by a comma-separated statuses list", () =>
    expectFilter("&statuses=open,in_progress", (task) => task.status === "open" || task.status === "in_progress"))

  it("filters by task_type", () => expectFilter("&task_type=ELIGIBILITY", (task) => task.task_type === "ELIGIBILITY"))

  it("filters by a comma-separated task_types list", () =>
    expectFilter("&task_types=CODE_CLAIM,DENIAL_RESOLUTION", (task) =>
      ["CODE_CLAIM", "DENIAL_RESOLUTION"].includes(task.task_type),
    ))

  it("filters by a comma-separated categories list", () =>
    expectFilter("&categories=other,inactive_coverage", (task) =>
      ["other", "inactive_coverage"].includes(task.category ?? ""),
    ))

  it("filters by encounter_id", () => {
    const { encounter_id } = pick(() => true)
    return expectFilter(`&encounter_id=${encounter_id}`, (task) => task.encounter_id === encounter_id)
  })

  it("finds a task by its task_id through search_term", () => {
    const { task_id } = pick(() => true)
    return expectFilter(`&search_term=${task_id}`, (task) => task.task_id === task_id)
  })

  it("finds an encounter's tasks by external_id through search_term", () => {
    const { external_id } = pick(() => true)
    return expectFilter(`&search_term=${external_id}`, (task) => task.external_id === external_id)
  })

  it("filters by assigned_to_id", () => {
    const assignee = pick((task) => task.assignments.length > 0).assignments[0]?.assignee_user_id
    return expectFilter(`&assigned_to_id=${assignee}`, (task) => task.assignments[0]?.assignee_user_id === assignee)
  })

  it("filters by an inclusive date_of_service_min and date_of_service_max", () => {
    const day = pick(() => true).date_of_service
    return expectFilter(
      `&date_of_service_min=${day}&date_of_service_max=${day}`,
      (task) => task.date_of_service === day,
    )
  })

  it("filters by billing_provider_npi", async () => {
    const sandbox = await candid()
    const { store } = sandbox.state()
    const task = pick(() => true)
    const encounter = store.encounterIndex(task.encounter_id) ?? -1
    const npi = store.orgs[0]?.providers[store.encounters.cols.provider[encounter] ?? 0]?.npi
    const sameProvider = (t: WireTask) =>
      store.encounters.cols.provider[store.encounterIndex(t.encounter_id) ?? -1] ===
      store.encounters.cols.provider[encounter]
    expect(npi).toMatch(/^\d{10}$/)
    await expectFilter(`&billing_provider_npi=${npi}`, sameProvider)
  })

  it("combines filters", () =>
    expectFilter(
      "&status=open&task_types=ELIGIBILITY,CLAIM_FOLLOW_UP",
      (task) => task.status === "open" && ["ELIGIBILITY", "CLAIM_FOLLOW_UP"].includes(task.task_type),
    ))

  it.each([
    "status=done",
    "task_types=FOO",
    "categories=nope",
    "updated_since=yesterday",
    "date_of_service_min=2024-13-01",
  ])("rejects %s with 422 UnprocessableEntityError", async (query) => {
    const api = all.api ?? (await client(await candid()))
    const response = await api.get(`/api/tasks/v3?${query}`)
    expect(response.status).toBe(422)
    expect(await json(response)).toMatchObject({
      errorName: "UnprocessableEntityError",
      content: { message: expect.any(String) },
    })
  })
})
