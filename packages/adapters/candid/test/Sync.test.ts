// The Candid listing's step on pages a test writes itself: an item whose stamps are not instants is quarantined with
// the page's other items landing (never a defect of the pull), and the already delivered items of an overlap are
// skipped without being decoded again.
import { assert, describe, it } from "@effect/vitest"
import { idAt, salvage } from "@taskbridge/adapter-kit/Salvage"
import { candidScheme } from "@taskbridge/domain/schemes/Candid"
import { Effect, Stream } from "effect"
import type { CandidClient } from "../src/Client.ts"
import { Task } from "../src/Schema.ts"
import { listChanges } from "../src/Sync.ts"
import answer from "./fixtures/update-task.response.json" with { type: "json" }

const task = (id: string, at: string) => ({ ...answer, task_id: id, updated_at: at, agg_updated_at: at })

/** A client that answers each listing with the next of `pages` and counts the items it is asked to decode. */
const clientOf = (pages: ReadonlyArray<ReadonlyArray<unknown>>) => {
  let call = 0
  const decoded: Array<number> = []
  const client = {
    listRawTasks: () => Effect.succeed({ items: pages[call++] ?? [], next_page_token: null }),
    decodeTasks: (items: ReadonlyArray<unknown>, positions: ReadonlyArray<number>) => {
      decoded.push(items.length)
      return salvage(Task, idAt("task_id"), items, positions)
    },
  } as unknown as CandidClient
  return { client, decoded }
}

const options = { pageSize: 999, overlapMillis: 5 * 60_000 }

describe("Candid listing step", () => {
  it.effect("quarantines an item whose update time is not an instant, and delivers the rest of its page", () =>
    Effect.gen(function* () {
      const page = [task("a", "2026-12-01T10:00:00Z"), task("b", "not a time"), task("c", "2026-12-01T10:00:01Z")]
      const { client } = clientOf([page, []])
      const pages = yield* Stream.runCollect(listChanges(client, Effect.succeed(candidScheme()), null, options))
      const records = pages.flatMap((p) => p.records.map((r) => r.id as string))
      const held = pages.flatMap((p) => p.quarantined ?? [])
      assert.deepStrictEqual(records, ["a", "c"])
      assert.deepStrictEqual(
        held.map((q) => q.recordId as string | null),
        ["b"],
      )
      assert.match(held[0]?.reason ?? "", /^record 2 of the page: updated_at /)
    }),
  )

  it.effect("does not decode again the items an overlap lists a second time", () =>
    Effect.gen(function* () {
      const first = [task("a", "2026-12-01T10:00:00Z"), task("b", "2026-12-01T10:00:01Z")]
      // The backfill is one page; the next pull's phase 1 lists both again (its overlap) with a new one, phase 2 nothing.
      const { client, decoded } = clientOf([first, [...first, task("c", "2026-12-01T10:00:02Z")], []])
      const backfill = yield* Stream.runCollect(listChanges(client, Effect.succeed(candidScheme()), null, options))
      const checkpoint = backfill.at(-1)?.checkpoint ?? null
      const next = yield* Stream.runCollect(listChanges(client, Effect.succeed(candidScheme()), checkpoint, options))
      assert.deepStrictEqual(
        next.flatMap((p) => p.records.map((r) => r.id as string)),
        ["c"],
      )
      // The second pull's first page listed three items and decoded only the new one.
      assert.deepStrictEqual(decoded, [2, 1, 0])
    }),
  )
})
