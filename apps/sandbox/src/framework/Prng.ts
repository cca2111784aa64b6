// Seeded randomness for every emulator: an sfc32 stream for sequential generation and hash32 for
// random-access derivations, so one seed number reproduces every record without storing it.

/** Mixes any number of 32-bit integers into one well-distributed unsigned 32-bit value (murmur3 finaliser). */
export const hash32 = (...parts: ReadonlyArray<number>): number => {
  let h = 0x9e3779b9
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** Deterministic pseudo-random stream (sfc32); written here so the sandbox has no runtime dependencies. */
export class Rng {
  #a: number
  #b: number
  #c: number
  #d: number

  constructor(seed: number) {
    this.#a = hash32(seed, 1)
    this.#b = hash32(seed, 2)
    this.#c = hash32(seed, 3)
    this.#d = hash32(seed, 4)
    // sfc32 needs a few rounds before nearby seeds diverge.
    for (let i = 0; i < 12; i++) this.uint32()
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0
    this.#d = (this.#d + 1) | 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) | 0
    this.#c = (this.#c << 21) | (this.#c >>> 11)
    this.#c = (this.#c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: ReadonlyArray<T>): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error("Rng.pick from an empty list")
    return item
  }

  /** Index chosen with probability proportional to its weight. */
  weighted(weights: ReadonlyArray<number>): number {
    let total = 0
    for (const w of weights) total += w
    let roll = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i] ?? 0
      if (roll < 0) return i
    }
    return weights.length - 1
  }
}
