// Vendor webhook receivers: `POST /webhooks/<vendor>/<connectionId>`, for every vendor whose definition has a webhook
// verifier. A webhook is only a hint to pull (design §5): once its signature verifies against the connection's stored
// webhook secret, the connection is pulled now (through its schedule's entity, so never alongside another pull).
// Anything unverifiable answers 401 and changes nothing. Replays are recognised (the vendor's event id, else the
// body's digest, within a window) and a burst coalesces into at most one queued pull per connection.
import { createHash } from "node:crypto"
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { SyncRunRepository } from "@taskbridge/domain/ports/Repositories"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { VendorDefinitions } from "@taskbridge/sync/Registry"
import { Clock, Context, DateTime, Effect, Layer, Option, Redacted, Schema } from "effect"
import type { ApiServices } from "./Services.ts"

export interface WebhookRequest {
  readonly vendor: string
  readonly connectionId: string
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: Buffer
}

export interface WebhookResponse {
  readonly status: number
  readonly body: Readonly<Record<string, unknown>>
}

/** How long a delivery is remembered: a replay within it is answered without a pull. */
const replayWindowMillis = 10 * 60_000
const rememberedDeliveries = 10_000

/**
 * Per-process memory of recent deliveries and of pulls queued by a webhook but not started yet. A replay reaching
 * another API process is not recognised there, but it is still coalesced with that connection's queued pull.
 */
export class WebhookGate extends Context.Service<
  WebhookGate,
  {
    /** True the first time a delivery is seen within the window. */
    readonly firstDelivery: (key: string, nowMillis: number) => boolean
    /** When this process last queued a webhook pull for the connection, if it did. */
    readonly queuedAt: (connection: ConnectionId) => number | undefined
    readonly queued: (connection: ConnectionId, nowMillis: number) => void
  }
>()("@taskbridge/api/WebhookGate") {
  static readonly layer = Layer.sync(WebhookGate, () => {
    const seen = new Map<string, number>()
    const pending = new Map<ConnectionId, number>()
    return WebhookGate.of({
      firstDelivery: (key, now) => {
        for (const [k, at] of seen)
          if (at < now - replayWindowMillis || seen.size > rememberedDeliveries) seen.delete(k)
        if (seen.has(key)) return false
        seen.set(key, now)
        return true
      },
      queuedAt: (connection) => pending.get(connection),
      queued: (connection, now) => {
        pending.set(connection, now)
      },
    })
  })
}

/** A connection's credentials may carry `webhookSecret` beside what its adapter needs. */
const WebhookSecret = Schema.fromJsonString(Schema.Struct({ webhookSecret: Schema.optionalKey(Schema.String) }))

const unverified: WebhookResponse = { status: 401, body: { error: "signature missing or invalid" } }
const accepted = (pulled: boolean, reason?: string): WebhookResponse => ({
  status: 202,
  body: reason === undefined ? { accepted: true, pulled } : { accepted: true, pulled, reason },
})

/** Whether a pull this process queued for the connection has not started yet (the latest run began before it). */
const stillQueued = (connection: ConnectionId, queuedAt: number | undefined) =>
  Effect.gen(function* () {
    if (queuedAt === undefined) return false
    const [latest] = yield* (yield* SyncRunRepository).list(connection, 1)
    return latest === undefined || DateTime.toEpochMillis(latest.startedAt) < queuedAt
  })

export const receive = (request: WebhookRequest): Effect.Effect<WebhookResponse, never, ApiServices> =>
  Effect.gen(function* () {
    const definition = (yield* VendorDefinitions).find((d) => d.vendor === request.vendor)
    const verifier = definition?.webhook ?? null
    if (verifier === null) return { status: 404, body: { error: `no webhooks are received for ${request.vendor}` } }
    if (!Schema.is(ConnectionId)(request.connectionId)) return unverified
    // An unknown connection, another vendor's, or one without a secret all look alike to the sender: unverified.
    const connection = yield* (yield* ConnectionRepository)
      .find(request.connectionId)
      .pipe(Effect.option, Effect.map(Option.getOrNull))
    if (connection === null || connection.vendor !== request.vendor) return unverified
    const secret = Schema.decodeUnknownOption(WebhookSecret)(Redacted.value(connection.credentials)).pipe(
      Option.flatMap((c) => Option.fromUndefinedOr(c.webhookSecret)),
    )
    const now = yield* Clock.currentTimeMillis
    const delivery = { headers: request.headers, body: request.body }
    if (Option.isNone(secret) || secret.value === "" || !verifier.verify(delivery, secret.value, now)) return unverified
    const gate = yield* WebhookGate
    const id = verifier.eventId(delivery) ?? createHash("sha256").update(request.body).digest("hex")
    if (!gate.firstDelivery(`${connection.id}:${id}`, now)) return accepted(false, "this delivery was already received")
    if (!connection.enabled) return accepted(false, "connection paused")
    if (yield* stillQueued(connection.id, gate.queuedAt(connection.id))) {
      return accepted(false, "a pull of this connection is already queued")
    }
    yield* (yield* Dispatcher).pullNow(connection.id, "webhook")
    gate.queued(connection.id, now)
    return accepted(true)
  }).pipe(
    Effect.catchCause((cause) =>
      Effect.as(Effect.logError("webhook handling failed", cause), {
        status: 500,
        body: { error: "internal error; it has been logged" },
      }),
    ),
  )
