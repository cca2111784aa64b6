// The controllable clock: real time plus an offset that only the control API moves, so tests can expire
// tokens, end fault windows and roll rate-limit windows forward without sleeping.

export class Clock {
  #offsetMs = 0

  now(): number {
    return Date.now() + this.#offsetMs
  }

  get offsetMs(): number {
    return this.#offsetMs
  }

  /** Moves the clock forward; never backward, because vendor timestamps must not run backwards. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("clock can only advance by a finite, non-negative ms")
    this.#offsetMs += ms
    return this.now()
  }

  reset(): void {
    this.#offsetMs = 0
  }
}
