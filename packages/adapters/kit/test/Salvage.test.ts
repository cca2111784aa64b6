// Record-by-record reading of a vendor page: readable records go on, unreadable ones are held with the field and rule
// (never the value) and their id, an oversized one without its payload; and the paginators count held records as the
// vendor's page size, so a page short only of readable records is not taken for the last one.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { emptyScan, scanKey, scanStep, snapshotStep } from "../src/Paging.ts"
import { idAt, maxQuarantinedPayloadBytes, salvage } from "../src/Salvage.ts"

const Item = Schema.Struct({ id: Schema.String, title: Schema.String, updated: Schema.Number })
type Item = typeof Item.Type

describe("salvage", () => {
  it("keeps the readable records and holds the others with their id and the rule they broke", () => {
    const read = salvage(Item, idAt("id"), [
      { id: "a", title: "Call payer", updated: 1 },
      { id: "b", title: 404, updated: 2 },
      { title: "no id", updated: 3, secret: "Jane Doe" },
      "not even an object",
    ])
    assert.deepStrictEqual(
      read.items.map((i) => i.id),
      ["a"],
    )
    assert.strictEqual(read.count, 4)
    assert.deepStrictEqual(
      read.quarantined.map((q) => q.recordId),
      ["b", null, null],
    )
    assert.strictEqual(read.quarantined[0]?.reason, "record 2 of the page: title has the wrong type")
    assert.strictEqual(read.quarantined[1]?.reason, "record 3 of the page: id is missing")
    for (const q of read.quarantined) assert.notInclude(q.reason, "Jane Doe")
    assert.deepStrictEqual(read.quarantined[0]?.payload, { id: "b", title: 404, updated: 2 })
  })

  it("names a broken record by its place on the vendor's page when only some of the page is read", () => {
    // The caller skipped the page's first three items (already delivered) and reads its 4th and 7th.
    const read = salvage(
      Item,
      idAt("id"),
      [
        { id: "d", title: "ok", updated: 4 },
        { id: "g", updated: 7 },
      ],
      [3, 6],
    )
    assert.deepStrictEqual(
      read.items.map((i) => i.id),
      ["d"],
    )
    assert.strictEqual(read.quarantined[0]?.reason, "record 7 of the page: title is missing")
  })

  it("keeps an oversized broken record's id and reason but not its payload", () => {
    const huge = { id: "c", title: 1, updated: 0, note: "x".repeat(maxQuarantinedPayloadBytes) }
    const [held] = salvage(Item, idAt("id"), [huge]).quarantined
    assert.strictEqual(held?.recordId, "c")
    assert.isNull(held?.payload)
  })
})

describe("paging counts held records", () => {
  const page = (n: number, broken: number) =>
    salvage(
      Item,
      idAt("id"),
      Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: i < broken ? 0 : "ok", updated: 100 - i })),
    )

  it.effect("a scan page short only of readable records goes on to the next page", () =>
    Effect.gen(function* () {
      const step = scanStep<Item>({
        addressing: "page",
        limit: 3,
        overlapMillis: 0,
        overlapRows: 0,
        key: (i) => scanKey(i.id, "1", i.updated, i),
        updatedAt: (i) => i.updated,
        fetch: (skip) => {
          const read = page(skip === 0 ? 3 : 1, skip === 0 ? 1 : 0)
          return Effect.succeed({ items: read.items, quarantined: read.quarantined, last: read.count < 3 })
        },
      })
      const first = yield* step(emptyScan)
      assert.isFalse(first.done)
      assert.strictEqual(first.items.length, 2)
      assert.strictEqual(first.quarantined.length, 1)
      assert.strictEqual(first.next.run?.skip, 3, "the offset moves past the unreadable record too")
    }),
  )

  it.effect("a snapshot window's next page is judged by the vendor's count", () =>
    Effect.gen(function* () {
      const step = snapshotStep<{ readonly page: number }, Item>({
        windows: Effect.succeed([{ page: 1 }]),
        fetch: (w) => Effect.succeed(page(w.page === 1 ? 3 : 0, 1)),
        next: (w, _items, count) => (count < 3 ? null : { page: w.page + 1 }),
      })
      const first = yield* step({ v: 1, run: null })
      assert.isFalse(first.done)
      assert.strictEqual(first.quarantined.length, 1)
      assert.deepStrictEqual(first.next.run?.pending, [{ page: 2 }])
    }),
  )
})
