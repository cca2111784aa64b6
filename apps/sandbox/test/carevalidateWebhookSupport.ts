// Test helpers for CareValidate webhooks: a receiver typed with CareValidate's body, the `/_sandbox/webhooks`
// control routes over HTTP and x-cv-signature checks.
import { createHmac, timingSafeEqual } from "node:crypto"
import type { EscalationSubject } from "../src/carevalidate/WebhookEvents.ts"
import type { WireEscalation } from "../src/carevalidate/Wire.ts"
import type { Delivery as AnyDelivery } from "../src/framework/WebhookHub.ts"
import type { SubscriptionView } from "../src/framework/WebhookSubscriptions.ts"
import { body, type CareValidate } from "./carevalidateSupport.ts"
import {
  type Received as ReceivedBy,
  type Receiver as ReceiverOf,
  startReceiver as startAnyReceiver,
  waitFor,
} from "./receiver.ts"

export interface WebhookBody {
  readonly event: string
  readonly eventId: string
  readonly caseId: string
  readonly escalationId: string
  readonly escalation: WireEscalation
  readonly payload: { readonly case: { readonly id: string; readonly escalations: Array<WireEscalation> } }
}

export type Delivery = AnyDelivery<EscalationSubject>
export type Received = ReceivedBy<WebhookBody>
export type Receiver = ReceiverOf<WebhookBody>

/** A receiver (receiver.ts) whose bodies read as CareValidate webhooks. */
export const startReceiver = (answers: Array<number | "hang"> = []): Promise<Receiver> =>
  startAnyReceiver<WebhookBody>(answers)

export const receivedEvent = (receiver: Receiver, event: string, escalationId: string) =>
  waitFor(`${event} for ${escalationId}`, () =>
    receiver.received.find((r) => r.json.event === event && r.json.escalationId === escalationId),
  )

export const hmacHex = (secret: string, raw: Buffer): string => createHmac("sha256", secret).update(raw).digest("hex")

/** How a receiver should check `x-cv-signature`: HMAC-SHA256 of the raw bytes, compared in constant time. */
export const verifies = (received: Received, secret: string): boolean => {
  const header = received.headers["x-cv-signature"]
  if (typeof header !== "string") return false
  const expected = Buffer.from(hmacHex(secret, received.raw), "hex")
  const actual = Buffer.from(header, "hex")
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

const send = (cv: CareValidate, method: string, path: string, payload?: unknown) =>
  fetch(`${cv.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  })

/** The webhook control API, over HTTP the way a test of a receiver would use it. */
export const webhookControl = (cv: CareValidate) => ({
  register: async (target: Record<string, unknown>) => {
    const response = await send(cv, "POST", "/webhooks", target)
    if (response.status !== 200) throw new Error(`register answered ${response.status}: ${await response.text()}`)
    return body<SubscriptionView>(response)
  },
  registerRaw: (target: unknown) => send(cv, "POST", "/webhooks", target),
  list: async () =>
    (await body<{ webhooks: Array<SubscriptionView & { secret?: unknown }> }>(await send(cv, "GET", "/webhooks")))
      .webhooks,
  remove: (id: string) => send(cv, "DELETE", `/webhooks/${id}`),
  badSignature: (id: string, enabled: boolean) => send(cv, "POST", `/webhooks/${id}/bad-signature`, { enabled }),
  deliveries: async (targetId?: string) => {
    const query = targetId === undefined ? "" : `?targetId=${targetId}`
    return (await body<{ deliveries: Array<Delivery> }>(await send(cv, "GET", `/webhooks/deliveries${query}`)))
      .deliveries
  },
  step: async (kind: string, id: string) => {
    const response = await send(cv, "POST", "/activity/step", { kinds: [kind], id })
    const { events } = await body<{ events: Array<{ kind: string; id: string }> }>(response)
    const [event] = events
    if (event === undefined) throw new Error(`staff activity ${kind} on ${id} did nothing`)
    return event
  },
})
