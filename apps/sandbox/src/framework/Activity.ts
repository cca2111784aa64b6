// Simulated vendor-side staff: a timer applies edits at a given rate, and `step` applies N edits at once so
// tests stay deterministic. Edits go through the emulator's own mutation functions, like a vendor user's.
import type { ActivityEvent } from "./Emulator.ts"
import { Rng } from "./Prng.ts"

export type ApplyEdit = (
  rng: Rng,
  kinds: ReadonlyArray<string>,
  target: string | undefined,
) => ActivityEvent | undefined

export interface StepOptions {
  /** Restrict the edits to these kinds (default: every kind the emulator knows). */
  readonly kinds?: ReadonlyArray<string> | undefined
  /** Edit this record (vendor id) instead of a random one. */
  readonly id?: string | undefined
}

export interface ActivityStatus {
  readonly running: boolean
  readonly ratePerSecond: number
  /** Edits applied since the last reset, by timer or step. */
  readonly applied: number
}

const TICK_MS = 50

export class ActivitySimulator {
  readonly #apply: ApplyEdit
  readonly #kinds: ReadonlyArray<string>
  #rng: Rng
  #timer: NodeJS.Timeout | undefined
  #rate = 0
  #carry = 0
  #lastTick = 0
  #applied = 0

  constructor(seed: number, kinds: ReadonlyArray<string>, apply: ApplyEdit) {
    this.#apply = apply
    this.#kinds = kinds
    this.#rng = new Rng(seed ^ 0xac71)
  }

  start(ratePerSecond: number): ActivityStatus {
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) throw new TypeError("ratePerSecond must be > 0")
    this.stop()
    this.#rate = ratePerSecond
    this.#lastTick = performance.now()
    // unref: a forgotten simulator must not keep a test process alive.
    this.#timer = setInterval(() => this.#tick(), TICK_MS).unref()
    return this.status()
  }

  stop(): ActivityStatus {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    this.#rate = 0
    this.#carry = 0
    return this.status()
  }

  /** Applies `count` edits now, restricted to `kinds` / one record when given (unknown kinds are rejected). */
  step(count: number, options: StepOptions = {}): Array<ActivityEvent> {
    const kinds = options.kinds ?? this.#kinds
    const unknown = kinds.filter((kind) => !this.#kinds.includes(kind))
    if (unknown.length > 0) throw new TypeError(`unknown activity kinds: ${unknown.join(", ")}`)
    if (!Number.isInteger(count) || count < 0) throw new TypeError("count must be a non-negative integer")
    const events: Array<ActivityEvent> = []
    for (let i = 0; i < count; i++) {
      const event = this.#apply(this.#rng, kinds.length > 0 ? kinds : this.#kinds, options.id)
      if (event !== undefined) events.push(event)
    }
    this.#applied += events.length
    return events
  }

  status(): ActivityStatus {
    return { running: this.#timer !== undefined, ratePerSecond: this.#rate, applied: this.#applied }
  }

  /** Forgets progress and reseeds, so a reset sandbox replays the same edits. */
  reset(seed: number): void {
    this.stop()
    this.#rng = new Rng(seed ^ 0xac71)
    this.#applied = 0
  }

  #tick(): void {
    const now = performance.now()
    this.#carry += (this.#rate * (now - this.#lastTick)) / 1000
    this.#lastTick = now
    // Capped so a stalled event loop catches up gradually instead of freezing the server.
    const due = Math.min(Math.floor(this.#carry), 10_000)
    this.#carry -= due
    if (due > 0) this.step(due)
  }
}
