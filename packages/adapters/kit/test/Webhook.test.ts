// Webhook signatures as the receiver checks them: a delivery signed with the secret passes; a missing, malformed,
// wrongly keyed or body-altered signature fails; a timestamped one outside its freshness window (stale or from the
// future) fails even when its HMAC is right, so a captured delivery cannot be replayed later.
import { describe, expect, it } from "vitest"
import { hmacHex, verifyHexBody, verifyTimestamped, type WebhookDelivery } from "../src/Webhook.ts"

const secret = "whsec-test-0123456789"
const body = Buffer.from('{"event":"task.updated","id":"t-1"}')
const delivery: WebhookDelivery = { headers: {}, body }

describe("hmac-sha256-hex", () => {
  it("passes the body's own signature and nothing else", () => {
    expect(verifyHexBody(delivery, secret, hmacHex(secret, body))).toBe(true)
    expect(verifyHexBody(delivery, secret, hmacHex(secret, body).toUpperCase())).toBe(true)
    expect(verifyHexBody(delivery, secret, undefined)).toBe(false)
    expect(verifyHexBody(delivery, secret, "")).toBe(false)
    expect(verifyHexBody(delivery, secret, "not-hex")).toBe(false)
    expect(verifyHexBody(delivery, secret, hmacHex("another secret", body))).toBe(false)
    expect(verifyHexBody({ ...delivery, body: Buffer.from(`${body} `) }, secret, hmacHex(secret, body))).toBe(false)
    expect(verifyHexBody(delivery, secret, hmacHex(secret, body).slice(0, 32))).toBe(false)
  })
})

describe("timestamped-hmac-sha256", () => {
  const now = 1_800_000_000_000
  const signed = (t: number, key = secret) => `t=${t},v1=${hmacHex(key, Buffer.concat([Buffer.from(`${t}.`), body]))}`

  it("passes a fresh signature and refuses missing, malformed and wrongly keyed ones", () => {
    const t = now / 1000
    expect(verifyTimestamped(delivery, secret, signed(t), now)).toBe(true)
    expect(verifyTimestamped(delivery, secret, undefined, now)).toBe(false)
    expect(verifyTimestamped(delivery, secret, "v1=abc", now)).toBe(false)
    expect(verifyTimestamped(delivery, secret, `t=x${t},v1=00`, now)).toBe(false)
    expect(verifyTimestamped(delivery, secret, signed(t, "another secret"), now)).toBe(false)
    // The timestamp is part of what is signed: moving it breaks the signature.
    expect(verifyTimestamped(delivery, secret, signed(t).replace(`t=${t}`, `t=${t + 1}`), now)).toBe(false)
  })

  it("refuses a correctly signed delivery outside the five-minute window, in the past or the future", () => {
    const t = now / 1000
    expect(verifyTimestamped(delivery, secret, signed(t - 300), now)).toBe(true)
    expect(verifyTimestamped(delivery, secret, signed(t - 301), now)).toBe(false)
    expect(verifyTimestamped(delivery, secret, signed(t + 301), now)).toBe(false)
    expect(verifyTimestamped(delivery, secret, signed(t - 3600), now)).toBe(false)
  })
})
