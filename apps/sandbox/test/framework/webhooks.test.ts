// WebhookHub over real HTTP to a local receiver: both signature schemes checked with node:crypto on the raw bytes,
// which subscriptions hear an event, retries with backoff on non-2xx and timeouts, the delivery log, and the
// lifetime signal that stops everything (also: a pending retry never keeps a process alive).
import { execFile } from "node:child_process"
import { createHmac } from "node:crypto"
import { promisify } from "node:util"
import { afterEach, describe, expect, it } from "vitest"
import { Clock } from "../../src/framework/Clock.ts"
import { backoffMs } from "../../src/framework/WebhookDelivery.ts"
import { type HubSettings, WebhookHub } from "../../src/framework/WebhookHub.ts"
import { hexHmacOfBody, timestampedHmac } from "../../src/framework/WebhookSignatures.ts"
import { WebhookInputError } from "../../src/framework/WebhookSubscriptions.ts"
import { downUrl, type Receiver, startReceiver, waitFor } from "../receiver.ts"

type Subject = { readonly recordId: string }
const SECRET = "whsec_framework_test"

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const hubWith = (settings: Partial<HubSettings<Subject>> = {}) => {
  const lifetime = new AbortController()
  const clock = new Clock()
  const hub = new WebhookHub<Subject>({
    seed: 1,
    clock,
    lifetime: lifetime.signal,
    scheme: hexHmacOfBody("X-Test-Signature"),
    retry: { delayMs: 10, factor: 2, maxDelayMs: 40 },
    ...settings,
  })
  cleanups.push(() => lifetime.abort())
  return { hub, clock, lifetime }
}

const receiver = async (answers?: Array<number | "hang">): Promise<Receiver> => {
  const started = await startReceiver(answers)
  cleanups.push(() => started.close())
  return started
}

const announce = (hub: WebhookHub<Subject>, recordId: string, organizationId = "org-a", event = "record.updated") =>
  hub.publish({ event, organizationId, subject: { recordId } }, (eventId) => JSON.stringify({ eventId, recordId }))

const settled = (hub: WebhookHub<Subject>, recordId: string) =>
  waitFor(`the delivery for ${recordId}`, () =>
    hub.deliveries().find((d) => d.recordId === recordId && d.state !== "pending"),
  )

const hex = (data: string | Buffer) => createHmac("sha256", SECRET).update(data).digest("hex")

describe("signature schemes", () => {
  it("hex HMAC of the body: the header is HMAC-SHA256 of the exact bytes received", async () => {
    const { hub } = hubWith({ headers: (d) => ({ "x-event-id": d.eventId }) })
    const hooks = await receiver()
    hub.subscriptions.register({ url: hooks.url, secret: SECRET })
    announce(hub, "r-1")
    expect(await settled(hub, "r-1")).toMatchObject({ state: "delivered", status: 200, recordId: "r-1" })
    const [got] = hooks.received
    expect(got?.headers["x-test-signature"]).toBe(hex(got?.raw ?? ""))
    expect(got?.headers["content-type"]).toBe("application/json")
    expect(got?.headers["x-event-id"]).toBe(hub.deliveries()[0]?.eventId)
  })

  it("timestamped HMAC: t is the sandbox clock's epoch seconds and v1 signs t.body", async () => {
    const { hub, clock } = hubWith({ scheme: timestampedHmac("X-Sprypt-Signature") })
    const hooks = await receiver()
    hub.subscriptions.register({ url: hooks.url, secret: SECRET })
    clock.advance(3_600_000)
    const before = Math.floor(clock.now() / 1000)
    announce(hub, "r-2")
    await settled(hub, "r-2")
    const [got] = hooks.received
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(got?.headers["x-sprypt-signature"]))
    const t = Number(match?.[1])
    expect(t - before).toBeGreaterThanOrEqual(0)
    expect(t - before).toBeLessThan(5)
    expect(t).toBeGreaterThan(Math.floor(Date.now() / 1000) + 3500)
    expect(match?.[2]).toBe(hex(`${t}.${got?.raw.toString("utf8")}`))
  })

  it("sends no signature without a secret, and a well-formed wrong one under the bad-signature fault", async () => {
    const { hub } = hubWith()
    const hooks = await receiver()
    const plain = hub.subscriptions.register({ url: hooks.url })
    announce(hub, "r-3")
    await settled(hub, "r-3")
    expect(hooks.received[0]?.headers).not.toHaveProperty("x-test-signature")
    hub.subscriptions.update(plain.id, { secret: SECRET })
    hub.subscriptions.setBadSignature(plain.id, true)
    announce(hub, "r-4")
    await settled(hub, "r-4")
    const bad = hooks.received[1]
    expect(bad?.headers["x-test-signature"]).toMatch(/^[0-9a-f]{64}$/)
    expect(bad?.headers["x-test-signature"]).not.toBe(hex(bad?.raw ?? ""))
  })
})

describe("who hears an event", () => {
  it("only active subscriptions of the event's organization that want the event; deliverTo ignores filters", async () => {
    const { hub } = hubWith()
    const hooks = await receiver()
    const subs = hub.subscriptions
    const all = subs.register({ url: hooks.url })
    const orgB = subs.register({ url: hooks.url, organizationId: "org-b" })
    const created = subs.register({ url: hooks.url, events: ["record.created"] })
    const paused = subs.register({ url: hooks.url })
    subs.update(paused.id, { active: false })
    expect(announce(hub, "r-5")).toBe(1)
    expect(hub.deliveries().map((d) => d.targetId)).toEqual([all.id])
    expect(
      hub.deliverTo(orgB.id, { event: "test", organizationId: "org-a", subject: { recordId: "r-6" } }, () => "{}"),
    ).toBe(1)
    expect(hub.deliveries().map((d) => d.targetId)).toEqual([all.id, orgB.id])
    expect(created.events).toEqual(["record.created"])
  })

  it("validates subscriptions, never shows a secret, and keeps a subscription whole when a change is refused", () => {
    const { hub } = hubWith({ events: { names: ["record.updated"], vendor: "Acme" } })
    const subs = hub.subscriptions
    expect(() => subs.register({ url: "ftp://example.test/hook" })).toThrow(WebhookInputError)
    expect(() => subs.register({ url: "http://example.test/hook", secret: "" })).toThrow(/secret/)
    expect(() => subs.register({ url: "http://example.test/hook", events: ["record.deleted"] })).toThrow(
      "not documented Acme events: record.deleted",
    )
    const view = subs.register({ url: "http://example.test/hook", secret: SECRET })
    expect(view).toMatchObject({ hasSecret: true, active: true, organizationId: null, events: null })
    expect(JSON.stringify(subs.list())).not.toContain(SECRET)
    expect(() => subs.update(view.id, { url: "http://example.test/new", events: ["nope"] })).toThrow(WebhookInputError)
    expect(subs.get(view.id)?.url).toBe("http://example.test/hook")
    expect(subs.newSecret()).toBe(hubWith().hub.subscriptions.newSecret())
  })
})

describe("retries and the delivery log", () => {
  it("retries non-2xx answers with the same bytes and event id until one succeeds", async () => {
    const { hub } = hubWith()
    const hooks = await receiver([500, 503])
    hub.subscriptions.register({ url: hooks.url, secret: SECRET })
    announce(hub, "r-7")
    const delivery = await settled(hub, "r-7")
    expect(delivery).toMatchObject({ state: "delivered", status: 200, error: null })
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200])
    const [first, ...rest] = hooks.received
    for (const later of rest) expect(later.raw.equals(first?.raw ?? Buffer.alloc(0))).toBe(true)
    expect(hooks.received.map((r) => (r.json as { eventId: string }).eventId)).toEqual(Array(3).fill(delivery.eventId))
  })

  it("counts a receiver that does not answer in time as a failed attempt and retries it", async () => {
    const { hub } = hubWith({ timeoutMs: 100 })
    const hooks = await receiver(["hang"])
    hub.subscriptions.register({ url: hooks.url })
    announce(hub, "r-8")
    const delivery = await settled(hub, "r-8")
    expect(delivery.attempts.map((a) => a.error ?? a.status)).toEqual(["timeout after 100 ms", 200])
  })

  it("gives up after the configured attempts and says why", async () => {
    const { hub } = hubWith({ retry: { attempts: 3, delayMs: 5 } })
    hub.subscriptions.register({ url: await downUrl() })
    announce(hub, "r-9")
    const delivery = await settled(hub, "r-9")
    expect(delivery).toMatchObject({ state: "failed", status: null, error: "ECONNREFUSED" })
    expect(delivery.attempts).toHaveLength(3)
  })

  it("backs off by the factor up to the cap", () => {
    const policy = { attempts: 6, delayMs: 100, factor: 2, maxDelayMs: 250 }
    expect([2, 3, 4, 5].map((n) => backoffMs(policy, n))).toEqual([100, 200, 250, 250])
  })

  it("stops retrying a subscription that was removed meanwhile", async () => {
    const { hub } = hubWith({ retry: { delayMs: 200 } })
    const hooks = await receiver([500])
    const sub = hub.subscriptions.register({ url: hooks.url })
    announce(hub, "r-10")
    await waitFor("the first attempt", () => (hub.deliveries()[0]?.attempts.length === 1 ? true : undefined))
    hub.subscriptions.remove(sub.id)
    expect(await settled(hub, "r-10")).toMatchObject({ state: "failed", error: "target removed" })
  })
})

describe("lifetime", () => {
  it("aborting the lifetime fails in-flight deliveries as emulator closed and queues nothing more", async () => {
    const { hub, lifetime } = hubWith({ timeoutMs: 30_000 })
    const hooks = await receiver(["hang"])
    hub.subscriptions.register({ url: hooks.url })
    announce(hub, "r-11")
    await waitFor("the held request", () => (hooks.received.length === 1 ? true : undefined))
    lifetime.abort()
    expect(await settled(hub, "r-11")).toMatchObject({ state: "failed", error: "emulator closed" })
    expect(announce(hub, "r-12")).toBe(0)
    await waitFor("the receiver to see the connection dropped", () => (hooks.abandoned() === 1 ? true : undefined))
  })

  it("never keeps a process alive: one waiting ten minutes to retry exits on its own", async () => {
    const hubUrl = new URL("../../src/framework/WebhookHub.ts", import.meta.url).href
    const schemes = new URL("../../src/framework/WebhookSignatures.ts", import.meta.url).href
    const clock = new URL("../../src/framework/Clock.ts", import.meta.url).href
    const script = `
      const { WebhookHub } = await import(${JSON.stringify(hubUrl)})
      const { hexHmacOfBody } = await import(${JSON.stringify(schemes)})
      const { Clock } = await import(${JSON.stringify(clock)})
      const hub = new WebhookHub({ seed: 1, clock: new Clock(), lifetime: new AbortController().signal,
        scheme: hexHmacOfBody("x-sig"), retry: { attempts: 2, delayMs: 600000, maxDelayMs: 600000 } })
      hub.subscriptions.register({ url: ${JSON.stringify(await downUrl())} })
      hub.publish({ event: "e", organizationId: "o", subject: { recordId: "r" } }, () => "{}")
      process.on("exit", () => console.log(JSON.stringify(hub.deliveries()[0])))`
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      timeout: 20_000,
    })
    expect(JSON.parse(stdout)).toMatchObject({ state: "pending", attempts: [{ error: "ECONNREFUSED" }] })
  })
})
