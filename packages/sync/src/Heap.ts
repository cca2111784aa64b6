// How far V8 lets the heap of a process that runs the engine grow past what a full collection left alive. A soft
// setting (the heap still grows as far as the live data needs), unlike `--max-old-space-size`, which is a hard limit.
import { setFlagsFromString } from "node:v8"
import { Config, Effect, Schema } from "effect"

/**
 * The growth allowed after a full collection, in percent of the live heap. A pull's records are garbage within a page
 * (the live heap stays near 90 MB through a 100,000-record backfill), yet V8 by default lets the heap reach up to four
 * times the live size before collecting again when the machine has memory to spare: a worker then held 500 MB for
 * 90 MB of data. At 50% the same backfill peaked at 363 MB at the same speed and CPU time (docs/performance.md).
 */
export const defaultGrowthPercent = 50

const GrowthPercent = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 400 })))

/** `TASKBRIDGE_HEAP_GROWTH_PERCENT`: an integer 0–400; 0 leaves V8's own heuristic. */
export const growthPercent: Config.Config<number> = Config.schema(GrowthPercent, "TASKBRIDGE_HEAP_GROWTH_PERCENT").pipe(
  Config.withDefault(defaultGrowthPercent),
)

/**
 * Sets the growth for this process; returns the percent applied (0: none, V8 decides). V8 reads the flag each time
 * it sizes the heap after a collection, so setting it once the process has started takes effect from the next one.
 */
export const apply = (percent: number): number => {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
  return percent
}

/** Reads `TASKBRIDGE_HEAP_GROWTH_PERCENT` (default 50) and applies it: what a process hosting the engine runs first. */
export const configure: Effect.Effect<number, Config.ConfigError> = Effect.gen(function* () {
  return apply(yield* growthPercent)
})
