// Random kill points that a failure can replay: a seeded PRNG (mulberry32) whose seed comes from
// TASKBRIDGE_CRASH_SEED or the clock, and is printed with every run.
export interface Random {
  readonly seed: number
  /** Uniform in [min, max). */
  readonly between: (min: number, max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
}

export const random = (label: string): Random => {
  const seed = Number(process.env.TASKBRIDGE_CRASH_SEED ?? Date.now() % 2 ** 31)
  console.log(`${label}: random seed ${seed} (replay with TASKBRIDGE_CRASH_SEED=${seed})`)
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    seed,
    between: (min, max) => Math.floor(min + next() * (max - min)),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) throw new Error("pick from nothing")
      return item
    },
  }
}
