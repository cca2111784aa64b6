// Keyset paging bounds: minKey and maxKey stop a walk at a window's edges, and a cursor issued by an earlier,
// wider query never leads a page outside the current window.
import { describe, expect, it } from "vitest"
import { page, snapshot } from "../../src/framework/Paging.ts"

// Ids 0..19 with keys 0, 10, 20, ... 190: id n has key 10n.
const view = snapshot(
  Array.from({ length: 20 }, (_, id) => id),
  (id) => id * 10,
)
const all = () => true

describe("paging bounds", () => {
  it("walks only rows whose key lies within minKey..maxKey", () => {
    const first = page({ view, descending: false, limit: 3, accept: all, minKey: 45, maxKey: 100 })
    expect(first).toMatchObject({ ids: [5, 6, 7], hasNext: true, hasPrev: false })
    const last = page({
      view,
      descending: false,
      limit: 3,
      accept: all,
      minKey: 45,
      maxKey: 100,
      cursor: { at: first.last ?? { key: 0, tie: 0 }, direction: "next" },
    })
    expect(last).toMatchObject({ ids: [8, 9, 10], hasNext: false, hasPrev: true })
  })

  it("starts a descending walk at maxKey", () => {
    expect(page({ view, descending: true, limit: 2, accept: all, maxKey: 35 }).ids).toEqual([3, 2])
  })

  it("does not let a cursor from before the window bring in rows below minKey", () => {
    const result = page({
      view,
      descending: false,
      limit: 5,
      accept: all,
      minKey: 120,
      cursor: { at: { key: 20, tie: 2 }, direction: "next" },
    })
    expect(result.ids).toEqual([12, 13, 14, 15, 16])
  })
})
