// Bearer-token cache for vendors that mint tokens (Candid, Spry): reuse until shortly before `expires_in`, coalesce
// concurrent refreshes into one mint, and drop a token the vendor rejected (401) so exactly one refresh follows.
import { Clock, Effect, Option, Redacted, Semaphore } from "effect"

export interface MintedToken {
  readonly token: Redacted.Redacted<string>
  /** Lifetime the vendor announced (`expires_in`), in milliseconds. */
  readonly expiresInMillis: number
}

export interface TokenCache<E> {
  readonly get: Effect.Effect<Redacted.Redacted<string>, E>
  /** Forget `rejected` if it is still the cached token; a newer token minted meanwhile is kept. */
  readonly invalidate: (rejected: Redacted.Redacted<string>) => Effect.Effect<void>
}

export const makeTokenCache = Effect.fnUntraced(function* <E>(
  mint: Effect.Effect<MintedToken, E>,
  options: { readonly refreshBeforeMillis: number },
) {
  const lock = yield* Semaphore.make(1)
  let cached: Option.Option<{ readonly token: Redacted.Redacted<string>; readonly refreshAt: number }> = Option.none()

  const get = lock.withPermits(1)(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      if (Option.isSome(cached) && now < cached.value.refreshAt) return cached.value.token
      const minted = yield* mint
      const issuedAt = yield* Clock.currentTimeMillis
      const refreshAt = issuedAt + Math.max(0, minted.expiresInMillis - options.refreshBeforeMillis)
      cached = Option.some({ token: minted.token, refreshAt })
      return minted.token
    }),
  )

  const invalidate = (rejected: Redacted.Redacted<string>) =>
    lock.withPermits(1)(
      Effect.sync(() => {
        if (Option.isSome(cached) && Redacted.value(cached.value.token) === Redacted.value(rejected)) {
          cached = Option.none()
        }
      }),
    )

  return { get, invalidate } satisfies TokenCache<E>
})
