// The engine processes' heap growth setting: read from TASKBRIDGE_HEAP_GROWTH_PERCENT with a clear error for a bad
// value, and, set once the process has started, actually changing how far V8 lets the heap grow (two real processes
// under the same load, one left to V8's heuristic).

import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit } from "effect"
import * as Heap from "../src/Heap.ts"
import { spawnFixture } from "./support/child.ts"

const read = (env: Record<string, string>) => Heap.growthPercent.parse(ConfigProvider.fromEnvRecord(env))

describe("Heap.growthPercent", () => {
  it.effect("defaults to 50 and reads an integer from 0 to 400", () =>
    Effect.gen(function* () {
      expect(yield* read({})).toBe(Heap.defaultGrowthPercent)
      expect(yield* read({ TASKBRIDGE_HEAP_GROWTH_PERCENT: "0" })).toBe(0)
      expect(yield* read({ TASKBRIDGE_HEAP_GROWTH_PERCENT: "400" })).toBe(400)
    }),
  )

  it.effect("rejects a value that is not an integer in range, naming the variable", () =>
    Effect.gen(function* () {
      for (const value of ["-1", "401", "12.5", "half"]) {
        const exit = yield* Effect.exit(read({ TASKBRIDGE_HEAP_GROWTH_PERCENT: value }))
        expect(Exit.isFailure(exit), value).toBe(true)
        if (Exit.isFailure(exit)) expect(String(exit.cause)).toContain("TASKBRIDGE_HEAP_GROWTH_PERCENT")
      }
    }),
  )
})

describe("Heap.configure", () => {
  const fixture = fileURLToPath(new URL("./fixtures/heap-churn.ts", import.meta.url))
  const peak = (percent: string) =>
    Effect.scoped(
      Effect.gen(function* () {
        const child = yield* spawnFixture(fixture, [], { TASKBRIDGE_HEAP_GROWTH_PERCENT: percent })
        return JSON.parse(yield* child.line("heap ", "60 seconds")) as { applied: number; peakBytes: number }
      }),
    )

  it.live(
    "holds a smaller heap under the same load than V8's own heuristic",
    () =>
      Effect.gen(function* () {
        const v8Own = yield* peak("0")
        const bounded = yield* peak("25")
        expect(v8Own.applied).toBe(0)
        expect(bounded.applied).toBe(25)
        // ≈ 350 MB against ≈ 550 MB here; a flag that took no effect would leave them equal.
        expect(bounded.peakBytes).toBeLessThan(v8Own.peakBytes * 0.85)
      }),
    60_000,
  )
})
