// The snapshot paginator: a full listing in windows is one sweep generation whose last page completes it, and a
// window the vendor lists page by page (`next`) is followed to its end — each page one step — before the next window.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { snapshotStep } from "../src/Paging.ts"

type Window = { readonly name: string; readonly page: number }

/** Two windows: "a" has 5 items, "b" has 2, listed 2 per page. */
const rows: Readonly<Record<string, ReadonlyArray<number>>> = { a: [1, 2, 3, 4, 5], b: [6, 7] }
const fetch = (w: Window) => Effect.succeed((rows[w.name] ?? []).slice((w.page - 1) * 2, w.page * 2))

const step = snapshotStep<Window, number>({
  windows: Effect.succeed([
    { name: "a", page: 1 },
    { name: "b", page: 1 },
  ]),
  fetch,
  next: (w, items) => (items.length === 2 ? { ...w, page: w.page + 1 } : null),
})

describe("snapshotStep", () => {
  it.effect("follows a paged window to its short page before the next window, in one sweep generation", () =>
    Effect.gen(function* () {
      let state: Parameters<typeof step>[0] = { v: 1, run: null }
      const pages: Array<ReadonlyArray<number>> = []
      const sweeps: Array<{ generation: string; complete: boolean }> = []
      for (let n = 0; n < 10; n++) {
        const out = yield* step(state)
        pages.push(out.items)
        sweeps.push({ generation: out.sweep.generation, complete: out.sweep.complete })
        state = out.next
        if (out.done) break
      }
      assert.deepStrictEqual(pages, [[1, 2], [3, 4], [5], [6, 7], []])
      assert.strictEqual(new Set(sweeps.map((s) => s.generation)).size, 1)
      assert.deepStrictEqual(
        sweeps.map((s) => s.complete),
        [false, false, false, false, true],
      )
      assert.isNull(state.run)
    }),
  )

  it.effect("resumes from a page's state with the same page, so a replayed page lists the same items", () =>
    Effect.gen(function* () {
      const first = yield* step({ v: 1, run: null })
      const again = yield* step(first.next)
      const replay = yield* step(first.next)
      assert.deepStrictEqual(again.items, [3, 4])
      assert.deepStrictEqual(replay.items, again.items)
      assert.strictEqual(replay.sweep.generation, first.sweep.generation)
    }),
  )
})
