// Spry emulator, webhooks: subscriptions at /api/v2/subscriptions (signature_key shown once, event types checked, the
// token's organisation only), deliveries signed `X-Sprypt-Signature: t=<epoch>,v1=<hex HMAC-SHA256 of "t.body">` with
// X-Event-Type / X-Event-Id / X-Delivery-Id, in the 2026-06-11 envelope — for patient, appointment and case events,
// never for waitlist requests (there are none, as documented).
import { createHmac } from "node:crypto"
import { afterEach, describe, expect, it } from "vitest"
import { type Receiver, startReceiver, waitFor } from "../receiver.ts"
import { activeRequest, body, control, type Envelope, PATH, type Spry, staff, useSpry } from "./support.ts"

const spry = useSpry({ webhookRetryDelayMs: 20 })

interface Subscription {
  readonly id: string
  readonly name: string
  readonly event_types: ReadonlyArray<string>
  readonly notification_url: string
  readonly is_active: boolean
  readonly signature_key?: string
}

interface Event {
  readonly event_id: string
  readonly event_type: string
  readonly api_version: string
  readonly timestamp: number
  readonly data: Record<string, unknown>
}

const receivers: Array<Receiver> = []
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()))
})

const receiver = async (answers: Array<number | "hang"> = []) => {
  const r = await startReceiver<Event>(answers)
  receivers.push(r)
  return r
}

const subscribe = async (s: Spry, url: string, events: ReadonlyArray<string>, org = 0) => {
  const api = await staff(s, org)
  const response = await api.send("POST", "/api/v2/subscriptions", {
    name: "taskbridge",
    event_types: events,
    notification_url: url,
  })
  return { api, response, created: (await body<Envelope<Subscription>>(response)).data }
}

/** The documented check: HMAC-SHA256 of "t.raw_body" with the signature key, hex, compared to v1. */
const verifies = (raw: Buffer, header: string, key: string) => {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]))
  const expected = createHmac("sha256", key).update(`${parts.t}.`).update(raw).digest("hex")
  return parts.v1 === expected
}

describe("Spry subscriptions", () => {
  it("creates a subscription, returning its signature_key once; reads never show it", async () => {
    const s = await spry()
    const { api, response, created } = await subscribe(s, "http://127.0.0.1:9/hook", ["appointment.created"])
    expect(response.status).toBe(201)
    expect(created).toMatchObject({ name: "taskbridge", event_types: ["appointment.created"], is_active: true })
    expect(created.signature_key).toMatch(/^whsec_/)
    const one = await body<Envelope<Subscription>>(await api.get(`/api/v2/subscriptions/${created.id}`))
    expect(one.data).not.toHaveProperty("signature_key")
    const listed = await body<Envelope<Array<Subscription>>>(await api.get("/api/v2/subscriptions?is_active=true"))
    expect(listed.data.map((x) => x.id)).toEqual([created.id])
    expect(JSON.stringify(listed)).not.toContain(created.signature_key ?? "")
  })

  it("refuses event types Spry does not document (waitlist ones included) and a non-http URL", async () => {
    const s = await spry()
    const waitlist = await subscribe(s, "http://127.0.0.1:9/hook", ["waitlist_request.updated"])
    expect(waitlist.response.status).toBe(400)
    const ftp = await subscribe(s, "ftp://example.com/hook", ["patient.updated"])
    expect(ftp.response.status).toBe(400)
  })

  it("shows and changes only the token's organisation's subscriptions", async () => {
    const s = await spry()
    const { created } = await subscribe(s, "http://127.0.0.1:9/hook", ["case.updated"])
    const other = await staff(s, 1)
    expect((await other.get(`/api/v2/subscriptions/${created.id}`)).status).toBe(404)
    expect((await other.send("DELETE", `/api/v2/subscriptions/${created.id}`)).status).toBe(404)
    expect((await body<Envelope<Array<Subscription>>>(await other.get("/api/v2/subscriptions"))).data).toEqual([])
  })
})

describe("Spry webhook deliveries", () => {
  it("sends appointment.created, signed, when a request is fulfilled", async () => {
    const s = await spry()
    const hook = await receiver()
    const { created } = await subscribe(s, hook.url, ["appointment.created"])
    const r = activeRequest(s, true)
    await control(s, "POST", `/waitlist-requests/${r.id}/fulfil`)
    const [got] = await waitFor("the delivery", () => (hook.received.length > 0 ? hook.received : undefined))
    if (got === undefined) throw new Error("nothing received")
    expect(got.json).toMatchObject({
      event_type: "appointment.created",
      api_version: "2026-06-11",
      data: {
        organisation_id: 74,
        clinic_id: Number(r.clinicId),
        patient_id: Number(r.patientId),
        status: "SCHEDULED",
      },
    })
    expect(got.json.event_id).toMatch(/^evt_/)
    expect(got.headers["x-event-type"]).toBe("appointment.created")
    expect(got.headers["x-event-id"]).toBe(got.json.event_id)
    expect(String(got.headers["x-delivery-id"])).toMatch(/^[0-9a-f-]{36}$/)
    const signature = String(got.headers["x-sprypt-signature"])
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(verifies(got.raw, signature, created.signature_key ?? "")).toBe(true)
    expect(verifies(got.raw, signature, "whsec_wrong")).toBe(false)
  })

  it("sends nothing for a waitlist request's own changes: Spry has no waitlist events", async () => {
    const s = await spry()
    const hook = await receiver()
    await subscribe(s, hook.url, ["patient.updated", "appointment.updated", "appointment.cancelled", "case.updated"])
    const api = await staff(s)
    const r = activeRequest(s, false)
    await api.send("PATCH", `${PATH}/${r.id}`, { notes: "changed" })
    await api.send("PATCH", `${PATH}/${r.id}`, { status: "CANCELLED" })
    expect(s.state().webhooks.deliveries()).toEqual([])
  })

  it("publishes any documented event through the control API, and the test endpoint sends a synthetic one", async () => {
    const s = await spry()
    const hook = await receiver()
    const { api, created } = await subscribe(s, hook.url, ["patient.updated"])
    await control(s, "POST", "/events", {
      event_type: "patient.updated",
      organizationId: "74",
      data: { patient_id: 45741, status: "ACTIVE" },
    })
    await api.send("POST", `/api/v2/subscriptions/${created.id}/test`)
    const got = await waitFor("two deliveries", () => (hook.received.length >= 2 ? hook.received : undefined))
    expect(got.map((g) => g.json.data)).toEqual([
      { organisation_id: 74, patient_id: 45741, status: "ACTIVE" },
      { organisation_id: 74, test: true },
    ])
  })

  it("retries a failed delivery with a fresh X-Delivery-Id and the same event id, and signs with a rotated key", async () => {
    const s = await spry()
    const hook = await receiver([500])
    const { api, created } = await subscribe(s, hook.url, ["case.created"])
    const rotated = await body<Envelope<{ signature_key: string }>>(
      await api.send("POST", `/api/v2/subscriptions/${created.id}/rotate-secret`),
    )
    expect(rotated.data.signature_key).not.toBe(created.signature_key)
    await control(s, "POST", "/events", {
      event_type: "case.created",
      organizationId: "74",
      data: { spry_case_id: "SPRY_CASE_1" },
    })
    const [first, second] = await waitFor("the retry", () => (hook.received.length >= 2 ? hook.received : undefined))
    expect(second?.headers["x-event-id"]).toBe(first?.headers["x-event-id"])
    expect(second?.headers["x-delivery-id"]).not.toBe(first?.headers["x-delivery-id"])
    expect(
      verifies(
        second?.raw ?? Buffer.alloc(0),
        String(second?.headers["x-sprypt-signature"]),
        rotated.data.signature_key,
      ),
    ).toBe(true)
  })

  it("stops delivering to a subscription switched off with is_active: false", async () => {
    const s = await spry()
    const hook = await receiver()
    const { api, created } = await subscribe(s, hook.url, ["patient.created"])
    const off = await body<Envelope<Subscription>>(
      await api.send("PATCH", `/api/v2/subscriptions/${created.id}`, { is_active: false }),
    )
    expect(off.data.is_active).toBe(false)
    const queued = await body<{ queued: number }>(
      await control(s, "POST", "/events", { event_type: "patient.created", organizationId: "74", data: {} }),
    )
    expect(queued.queued).toBe(0)
    expect((await api.send("DELETE", `/api/v2/subscriptions/${created.id}`)).status).toBe(204)
  })
})
