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

/** `concurrency` loops calling `call(i)` back to back for `seconds`; each call's duration is a sample. */
export const closedLoop = async (
  concurrency: number,
  seconds: number,
  call: (iteration: number) => Promise<unknown>,
): Promise<Latency> => {
  const samples: Array<number> = []
  const end = performance.now() + seconds * 1000
  let iteration = 0
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
  return latency(samples, (performance.now() - started) / 1000)
}
