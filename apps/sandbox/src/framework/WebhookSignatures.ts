// How a webhook body is signed: a scheme turns (secret, the exact body text, sandbox time) into headers. Two
// schemes cover the vendors: hex HMAC-SHA256 of the body (CareValidate `x-cv-signature`; Vambe, whose header
// name is undocumented) and `t=<epoch s>,v1=<hex HMAC-SHA256 of "t.body">` (Spry `X-Sprypt-Signature`).
import { hmacSha256Hex } from "./Secrets.ts"

export interface SignatureScheme {
  readonly name: string
  /** The signature headers for `body`, sent at sandbox time `nowMs` (lower-case header names). */
  readonly sign: (secret: string, body: string, nowMs: number) => Readonly<Record<string, string>>
}

/** `<header>: hex(HMAC-SHA256(secret, body))`; the same bytes give the same signature on every retry. */
export const hexHmacOfBody = (header: string): SignatureScheme => ({
  name: "hex-hmac-sha256",
  sign: (secret, body) => ({ [header.toLowerCase()]: hmacSha256Hex(secret, body) }),
})

/**
 * `<header>: t=<epoch seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. Signed per attempt with the sandbox
 * clock, so a receiver's freshness window (Spry: 300 s) sees a retry as fresh and a clock jump as stale.
 */
export const timestampedHmac = (header: string): SignatureScheme => ({
  name: "timestamped-hmac-sha256",
  sign: (secret, body, nowMs) => {
    const t = Math.floor(nowMs / 1000)
    return { [header.toLowerCase()]: `t=${t},v1=${hmacSha256Hex(secret, `${t}.${body}`)}` }
  },
})
