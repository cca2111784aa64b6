// One-at-a-time sections by key, in this process: pulls of one connection, pushes of one task. A key's permit exists
// only while something holds or waits for it, so a process that pushes a million different tasks over its life
// keeps no million semaphores (the map of one per key ever used grew without end).
import { Effect, Semaphore } from "effect"

export interface KeyedLock {
  /** Runs `effect` once no other section of `key` runs, and before any that asks after it. */
  readonly withLock: (key: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** How many keys are held or waited for now (for tests and diagnostics). */
  readonly size: () => number
}

export const make = (): KeyedLock => {
  const entries = new Map<string, { readonly semaphore: Semaphore.Semaphore; users: number }>()
  const withLock =
    (key: string) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      // Counted in and out without a gap an interruption could fall into: a waiter interrupted before its turn
      // still leaves, and the last one out removes the key.
      Effect.uninterruptibleMask((restore) => {
        const entry = entries.get(key) ?? { semaphore: Semaphore.makeUnsafe(1), users: 0 }
        entry.users += 1
        entries.set(key, entry)
        return restore(entry.semaphore.withPermits(1)(effect)).pipe(
          Effect.ensuring(
            Effect.sync(() => {
              entry.users -= 1
              if (entry.users === 0 && entries.get(key) === entry) entries.delete(key)
            }),
          ),
        )
      })
  return { withLock, size: () => entries.size }
}
