// Organizations and the ownership check: a directory by index and id, revocation, and `ownership`, which answers
// in the vendor's own words for a missing record and for another tenant's.
import { describe, expect, it } from "vitest"
import { json } from "../../src/framework/Http.ts"
import { Organizations, ownership } from "../../src/framework/Organizations.ts"
import { organizations } from "./requests.ts"

interface Thing {
  readonly id: string
  readonly owner: number
}

const records = new Map<string, Thing>([
  ["r-1", { id: "r-1", owner: 0 }],
  ["r-2", { id: "r-2", owner: 1 }],
])

const check = ownership<Map<string, Thing>, Thing>({
  find: (state, id) => state.get(id),
  ownerOf: (_, record) => record.owner,
  missing: (id) => json(404, { errorName: "EntityNotFoundError", content: { id } }),
  foreign: () => json(403, { errorName: "UnauthorizedError", content: { message: "not yours" } }),
})

describe("organizations", () => {
  it("finds organizations by index and id, and revokes one without touching the other", () => {
    const orgs = organizations()
    expect(orgs.at(1)?.organizationId).toBe("org-b")
    expect(orgs.byId("org-a")?.index).toBe(0)
    expect(orgs.byId("org-c")).toBeUndefined()
    orgs.revoke(1)
    expect([orgs.isRevoked(0), orgs.isRevoked(1)]).toEqual([false, true])
  })

  it("refuses a list whose indexes are not their positions, since records store the index as owner", () => {
    expect(() => new Organizations([{ index: 1, organizationId: "x", name: "X" }])).toThrow(/index 1, not 0/)
  })
})

describe("ownership", () => {
  it("returns the record to its owner", () => {
    expect(check(records, 0, "r-1")).toEqual({ ok: true, record: { id: "r-1", owner: 0 } })
  })

  it("answers the vendor's not-found body for an id nobody has", () => {
    expect(check(records, 0, "r-9")).toEqual({
      ok: false,
      response: { status: 404, body: { errorName: "EntityNotFoundError", content: { id: "r-9" } } },
    })
  })

  it("answers the vendor's forbidden body for another tenant's record", () => {
    expect(check(records, 0, "r-2")).toMatchObject({ ok: false, response: { status: 403 } })
  })
})
