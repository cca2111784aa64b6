// Vendor webhook receivers: `POST /webhooks/<vendor>/<connectionId>`. A webhook is only a hint to pull (design §5):
// once its signature verifies against the connection's stored webhook secret, the connection is pulled now (through
// its schedule's entity, so never alongside another pull). Anything unverifiable answers 401 and changes nothing.
import { createHmac, timingSafeEqual } from "node:crypto"
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { ConnectionId, type Vendor } from "@taskbridge/domain/Ids"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { Effect, Option, Redacted, Schema } from "effect"
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

const hexEqual = (expected: string, given: string) => {
  const a = Buffer.from(expected, "hex")
  const b = Buffer.from(given, "hex")
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b)
}

const header = (request: WebhookRequest, name: string) => {
  const value = request.headers[name]
  return typeof value === "string" ? value : undefined
}

/**
 * CareValidate (vendor docs §5.8): `x-cv-signature` is the hex HMAC-SHA256 of the body under the secret set in its
 * UI. Its own example hashes `JSON.stringify(body)`, so the raw bytes are tried first and the re-serialised JSON
 * second (a sender that re-serialises produces the same bytes for ordinary payloads).
 */
const verifyCareValidate = (request: WebhookRequest, secret: string): boolean => {
  const given = header(request, "x-cv-signature")
  if (given === undefined || !/^[0-9a-f]{64}$/i.test(given)) return false
  const sign = (bytes: Buffer | string) => createHmac("sha256", secret).update(bytes).digest("hex")
  if (hexEqual(sign(request.body), given.toLowerCase())) return true
  const reserialised = Option.liftThrowable(() => JSON.stringify(JSON.parse(request.body.toString("utf8"))))()
  return Option.isSome(reserialised) && hexEqual(sign(reserialised.value), given.toLowerCase())
}

/** The vendors that send webhooks about the objects we sync, and how each signs them. */
const verifiers: Partial<Record<Vendor, (request: WebhookRequest, secret: string) => boolean>> = {
  carevalidate: verifyCareValidate,
}

/** A connection's credentials may carry `webhookSecret` beside what its adapter needs. */
const WebhookSecret = Schema.fromJsonString(Schema.Struct({ webhookSecret: Schema.optionalKey(Schema.String) }))

const unverified: WebhookResponse = { status: 401, body: { error: "signature missing or invalid" } }

export const receive = (request: WebhookRequest): Effect.Effect<WebhookResponse, never, ApiServices> =>
  Effect.gen(function* () {
    const verify = verifiers[request.vendor as Vendor]
    if (verify === undefined) return { status: 404, body: { error: `no webhooks are received for ${request.vendor}` } }
    if (!Schema.is(ConnectionId)(request.connectionId)) return unverified
    // An unknown connection, another vendor's, or one without a secret all look alike to the sender: unverified.
    const connection = yield* (yield* ConnectionRepository)
      .find(request.connectionId)
      .pipe(Effect.option, Effect.map(Option.getOrNull))
    if (connection === null || connection.vendor !== request.vendor) return unverified
    const secret = Schema.decodeUnknownOption(WebhookSecret)(Redacted.value(connection.credentials)).pipe(
      Option.flatMap((c) => Option.fromUndefinedOr(c.webhookSecret)),
    )
    if (Option.isNone(secret) || secret.value === "" || !verify(request, secret.value)) return unverified
    if (!connection.enabled)
      return { status: 202, body: { accepted: true, pulled: false, reason: "connection paused" } }
    yield* (yield* Dispatcher).pullNow(connection.id, "webhook")
    return { status: 202, body: { accepted: true, pulled: true } }
  }).pipe(
    Effect.catchCause((cause) =>
      Effect.as(Effect.logError("webhook handling failed", cause), {
        status: 500,
        body: { error: "internal error; it has been logged" },
      }),
    ),
  )
