// Spry emulator options and the state one seed produces: the request store, the OAuth client-credentials issuer
// (framework OAuthTokens, with Spry's claims: organisation, user, roles, clinic list), the emulator's own matching, and
// the webhook hub (`X-Sprypt-Signature: t=…,v1=…`) behind `/api/v2/subscriptions`.
// https://api-docs.spryhealth.care/getting-started/authentication/
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { OAuthTokens } from "../framework/OAuthTokens.ts"
import { WebhookHub } from "../framework/WebhookHub.ts"
import { timestampedHmac } from "../framework/WebhookSignatures.ts"
import { EVENT_TYPES } from "./Enums.ts"
import { Matching } from "./Matching.ts"
import { type Client, NS } from "./Model.ts"
import { seed } from "./Seed.ts"
import { SpryStore } from "./Store.ts"
import { announceBooking, type EventSubject } from "./WebhookEvents.ts"

export interface SpryOptions extends BaseOptions {
  /** How many organisations (each with its clients, clinics and patients); at least 2. Default 2. */
  readonly organizations?: number
  /** End of the seeded history (epoch ms). Default: the start of the current UTC day. */
  readonly anchorMs?: number
  /** Access-token lifetime; "Access tokens expire after 1 hour" [D]. */
  readonly tokenTtlSeconds?: number
  /** Sandbox time between matching rounds; `false` switches the matching off. Default one hour [I]. */
  readonly matchIntervalMs?: number | false
  readonly webhookTimeoutMs?: number
  readonly webhookRetryDelayMs?: number
}

/** What Spry's subscription API keeps beside the framework's subscription (name, payload version, last change). */
export interface SubscriptionMeta {
  name: string
  apiVersion: string
  updatedAt: number
}

export type CloseStatus = "FULFILLED" | "CANCELLED" | "EXPIRED"

export interface SpryState {
  readonly store: SpryStore
  readonly tokens: OAuthTokens<Client>
  readonly matching: Matching
  /** Lives and dies with the state, so a reset forgets subscriptions and deliveries. */
  readonly webhooks: WebhookHub<EventSubject>
  readonly subscriptions: Map<string, SubscriptionMeta>
  /** Requests a test armed to close right before their next PATCH is handled (a race with Spry's matching). */
  readonly races: Map<string, CloseStatus>
}

/** Tokens carry what the token response says about the user behind them [D: the auth page's response]. */
const claims = (store: SpryStore) => (client: Client) => ({
  iss: "https://provider.sprypt.com",
  sub: String(client.userId),
  organisation_id: store.orgs[client.org]?.numericId,
  user_id: client.userId,
  name: client.name,
  roles: client.roles,
  clinic_id_list: client.clinicIds.map(Number),
  ...(client.patientId === null ? {} : { patient_id: client.patientId }),
})

export const createState = (options: Resolved<SpryOptions>, clock: Clock, lifetime: AbortSignal): SpryState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    organizations: options.organizations ?? 2,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  const store = new SpryStore(seeded, options.seed, clock)
  const tokens = new OAuthTokens<Client>({
    clients: store.orgs.flatMap((org) => org.clients),
    organizations: store.organizations,
    clock,
    ttlSeconds: options.tokenTtlSeconds ?? 3600,
    signingSecret: `spry-sandbox-${options.seed}`,
    grantType: "client_credentials",
    claims: claims(store),
  })
  const interval = options.matchIntervalMs ?? 3_600_000
  const matching = new Matching(store, options.seed, interval === false ? null : interval, clock.now())
  const webhooks = new WebhookHub<EventSubject>({
    seed: options.seed,
    clock,
    lifetime,
    // [D] `X-Sprypt-Signature: t=<epoch>,v1=<hex HMAC-SHA256 of "t.raw_body">`, 300 s freshness at the receiver.
    scheme: timestampedHmac("X-Sprypt-Signature"),
    timeoutMs: options.webhookTimeoutMs ?? 2000,
    // "Failed deliveries are retried automatically" [D]; the schedule is [N]: 4 attempts, doubling from 250 ms.
    retry: { attempts: 4, delayMs: options.webhookRetryDelayMs ?? 250, factor: 2, maxDelayMs: 5000 },
    headers: (d) => ({
      "x-event-type": d.event,
      "x-event-id": d.eventId,
      // "UUID of this delivery attempt" [D]: one per attempt, so a retry has its own.
      "x-delivery-id": uuidOf(NS.delivery, options.seed, d.seq, d.attempts.length),
    }),
    events: { names: EVENT_TYPES, vendor: "Spry" },
    eventId: (n) => `evt_${uuidOf(NS.event, options.seed, n)}`,
  })
  store.onBooking((booking) => announceBooking(webhooks, store, booking))
  return { store, tokens, matching, webhooks, subscriptions: new Map(), races: new Map() }
}
