// How emulators make and compare secrets: deterministic credentials from a seed (same seed, same keys), HMAC
// and a constant-time comparison, so no vendor folder hand-rolls them or leaks timing through a string `===`.
import { createHmac, timingSafeEqual } from "node:crypto"
import { hash32 } from "./Prng.ts"

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0")

/** `prefix` plus 24 hex characters derived from `parts` (e.g. namespace, seed, organization index). */
export const deterministicSecret = (prefix: string, ...parts: ReadonlyArray<number>): string =>
  `${prefix}${hex8(hash32(...parts, 1))}${hex8(hash32(...parts, 2))}${hex8(hash32(...parts, 3))}`

export type HmacHash = "sha256" | "sha384" | "sha512"

export const hmac = (hash: HmacHash, key: string, data: string): Buffer =>
  createHmac(hash, key).update(data, "utf8").digest()

/** Hex HMAC-SHA256, the signature most vendors put in a webhook header. */
export const hmacSha256Hex = (key: string, data: string): string => hmac("sha256", key, data).toString("hex")

/** Equal contents in time independent of where they differ; different lengths are simply unequal. */
export const constantTimeEqual = (a: string | Buffer, b: string | Buffer): boolean => {
  const left = typeof a === "string" ? Buffer.from(a, "utf8") : a
  const right = typeof b === "string" ? Buffer.from(b, "utf8") : b
  return left.length === right.length && timingSafeEqual(left, right)
}
