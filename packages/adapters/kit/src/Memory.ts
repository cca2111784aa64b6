// ConnectionMemory in memory: what a standalone adapter (one tenant, no database) or a test uses where the engine
// would persist learned facts per connection. `facts` shows what was learned, so tests can assert on it.
import type { IdentityEntry } from "@taskbridge/domain/Assignment"
import { learnIdentity } from "@taskbridge/domain/Assignment"
import { type ConnectionMemory, type LearnedFacts, noLearnedFacts } from "@taskbridge/domain/ports/VendorAdapter"
import type { StatusScheme } from "@taskbridge/domain/StatusScheme"
import { Effect, type Schema } from "effect"

export interface InMemory extends ConnectionMemory {
  /** Everything learned so far, including what was given at the start. */
  readonly current: () => LearnedFacts
}

export const inMemory = (initial: LearnedFacts = noLearnedFacts): InMemory => {
  let state = initial
  return {
    learned: initial,
    current: () => state,
    saveScheme: (scheme: StatusScheme) =>
      Effect.sync(() => {
        state = { ...state, statusScheme: scheme }
      }),
    learnIdentity: (entry: IdentityEntry) =>
      Effect.sync(() => {
        state = { ...state, identities: learnIdentity(state.identities, entry) }
      }),
    saveFact: (key: string, value: Schema.Json) =>
      Effect.sync(() => {
        state = { ...state, facts: { ...state.facts, [key]: value } }
      }),
  }
}
