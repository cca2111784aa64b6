// Repeated bad tokens from one address: the first few are answered at once (a typo, an expired token), then each
// answer is slowed, then the address is refused for a while without looking the token up — so guessing tokens costs
// an attacker time and costs the database nothing. Per API process, in memory: a restart forgets, which is fine for
// a brake (the tokens themselves are 256-bit random and hashed).

export interface BadTokenPolicy {
  /** How long a failure counts. */
  readonly windowMillis: number
  /** Failures in the window answered without delay. */
  readonly free: number
  /** The first slowed answer's delay; it doubles with each further failure, up to `maxDelayMillis`. */
  readonly baseDelayMillis: number
  readonly maxDelayMillis: number
  /** Failures in the window after which the address is refused until enough of them age out. */
  readonly refuseAfter: number
}

export const defaultPolicy: BadTokenPolicy = {
  windowMillis: 60_000,
  free: 10,
  baseDelayMillis: 200,
  maxDelayMillis: 3_000,
  refuseAfter: 30,
}

export type Verdict =
  | { readonly _tag: "Pass"; readonly delayMillis: number }
  | { readonly _tag: "Refuse"; readonly retryAfterSeconds: number }

/** Addresses tracked at once; past it the oldest are forgotten (a flood of addresses cannot grow memory). */
const maxAddresses = 10_000

export const makeBadTokens = (policy: BadTokenPolicy = defaultPolicy, now: () => number = Date.now) => {
  const failures = new Map<string, Array<number>>()

  const recent = (address: string): Array<number> => {
    const at = now()
    const kept = (failures.get(address) ?? []).filter((t) => at - t < policy.windowMillis)
    if (kept.length === 0) failures.delete(address)
    else failures.set(address, kept)
    return kept
  }

  return {
    /** What to do with a request from `address` that carries a token, before it is looked up. */
    verdict: (address: string): Verdict => {
      const kept = recent(address)
      if (kept.length >= policy.refuseAfter) {
        // Refused until the failure that would bring it under the limit ages out.
        const oldest = kept[kept.length - policy.refuseAfter] ?? now()
        const wait = Math.max(1, Math.ceil((oldest + policy.windowMillis - now()) / 1000))
        return { _tag: "Refuse", retryAfterSeconds: wait }
      }
      const over = kept.length - policy.free
      return {
        _tag: "Pass",
        delayMillis: over < 0 ? 0 : Math.min(policy.maxDelayMillis, policy.baseDelayMillis * 2 ** over),
      }
    },
    /** A token from `address` was not valid (unknown, revoked or malformed). */
    failed: (address: string) => {
      const kept = recent(address)
      kept.push(now())
      // Only what the policy can count is kept.
      failures.set(address, kept.slice(-policy.refuseAfter))
      if (failures.size > maxAddresses) {
        const first = failures.keys().next()
        if (first.done !== true) failures.delete(first.value)
      }
    },
  }
}

export type BadTokens = ReturnType<typeof makeBadTokens>
