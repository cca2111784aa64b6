// How a vendor request carries its credentials, one authenticator per manifest auth kind: a static API key header,
// OAuth client-credentials bearer tokens (minted by the adapter, cached by TokenCache, refreshed once on a 401), and
// a JWT the client signs itself per request (Kore.ai: HS256, short expiry). The HTTP core checks that an adapter's
// authenticator is of the kind its manifest declares.
import { createHmac } from "node:crypto"
import type { AuthKind } from "@taskbridge/domain/Capabilities"
import type { SyncError } from "@taskbridge/domain/Errors"
import { Clock, Effect, Redacted } from "effect"
import { HttpClientRequest } from "effect/http"
import { type MintedToken, makeTokenCache } from "./TokenCache.ts"

export interface Signed {
  readonly request: HttpClientRequest.HttpClientRequest
  /** The credential used, so a 401 can drop exactly that one. */
  readonly credential: Redacted.Redacted<string> | null
}

export interface Authenticator {
  readonly kind: AuthKind
  readonly sign: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<Signed, SyncError>
  /** After a 401: forget `credential` and say whether one retry with a fresh credential can help. */
  readonly rejected: (credential: Redacted.Redacted<string> | null) => Effect.Effect<boolean>
}

/** A static key in a header (`x-api-key`, `cv-api-key`); a 401 means the key itself is refused, so no retry. */
export const apiKey = (header: string, key: Redacted.Redacted<string>): Authenticator => ({
  kind: "api-key",
  sign: (request) =>
    Effect.succeed({ request: HttpClientRequest.setHeader(request, header, Redacted.value(key)), credential: null }),
  rejected: () => Effect.succeed(false),
})

/**
 * Bearer tokens from a client-credentials endpoint: `mint` asks the vendor for one (the adapter builds it, because
 * every vendor's token request differs); tokens are reused until `refreshBeforeMillis` before they expire.
 */
export const clientCredentials = Effect.fnUntraced(function* (
  mint: Effect.Effect<MintedToken, SyncError>,
  options: { readonly refreshBeforeMillis: number },
) {
  const tokens = yield* makeTokenCache(mint, options)
  const authenticator: Authenticator = {
    kind: "oauth-client-credentials",
    sign: (request) =>
      Effect.map(tokens.get, (token) => ({
        request: HttpClientRequest.bearerToken(request, Redacted.value(token)),
        credential: token,
      })),
    rejected: (credential) =>
      credential === null ? Effect.succeed(false) : Effect.as(tokens.invalidate(credential), true),
  }
  return authenticator
})

const base64url = (input: string | Buffer) => Buffer.from(input).toString("base64url")

/** An HS256 JWT over `claims` with `iat`/`exp` added, signed with `secret`. */
export const signJwt = (
  claims: Readonly<Record<string, unknown>>,
  secret: Redacted.Redacted<string>,
  nowMillis: number,
  ttlSeconds: number,
) => {
  const iat = Math.floor(nowMillis / 1000)
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))
  const payload = base64url(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }))
  const signature = createHmac("sha256", Redacted.value(secret)).update(`${header}.${payload}`).digest("base64url")
  return `${header}.${payload}.${signature}`
}

/**
 * A JWT minted for every request (no token endpoint exists): short-lived, so a leaked one is soon useless. `headers`
 * are sent beside it (Kore.ai's `AccountId`).
 */
export const selfSignedJwt = (options: {
  readonly header: string
  readonly claims: Readonly<Record<string, unknown>>
  readonly secret: Redacted.Redacted<string>
  readonly ttlSeconds: number
  readonly headers?: Readonly<Record<string, string>>
}): Authenticator => ({
  kind: "self-signed-jwt",
  sign: (request) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const token = signJwt(options.claims, options.secret, now, options.ttlSeconds)
      const withHeaders = HttpClientRequest.setHeaders(request, { ...options.headers, [options.header]: token })
      return { request: withHeaders, credential: null }
    }),
  rejected: () => Effect.succeed(false),
})
