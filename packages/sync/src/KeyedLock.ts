// One-at-a-time sections by key, in this process: pulls of one connection, pushes of one task. A key's permit exists
// only while something holds or waits for it, so a process that pushes a million different tasks over its life
// keeps no million semaphores (the map of one per key ever used grew without end). Effect's `RcMap` does the keeping:
// each section holds a reference to its key's semaphore for its own scope, and the last reference out removes it.
import { Effect, RcMap, type Scope, Semaphore } from "effect"

export interface KeyedLock {
  /** Runs `effect` once no other section of `key` runs, and before any that asks after it. */
  readonly withLock: (key: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** How many keys are held or waited for now (for tests and diagnostics). */
  readonly size: Effect.Effect<number>
}

/** The keys live as long as the scope (the engine's layer). */
export const make: Effect.Effect<KeyedLock, never, Scope.Scope> = Effect.map(
  RcMap.make({ lookup: (_key: string) => Semaphore.make(1) }),
  (semaphores) => ({
    withLock: (key) => (effect) =>
      Effect.scoped(Effect.flatMap(RcMap.get(semaphores, key), (semaphore) => semaphore.withPermits(1)(effect))),
    size: Effect.map(RcMap.keys(semaphores), (keys) => [...keys].length),
  }),
)
