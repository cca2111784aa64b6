// Latency figures: percentiles over every sample of a run (nearest rank), and a closed-loop load at a fixed
// concurrency for a fixed time, as both the engine side and the baseline side of a comparison use it.

export interface Latency {
  readonly count: number
  readonly perSecond: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
}

const rank = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0)

/** Percentiles (ms, two decimals) of `samples` taken over `seconds`. */
export const latency = (samples: ReadonlyArray<number>, seconds: number): Latency => {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (n: number) => +n.toFixed(2)
  return {
    count: sorted.length,
    perSecond: Math.round(sorted.length / Math.max(seconds, 1e-9)),
    p50: round(rank(sorted, 50)),
    p95: round(rank(sorted, 95)),
    p99: round(rank(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  }
}

/** One stretch of closed-loop load: every call's duration (ms) and how long the stretch took (s). */
export interface Block {
  readonly samples: ReadonlyArray<number>
  readonly seconds: number
}

/**
 * `concurrency` loops calling `call(i)` back to back for `seconds`; each call's duration is a sample. `first` is the
 * first iteration's index, so that consecutive blocks of one load carry on where the last stopped.
 */
export const closedLoopBlock = async (
  concurrency: number,
  seconds: number,
  call: (iteration: number) => Promise<unknown>,
  first = 0,
): Promise<Block> => {
  const samples: Array<number> = []
  const end = performance.now() + seconds * 1000
  let iteration = first
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const at = performance.now()
        await call(iteration++)
        samples.push(performance.now() - at)
      }
    }),
  )
  return { samples, seconds: (performance.now() - started) / 1000 }
}

/**
 * One load run in several blocks, each carrying on the iteration count of the block before (so a rotation of inputs
 * keeps rotating, and writes keep to new rows): call it with each block's length in seconds.
 */
export const blocksOf = (concurrency: number, call: (iteration: number) => Promise<unknown>) => {
  let done = 0
  return async (seconds: number): Promise<Block> => {
    const block = await closedLoopBlock(concurrency, seconds, call, done)
    done += block.samples.length
    return block
  }
}

/** `closedLoopBlock`'s figures. */
export const closedLoop = async (
  concurrency: number,
  seconds: number,
  call: (iteration: number) => Promise<unknown>,
): Promise<Latency> => merged([await closedLoopBlock(concurrency, seconds, call)])

/** The figures of several blocks of one load taken as one run: percentiles over all their samples, rate over their time. */
export const merged = (blocks: ReadonlyArray<Block>): Latency =>
  latency(
    blocks.flatMap((b) => b.samples),
    blocks.reduce((sum, b) => sum + b.seconds, 0),
  )

/**
 * Runs the engine side and its baseline in alternating blocks, `blocks` of each, in ABBA order (engine, baseline,
 * baseline, engine, engine, …), and returns each side's blocks. On a shared machine the load drifts over a run (and a
 * process warms up); measured one after the other, the second side would see different weather from the first, and
 * whatever the first left behind (a warmer cache, dead rows). Alternating gives both a share of it, and with an even
 * number of blocks the ABBA order gives both sides the same mean position, so a steady drift cancels out.
 */
export const alternate = async (
  blocks: number,
  engine: (block: number) => Promise<Block>,
  baseline: (block: number) => Promise<Block>,
): Promise<{ readonly engine: ReadonlyArray<Block>; readonly baseline: ReadonlyArray<Block> }> => {
  const sides = { engine: [] as Array<Block>, baseline: [] as Array<Block> }
  for (let i = 0; i < blocks; i++) {
    if (i % 2 === 0) {
      sides.engine.push(await engine(i))
      sides.baseline.push(await baseline(i))
    } else {
      sides.baseline.push(await baseline(i))
      sides.engine.push(await engine(i))
    }
  }
  return sides
}
