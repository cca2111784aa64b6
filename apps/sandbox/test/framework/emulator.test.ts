// The framework pieces together in a minimal emulator (fixtures/Widgets.ts) over real HTTP: API-key auth and
// ownership in the vendor's words, the organization control routes with revocation, webhooks registered through
// the vendor API and signed with a hex HMAC, a vendor wrong-type corruption and a rate limit per organization that
// the control API switches off and on.
import { createHmac } from "node:crypto"
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest"
import { startWidgets, widgetKey } from "../fixtures/Widgets.ts"
import { type Receiver, startReceiver, waitFor } from "../receiver.ts"

const ready = startWidgets({ seed: 5 })
const receivers: Array<Receiver> = []

beforeEach(async () => {
  ;(await ready).control.reset()
})
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()))
})
afterAll(async () => {
  await (await ready).close()
})

const call = async (org: number | null, method: string, path: string, body?: unknown) => {
  const sandbox = await ready
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (org !== null) headers["x-api-key"] = widgetKey(sandbox.state(), org)
  return fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

const sandboxJson = async (path: string, init?: RequestInit) =>
  (await fetch(`${(await ready).url}/_sandbox${path}`, init)).json() as Promise<Record<string, unknown>>

describe("a minimal emulator from framework pieces", () => {
  it("answers the vendor's 401 without a key and lists only the caller's own records", async () => {
    const anonymous = await call(null, "GET", "/api/widgets")
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({ message: "Missing x-api-key header" })
    const mine = (await (await call(1, "GET", "/api/widgets")).json()) as Array<{ id: string; org: number }>
    expect(mine.map((w) => w.id)).toEqual(["w-1-0", "w-1-1", "w-1-2"])
  })

  it("answers another tenant's record with the vendor's not-found body", async () => {
    const foreign = await call(0, "PUT", "/api/widgets/w-1-0", { name: "mine now" })
    expect(foreign.status).toBe(404)
    expect(await foreign.json()).toEqual({ message: "Widget w-1-0 not found" })
    expect((await call(1, "PUT", "/api/widgets/w-1-0", { name: "renamed" })).status).toBe(200)
  })

  it("lists organizations through /_sandbox/organizations and revokes one's key", async () => {
    const sandbox = await ready
    const { organizations } = await sandboxJson("/organizations")
    expect(organizations).toEqual(sandbox.state().orgs.all.map((o) => ({ ...o })))
    await fetch(`${sandbox.url}/_sandbox/organizations/org-0/revoke-key`, { method: "POST" })
    expect((await call(0, "GET", "/api/widgets")).status).toBe(401)
    expect((await call(1, "GET", "/api/widgets")).status).toBe(200)
  })

  it("delivers webhooks registered through the vendor API, signed, and shows them in the delivery log", async () => {
    const hooks = await startReceiver()
    receivers.push(hooks)
    const registered = await call(0, "POST", "/api/webhooks", {
      topic: "widget.updated",
      url: hooks.url,
      secret: "s3cret",
    })
    expect(await registered.json()).toMatchObject({
      organizationId: "org-0",
      events: ["widget.updated"],
      hasSecret: true,
    })
    await call(1, "PUT", "/api/widgets/w-1-1", { name: "other tenant" })
    await call(0, "PUT", "/api/widgets/w-0-1", { name: "Sprocket" })
    const [got] = await waitFor("the delivery", () => (hooks.received.length > 0 ? hooks.received : undefined))
    expect(got?.json).toMatchObject({ event: "widget.updated", data: { id: "w-0-1", name: "Sprocket" } })
    expect(got?.headers["x-widgets-signature"]).toBe(
      createHmac("sha256", "s3cret")
        .update(got?.raw ?? "")
        .digest("hex"),
    )
    const log = await waitFor("the delivered entry", async () => {
      const { deliveries } = (await sandboxJson("/webhooks/deliveries")) as { deliveries: Array<{ state: string }> }
      return deliveries.every((d) => d.state === "delivered") ? deliveries : undefined
    })
    expect(log).toEqual([expect.objectContaining({ widgetId: "w-0-1", event: "widget.updated", status: 200 })])
    expect(hooks.received).toHaveLength(1)
  })

  it("a reset aborts the discarded state's in-flight deliveries and forgets its subscriptions", async () => {
    const sandbox = await ready
    const hooks = await startReceiver(["hang"])
    receivers.push(hooks)
    await call(0, "POST", "/api/webhooks", { topic: "widget.updated", url: hooks.url })
    await call(0, "PUT", "/api/widgets/w-0-0", { name: "held" })
    await waitFor("the held request", () => (hooks.received.length === 1 ? true : undefined))
    const before = sandbox.state().webhooks
    sandbox.control.reset()
    const [aborted] = await waitFor("the aborted delivery", () =>
      before.deliveries().every((d) => d.state === "failed") ? before.deliveries() : undefined,
    )
    expect(aborted).toMatchObject({ state: "failed", error: "emulator closed", widgetId: "w-0-0" })
    expect(await sandboxJson("/webhooks")).toEqual({ webhooks: [] })
    await waitFor("the receiver to see the connection dropped", () => (hooks.abandoned() === 1 ? true : undefined))
  })

  it("uses the vendor's own wrong-type corruption when the fault names no field", async () => {
    ;(await ready).control.faults.add({ kind: "wrongType", count: 1 })
    const corrupted = (await (await call(0, "GET", "/api/widgets")).json()) as Array<{ name: unknown }>
    expect(corrupted.map((w) => w.name)).toEqual([7, "Widget 1", "Widget 2"])
  })

  it("counts the rate limit per organization, not per client address", async () => {
    for (let i = 0; i < 5; i++) expect((await call(0, "GET", "/api/widgets")).status).toBe(200)
    const limited = await call(0, "GET", "/api/widgets")
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).not.toBeNull()
    expect((await call(1, "GET", "/api/widgets")).status).toBe(200)
  })

  it("switches the rate limit off and on through /_sandbox/rate-limit, and a reset restores the vendor's", async () => {
    const json = (method: string, body?: unknown) =>
      sandboxJson("/rate-limit", {
        method,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    expect(await json("GET")).toEqual({ enabled: true, limit: 5, windowMs: 60_000 })
    expect(await json("DELETE")).toEqual({ enabled: false })
    for (let i = 0; i < 8; i++) expect((await call(0, "GET", "/api/widgets")).status).toBe(200)
    expect(await json("POST", { windowMs: 1000 })).toEqual({ enabled: true, limit: 5, windowMs: 1000 })
    for (let i = 0; i < 5; i++) expect((await call(0, "GET", "/api/widgets")).status).toBe(200)
    expect((await call(0, "GET", "/api/widgets")).status).toBe(429)
    ;(await ready).control.clock.advance(1000)
    expect((await call(0, "GET", "/api/widgets")).status).toBe(200)
    expect(await json("POST", { limit: 2.5 })).toEqual({ error: "limit must be a positive integer" })
    ;(await ready).control.reset()
    expect(await json("GET")).toEqual({ enabled: true, limit: 5, windowMs: 60_000 })
  })
})
