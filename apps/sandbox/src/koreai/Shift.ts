// Agents working through sandbox time: the edits that fell due at `editsPerHour` are applied before the next request,
// each at its own time, so moving the clock shows them to an `updatedAt` scan without sleeping. Off unless asked for.
import { hash32, Rng } from "../framework/Prng.ts"
import { KOREAI_ACTIVITY_KINDS, koreaiActivity } from "./Activity.ts"
import type { KoreaiState } from "./State.ts"

/** A stalled catch-up (a clock moved by a year) applies at most this many edits and skips the rest. */
const MAX_CATCH_UP = 5_000

export interface ShiftStatus {
  readonly editsPerHour: number
  /** Edits applied since the state was made. */
  readonly applied: number
  /** Sandbox time (epoch ms) of the next edit, or null when off. */
  readonly nextEditAt: number | null
}

export class Shift {
  readonly #rng: Rng
  #editsPerHour = 0
  #next = 0
  #applied = 0

  constructor(seed: number, editsPerHour: number, now: number) {
    this.#rng = new Rng(hash32(seed, 0x5f1f7))
    this.set(editsPerHour, now)
  }

  /** 0 switches the agents off; a rate starts them from `now`. */
  set(editsPerHour: number, now: number): ShiftStatus {
    if (!Number.isFinite(editsPerHour) || editsPerHour < 0) throw new RangeError("editsPerHour must be >= 0")
    this.#editsPerHour = editsPerHour
    this.#next = now + this.#interval()
    return this.status()
  }

  status(): ShiftStatus {
    return {
      editsPerHour: this.#editsPerHour,
      applied: this.#applied,
      nextEditAt: this.#editsPerHour > 0 ? this.#next : null,
    }
  }

  /** Applies every edit due by the store's clock; returns how many. */
  catchUp(state: KoreaiState): number {
    if (this.#editsPerHour <= 0) return 0
    const now = state.store.now()
    let done = 0
    while (this.#next <= now && done < MAX_CATCH_UP) {
      const at = this.#next
      state.store.at(at, () => koreaiActivity(state, this.#rng, KOREAI_ACTIVITY_KINDS, undefined))
      this.#next += this.#interval()
      done++
    }
    if (this.#next <= now) this.#next = now + this.#interval()
    this.#applied += done
    return done
  }

  #interval(): number {
    return this.#editsPerHour > 0 ? 3_600_000 / this.#editsPerHour : Number.POSITIVE_INFINITY
  }
}
