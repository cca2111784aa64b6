// Rolling-window rate limiter per key (client address for Candid's per-IP limit, client_id for token minting).
// Keeps the timestamps of the last `limit` accepted requests per key in a ring, so a check is O(1).

export interface RateLimitConfig {
  readonly limit: number
  readonly windowMs: number
}

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number }

interface Ring {
  readonly stamps: Float64Array
  head: number
  count: number
}

export class RateLimiter {
  readonly config: RateLimitConfig
  #rings = new Map<string, Ring>()

  constructor(config: RateLimitConfig) {
    this.config = config
  }

  /** Counts one request for `key` at `now` unless that would exceed the limit; rejected requests don't count. */
  take(key: string, now: number): RateDecision {
    const { limit, windowMs } = this.config
    let ring = this.#rings.get(key)
    if (ring === undefined) {
      if (this.#rings.size >= 10_000) this.#prune(now)
      ring = { stamps: new Float64Array(limit), head: 0, count: 0 }
      this.#rings.set(key, ring)
    }
    if (ring.count < limit) {
      ring.stamps[(ring.head + ring.count) % limit] = now
      ring.count++
      return { ok: true }
    }
    const oldest = ring.stamps[ring.head] ?? 0
    if (now - oldest < windowMs) return { ok: false, retryAfterMs: oldest + windowMs - now }
    ring.stamps[ring.head] = now
    ring.head = (ring.head + 1) % limit
    return { ok: true }
  }

  clear(): void {
    this.#rings.clear()
  }

  /** Forgets keys idle for a whole window, so many distinct clients can't grow memory without bound. */
  #prune(now: number): void {
    for (const [key, ring] of this.#rings) {
      const newest = ring.stamps[(ring.head + ring.count - 1) % this.config.limit] ?? 0
      if (now - newest >= this.config.windowMs) this.#rings.delete(key)
    }
  }
}
