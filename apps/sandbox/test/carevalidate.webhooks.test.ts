// CareValidate webhooks over real HTTP: events for escalation add / edit / complete (API and staff), the case
// payload, x-cv-signature over the raw body, targets per organization and event, faults, retries and close.
import { afterEach, describe, expect, it } from "vitest"
import { startCareValidate } from "../src/carevalidate/Emulator.ts"
import {
  ANCHOR,
  activeIds,
  body,
  caseWith,
  type Envelope,
  type EscalationsBody,
  orgApi,
  useCareValidate,
} from "./carevalidateSupport.ts"
import {
  hmacHex,
  type Receiver,
  receivedEvent,
  startReceiver,
  verifies,
  webhookControl,
} from "./carevalidateWebhookSupport.ts"
import { downUrl, waitFor } from "./receiver.ts"

const cv = useCareValidate({ webhookRetryDelayMs: 20, webhookTimeoutMs: 1000 })
const SECRET = "whsec_sandbox_test"
const receivers: Array<Receiver> = []
const receiver = async (answers?: Array<number | "hang">) => {
  const started = await startReceiver(answers)
  receivers.push(started)
  return started
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()))
})

const caseDetail = async (sandbox: Awaited<ReturnType<typeof cv>>, caseId: string) => {
  const response = await orgApi(sandbox).get(`/api/v1/customer-case-detail?caseId=${caseId}`)
  return (await body<Envelope<{ case: Record<string, unknown> }>>(response)).data.case
}

describe("escalation events", () => {
  it("ADD_ESCALATION sends a signed ESCALATE_CASE carrying the case exactly as the case detail returns it", async () => {
    const sandbox = await cv()
    const hooks = await receiver()
    await webhookControl(sandbox).register({ url: hooks.url, secret: SECRET })
    const c = caseWith(sandbox)
    const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, {
      action: "ADD_ESCALATION",
      escalations: [{ type: "support", title: "Refill Request", note: "Asked for refill" }],
    })
    const added = (await body<EscalationsBody>(response)).data.escalations.at(-1)
    const got = await receivedEvent(hooks, "ESCALATE_CASE", added?.id ?? "")
    expect(got.json).toMatchObject({ event: "ESCALATE_CASE", caseId: c.id, escalation: added })
    expect(got.json.payload.case).toEqual(await caseDetail(sandbox, c.id))
    expect(got.headers["content-type"]).toBe("application/json")
    expect(got.headers["x-cv-signature"]).toBe(hmacHex(SECRET, got.raw))
    expect(verifies(got, SECRET)).toBe(true)
    expect(verifies(got, `${SECRET}x`)).toBe(false)
  })

  it("staff completing an escalation sends DEESCALATE_CASE, and staff adding one sends ESCALATE_CASE", async () => {
    const sandbox = await cv()
    const hooks = await receiver()
    const control = webhookControl(sandbox)
    await control.register({ url: hooks.url, secret: SECRET })
    const c = caseWith(sandbox, 0, 2)
    const [id] = activeIds(c)
    await control.step("complete", id ?? "")
    const done = await receivedEvent(hooks, "DEESCALATE_CASE", id ?? "")
    expect(done.json).toMatchObject({ caseId: c.id, escalation: { id, isCompleted: true } })
    expect(done.json.payload.case.escalations.find((e) => e.id === id)?.isCompleted).toBe(true)
    expect(done.json.payload.case).toEqual(await caseDetail(sandbox, c.id))
    expect(verifies(done, SECRET)).toBe(true)

    const add = await control.step("add", c.id)
    const raised = await receivedEvent(hooks, "ESCALATE_CASE", add.id)
    expect(raised.json).toMatchObject({ caseId: c.id, escalation: { id: add.id, isCompleted: false } })
    expect(verifies(raised, SECRET)).toBe(true)
    expect(hooks.received.map((r) => r.json.event)).toEqual(["DEESCALATE_CASE", "ESCALATE_CASE"])
  })

  it("UPDATE_ESCALATION sends one SUPPORT_NOTE_UPDATED per edited escalation, with its new values", async () => {
    const sandbox = await cv()
    const hooks = await receiver()
    await webhookControl(sandbox).register({ url: hooks.url, secret: SECRET })
    const c = caseWith(sandbox, 0, 2)
    const [first, second] = activeIds(c)
    const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, {
      action: "UPDATE_ESCALATION",
      escalations: [
        { escalationId: first, note: "Called the pharmacy" },
        { escalationId: second, followUpDueAt: "2026-02-01T09:00:00.000Z" },
      ],
    })
    expect(response.status).toBe(200)
    const one = await receivedEvent(hooks, "SUPPORT_NOTE_UPDATED", first ?? "")
    const two = await receivedEvent(hooks, "SUPPORT_NOTE_UPDATED", second ?? "")
    expect(one.json.escalation).toMatchObject({ id: first, note: "Called the pharmacy" })
    expect(two.json.escalation).toMatchObject({ id: second, followUpDueAt: "2026-02-01T09:00:00.000Z" })
    expect(one.json.eventId).not.toBe(two.json.eventId)
    expect(verifies(one, SECRET) && verifies(two, SECRET)).toBe(true)
  })
})

describe("targets", () => {
  it("sends no x-cv-signature without a secret, and only the target's organization and events", async () => {
    const sandbox = await cv()
    const hooks = await receiver()
    const control = webhookControl(sandbox)
    const [org0, org1] = sandbox.state().store.orgs
    const plain = await control.register({ url: hooks.url, organizationId: org0?.organizationId })
    const otherOrg = await control.register({ url: hooks.url, organizationId: org1?.organizationId })
    const onlyDeescalate = await control.register({ url: hooks.url, events: ["DEESCALATE_CASE"] })
    const c = caseWith(sandbox)
    const add = await control.step("add", c.id)
    const got = await receivedEvent(hooks, "ESCALATE_CASE", add.id)
    expect(got.headers).not.toHaveProperty("x-cv-signature")
    // Deliveries are logged when the change happens, so a missing entry means the target was never picked.
    expect((await control.deliveries()).map((d) => [d.targetId, d.event])).toEqual([[plain.id, "ESCALATE_CASE"]])
    expect(otherOrg.organizationId).toBe(org1?.organizationId)
    expect(onlyDeescalate.events).toEqual(["DEESCALATE_CASE"])
  })

  it("the bad-signature switch makes x-cv-signature stop verifying, and switching it off restores it", async () => {
    const sandbox = await cv()
    const hooks = await receiver()
    const control = webhookControl(sandbox)
    const target = await control.register({ url: hooks.url, secret: SECRET })
    expect(await (await control.badSignature(target.id, true)).json()).toMatchObject({ badSignature: true })
    const c = caseWith(sandbox, 0, 2)
    const [first, second] = activeIds(c)
    await control.step("note", first ?? "")
    const bad = await receivedEvent(hooks, "SUPPORT_NOTE_UPDATED", first ?? "")
    expect(bad.headers["x-cv-signature"]).toMatch(/^[0-9a-f]{64}$/)
    expect(verifies(bad, SECRET)).toBe(false)
    await control.badSignature(target.id, false)
    await control.step("note", second ?? "")
    expect(verifies(await receivedEvent(hooks, "SUPPORT_NOTE_UPDATED", second ?? ""), SECRET)).toBe(true)
    expect((await control.badSignature("wh_999", true)).status).toBe(404)
  })

  it("lists targets without their secret, deletes them, rejects bad bodies, and reset forgets everything", async () => {
    const sandbox = await cv()
    const hooks = await receiver()
    const control = webhookControl(sandbox)
    const target = await control.register({ url: hooks.url, secret: SECRET })
    expect(target).toMatchObject({ url: hooks.url, hasSecret: true, organizationId: null, events: null })
    const listed = await control.list()
    expect(listed).toEqual([target])
    expect(JSON.stringify(listed)).not.toContain(SECRET)
    for (const bad of [
      {},
      { url: "ftp://x" },
      { url: hooks.url, events: ["ESCALATED"] },
      { url: hooks.url, organizationId: "nope" },
    ]) {
      expect((await control.registerRaw(bad)).status).toBe(400)
    }
    await control.step("add", caseWith(sandbox).id)
    await waitFor("a delivery", async () => (await control.deliveries()).find((d) => d.state === "delivered"))
    await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" })
    expect(await control.list()).toEqual([])
    expect(await control.deliveries()).toEqual([])
    const again = await control.register({ url: hooks.url })
    expect(await (await control.remove(again.id)).json()).toEqual({ removed: true })
    expect(await (await control.remove(again.id)).json()).toEqual({ removed: false })
  })
})

describe("delivery failures", () => {
  it("records a receiver that is down as a failed delivery after one retry, and keeps serving", async () => {
    const sandbox = await cv()
    const control = webhookControl(sandbox)
    const target = await control.register({ url: await downUrl(), secret: SECRET })
    const c = caseWith(sandbox)
    const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, {
      action: "ADD_ESCALATION",
      escalations: [{ type: "support", title: "Miscellaneous" }],
    })
    expect(response.status).toBe(200)
    const failed = await waitFor("the failed delivery", async () =>
      (await control.deliveries(target.id)).find((d) => d.state === "failed"),
    )
    expect(failed).toMatchObject({ event: "ESCALATE_CASE", caseId: c.id, status: null, error: "ECONNREFUSED" })
    expect(failed.attempts.map((a) => a.error)).toEqual(["ECONNREFUSED", "ECONNREFUSED"])
    expect(Date.parse(failed.attempts[0]?.at ?? "")).not.toBeNaN()
    expect((await orgApi(sandbox).get(`/api/v1/customer-case-detail?caseId=${c.id}`)).status).toBe(200)
  })

  it("retries once after a 500 and records both attempts with their status", async () => {
    const sandbox = await cv()
    const hooks = await receiver([500])
    const control = webhookControl(sandbox)
    await control.register({ url: hooks.url })
    const add = await control.step("add", caseWith(sandbox).id)
    const delivered = await waitFor("the retried delivery", async () =>
      (await control.deliveries()).find((d) => d.state === "delivered"),
    )
    expect(delivered).toMatchObject({ escalationId: add.id, status: 200, error: null })
    expect(delivered.attempts.map((a) => a.status)).toEqual([500, 200])
    expect(hooks.received.map((r) => r.json.eventId)).toEqual([delivered.eventId, delivered.eventId])
    expect(hooks.received[0]?.raw.equals(hooks.received[1]?.raw ?? Buffer.alloc(0))).toBe(true)
  })

  it("answers the API while a receiver holds the delivery, and close() aborts it without retrying", async () => {
    const sandbox = await startCareValidate({ port: 0, seed: 5, size: 40, anchorMs: ANCHOR, webhookTimeoutMs: 30_000 })
    const hooks = await receiver(["hang"])
    await webhookControl(sandbox).register({ url: hooks.url })
    const c = caseWith(sandbox)
    const response = await orgApi(sandbox).post(`/api/v1/cases/${c.id}`, {
      action: "ADD_ESCALATION",
      escalations: [{ type: "support", title: "Miscellaneous" }],
    })
    expect(response.status).toBe(200)
    await waitFor("the held request", () => (hooks.received.length === 1 ? true : undefined))
    const webhooks = sandbox.state().webhooks
    // The receiver never answers, so a 200 above means the API did not wait for the delivery.
    expect(webhooks.deliveries().map((d) => d.state)).toEqual(["pending"])
    await sandbox.close()
    const [delivery] = await waitFor("the aborted delivery", () =>
      webhooks.deliveries().every((d) => d.state === "failed") ? webhooks.deliveries() : undefined,
    )
    expect(delivery).toMatchObject({ state: "failed", error: "emulator closed" })
    expect(delivery?.attempts.length).toBe(1)
    await waitFor("the receiver to see the connection dropped", () => (hooks.abandoned() === 1 ? true : undefined))
  })
})
