// Verifying vendor webhook signatures, one function per manifest `webhookSignature` scheme: `hmac-sha256-hex` (hex
// HMAC-SHA256 of the raw body, CareValidate's `x-cv-signature`) and `timestamped-hmac-sha256` (`t=<epoch>,v1=<hex>`
// over "t.body" with a freshness window, Spry's `X-Sprypt-Signature`). Comparisons are constant-time.
import { createHmac, timingSafeEqual } from "node:crypto"
import type { WebhookSignature } from "@taskbridge/domain/Capabilities"

export interface WebhookDelivery {
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: Buffer
}

export const header = (delivery: WebhookDelivery, name: string): string | undefined => {
  const value = delivery.headers[name.toLowerCase()]
  return typeof value === "string" ? value : undefined
}

const hexEqual = (expected: string, given: string) => {
  if (!/^[0-9a-f]+$/i.test(given)) return false
  const a = Buffer.from(expected, "hex")
  const b = Buffer.from(given.toLowerCase(), "hex")
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b)
}

export const hmacHex = (secret: string, payload: Buffer | string) =>
  createHmac("sha256", secret).update(payload).digest("hex")

/** `hmac-sha256-hex`: `given` is the hex HMAC of the body exactly as it arrived. */
export const verifyHexBody = (delivery: WebhookDelivery, secret: string, given: string | undefined): boolean =>
  given !== undefined && hexEqual(hmacHex(secret, delivery.body), given)

/** `timestamped-hmac-sha256`: `t=<epoch seconds>,v1=<hex of HMAC("t.body")>`, refused outside `toleranceSeconds`. */
export const verifyTimestamped = (
  delivery: WebhookDelivery,
  secret: string,
  given: string | undefined,
  nowMillis: number,
  toleranceSeconds = 300,
): boolean => {
  if (given === undefined) return false
  const parts = new Map(given.split(",").map((part) => part.trim().split("=", 2) as [string, string]))
  const t = parts.get("t")
  const v1 = parts.get("v1")
  if (t === undefined || v1 === undefined || !/^\d+$/.test(t)) return false
  if (Math.abs(nowMillis / 1000 - Number(t)) > toleranceSeconds) return false
  return hexEqual(hmacHex(secret, Buffer.concat([Buffer.from(`${t}.`), delivery.body])), v1)
}

/** What a definition's webhook declares; the receiver reads its scheme from the manifest and checks they agree. */
export interface WebhookVerifier {
  readonly scheme: WebhookSignature
  /** True when the delivery is signed with `secret`. */
  readonly verify: (delivery: WebhookDelivery, secret: string, nowMillis: number) => boolean
  /** The vendor's id for the event, for de-duplicating replays; null when it sends none (the body digest is used). */
  readonly eventId: (delivery: WebhookDelivery) => string | null
}
