// The 22 documented `sort` options: each orders the whole listing (followed across pages) by its field, with
// missing values last ascending and first descending.
import { describe, expect, it } from "vitest"
import { SORT_OPTIONS } from "../src/candid/Enums.ts"
import type { WireTask } from "../src/candid/Wire.ts"
import { client, json, listAll, useCandid } from "./support.ts"

const candid = useCandid()

type Value = string | boolean | undefined

const fieldValue = (task: WireTask, field: string): Value => (task as unknown as Record<string, Value>)[field]

/** -1 / 0 / 1 comparing wire values, treating a missing value as larger than any other. */
const compare = (a: Value, b: Value): number => {
  if (a === b) return 0
  if (a === undefined) return 1
  if (b === undefined) return -1
  return a < b ? -1 : 1
}

describe("GET /api/tasks/v3 sort", () => {
  it("defines 22 sort options", () => {
    expect(SORT_OPTIONS).toHaveLength(22)
  })

  it.each(SORT_OPTIONS)("orders every task by %s across pages", async (sort) => {
    const [field = "", direction] = sort.split(":")
    const api = await client(await candid())
    const items = await listAll(api, `&sort=${sort}`, 61)
    const sign = direction === "desc" ? -1 : 1
    const outOfOrder = items.slice(1).filter((task, i) => {
      const previous = items[i]
      return previous !== undefined && sign * compare(fieldValue(previous, field), fieldValue(task, field)) > 0
    })
    expect(outOfOrder).toEqual([])
    expect(items).toHaveLength((await candid()).state().store.updatedLogs[0]?.live ?? -1)
    expect(new Set(items.map((task) => fieldValue(task, field))).size).toBeGreaterThan(1)
  })

  it("rejects an unknown sort option with 422 UnprocessableEntityError", async () => {
    const api = await client(await candid())
    const response = await api.get("/api/tasks/v3?sort=priority:asc")
    expect(response.status).toBe(422)
    expect(await json(response)).toMatchObject({ errorName: "UnprocessableEntityError" })
  })
})
