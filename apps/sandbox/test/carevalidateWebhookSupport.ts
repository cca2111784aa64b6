// Test helpers for CareValidate webhooks: a local node:http receiver on port 0 that keeps the raw bytes of
// every POST, the `/_sandbox/webhooks` control routes over HTTP, signature checks and polling with a deadline.
import { createHmac, timingSafeEqual } from "node:crypto"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { eventually } from "@taskbridge/vitest-config/eventually"
import type { Delivery, TargetView } from "../src/carevalidate/Webhooks.ts"
import type { WireEscalation } from "../src/carevalidate/Wire.ts"
import { body, type CareValidate } from "./carevalidateSupport.ts"

export interface WebhookBody {
  readonly event: string
  readonly eventId: string
  readonly caseId: string
  readonly escalationId: string
  readonly escalation: WireEscalation
  readonly payload: { readonly case: { readonly id: string; readonly escalations: Array<WireEscalation> } }
}

export interface Received {
  readonly headers: IncomingHttpHeaders
  readonly raw: Buffer
  readonly json: WebhookBody
}

export interface Receiver {
  readonly url: string
  readonly received: Array<Received>
  /** Requests whose connection closed before the receiver answered (held ones the sender gave up on). */
  readonly abandoned: () => number
  readonly close: () => Promise<void>
}

/** A webhook receiver answering each POST with the next of `answers` (then 200); "hang" never answers. */
export const startReceiver = async (answers: Array<number | "hang"> = []): Promise<Receiver> => {
  const received: Array<Received> = []
  let abandoned = 0
  const server = createServer(async (req, res) => {
    const chunks: Array<Buffer> = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    received.push({ headers: req.headers, raw, json: JSON.parse(raw.toString("utf8")) as WebhookBody })
    res.on("close", () => {
      if (!res.writableFinished) abandoned++
    })
    const answer = answers.shift() ?? 200
    if (answer !== "hang") res.writeHead(answer).end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/care360`,
    received,
    abandoned: () => abandoned,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A URL nothing listens on: a receiver that is down. */
export const downUrl = async (): Promise<string> => {
  const receiver = await startReceiver()
  await receiver.close()
  return receiver.url
}

/** Polls until `probe` returns a value; fails the test with `what` after `timeoutMs`, never passes by waiting. */
export const waitFor = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000) =>
  eventually(what, probe, { timeoutMs, intervalMs: 15 })

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
    return body<TargetView>(response)
  },
  registerRaw: (target: unknown) => send(cv, "POST", "/webhooks", target),
  list: async () =>
    (await body<{ webhooks: Array<TargetView & { secret?: unknown }> }>(await send(cv, "GET", "/webhooks"))).webhooks,
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
