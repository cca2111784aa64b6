// Compact JWTs signed with HMAC (HS256/384/512) on node:crypto: the JWT-shaped bearer tokens emulators issue and
// the tokens clients sign themselves (Kore.ai). No library: the format is three base64url parts, and owning it
// keeps the sandbox dependency-free and lets tests build exactly the broken tokens vendors refuse.
import { constantTimeEqual, type HmacHash, hmac } from "./Secrets.ts"

export type HmacAlgorithm = "HS256" | "HS384" | "HS512"
const HASH_OF: Readonly<Record<HmacAlgorithm, HmacHash>> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }

export type Claims = Readonly<Record<string, unknown>>

export interface DecodedJwt {
  readonly header: Claims
  readonly claims: Claims
  /** `base64url(header).base64url(claims)`, the bytes the signature covers. */
  readonly signingInput: string
  readonly signature: Buffer
}

const part = (value: Claims): string => Buffer.from(JSON.stringify(value)).toString("base64url")

const isClaims = (value: unknown): value is Claims =>
  typeof value === "object" && value !== null && !Array.isArray(value)

export const signJwt = (claims: Claims, secret: string, algorithm: HmacAlgorithm = "HS256"): string => {
  const signingInput = `${part({ alg: algorithm, typ: "JWT" })}.${part(claims)}`
  return `${signingInput}.${hmac(HASH_OF[algorithm], secret, signingInput).toString("base64url")}`
}

/** Splits and parses a token without trusting it; undefined when it is not a JWT at all. */
export const decodeJwt = (token: string): DecodedJwt | undefined => {
  const parts = token.split(".")
  const [header, claims, signature] = parts
  if (parts.length !== 3 || header === undefined || claims === undefined || signature === undefined) return undefined
  try {
    const parsedHeader: unknown = JSON.parse(Buffer.from(header, "base64url").toString("utf8"))
    const parsedClaims: unknown = JSON.parse(Buffer.from(claims, "base64url").toString("utf8"))
    if (!isClaims(parsedHeader) || !isClaims(parsedClaims)) return undefined
    const signingInput = `${header}.${claims}`
    return { header: parsedHeader, claims: parsedClaims, signingInput, signature: Buffer.from(signature, "base64url") }
  } catch {
    return undefined
  }
}

/** The token's HMAC algorithm, or undefined for anything else (`none`, RS256, a missing alg). */
export const hmacAlgorithmOf = (jwt: DecodedJwt): HmacAlgorithm | undefined => {
  const alg = jwt.header.alg
  return alg === "HS256" || alg === "HS384" || alg === "HS512" ? alg : undefined
}

/** True when the token is signed with `secret` under its own (HMAC) algorithm, compared in constant time. */
export const signatureValid = (jwt: DecodedJwt, secret: string): boolean => {
  const algorithm = hmacAlgorithmOf(jwt)
  return algorithm !== undefined && constantTimeEqual(hmac(HASH_OF[algorithm], secret, jwt.signingInput), jwt.signature)
}
