// Rolling-window rate budgets: at most `requests` calls per `perMillis`, waiting (not failing) for a free slot.
// Budgets are keyed, so every connection that shares a vendor's budget scope (Candid: the client IP; Kore.ai: the
// account) shares one limiter in this process.

import type { RateBudget } from "@taskbridge/domain/Capabilities"
import { Clock, Context, Effect, Layer, Semaphore } from "effect"

export interface Limiter {
  /** Waits until a slot is free in the rolling window, then takes it. */
  readonly take: Effect.Effect<void>
}

export const makeLimiter = Effect.fnUntraced(function* (budget: RateBudget) {
  const lock = yield* Semaphore.make(1)
  const stamps: Array<number> = []
  // One waiter at a time decides and sleeps, so callers are served in arrival order without a busy loop.
  const take = lock.withPermits(1)(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      while (stamps.length > 0 && (stamps[0] ?? now) <= now - budget.perMillis) stamps.shift()
      if (stamps.length >= budget.requests) {
        const oldest = stamps.shift() ?? now
        yield* Effect.sleep(oldest + budget.perMillis - now)
      }
      stamps.push(yield* Clock.currentTimeMillis)
    }),
  )
  return { take } satisfies Limiter
})

export class RateBudgets extends Context.Service<
  RateBudgets,
  { readonly limiter: (key: string, budget: RateBudget) => Effect.Effect<Limiter> }
>()("@taskbridge/adapter-kit/RateBudgets") {
  /** One registry per process: a vendor's shared budget must not be multiplied by the number of connections. */
  static readonly layer = Layer.effect(
    RateBudgets,
    Effect.gen(function* () {
      const lock = yield* Semaphore.make(1)
      const limiters = new Map<string, Limiter>()
      const limiter = (key: string, budget: RateBudget) =>
        lock.withPermits(1)(
          Effect.gen(function* () {
            const id = `${key}:${budget.requests}/${budget.perMillis}`
            const existing = limiters.get(id)
            if (existing !== undefined) return existing
            const created = yield* makeLimiter(budget)
            limiters.set(id, created)
            return created
          }),
        )
      return RateBudgets.of({ limiter })
    }),
  )
}
