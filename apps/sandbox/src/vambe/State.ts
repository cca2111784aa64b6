// Vambe emulator options and the state one seed produces: the task store, the x-api-key check and the webhook hub
// (framework pieces) whose subscriptions hear about task changes.
import { ApiKeyAuth } from "../framework/ApiKeyAuth.ts"
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { WebhookHub } from "../framework/WebhookHub.ts"
import { hexHmacOfBody } from "../framework/WebhookSignatures.ts"
import { NS, type Organization } from "./Model.ts"
import { seed } from "./Seed.ts"
import { VambeStore } from "./Store.ts"
import { announce, type TaskSubject, TOPICS } from "./WebhookEvents.ts"
import type { PriorityForm } from "./Wire.ts"

/**
 * [N] Vambe registers a `secret` "for signature validation" but documents neither the header nor the algorithm.
 * [I] The emulator signs with `x-vambe-signature` = hex HMAC-SHA256 of the exact body bytes, the name and algorithm
 * of Vambe's own App-Platform webhooks (without their timestamp prefix, which is documented only for those).
 */
export const SIGNATURE_HEADER = "x-vambe-signature"

export interface VambeOptions extends BaseOptions {
  /** How many organizations (each with its own x-api-key, statuses and team); at least 2. Default 3. */
  readonly organizations?: number
  /** Each organization's share of `size` by weight; default the first organization holds half. */
  readonly shares?: ReadonlyArray<number>
  /** The seeded dues sit around it (epoch ms). Default: the start of the current UTC day. */
  readonly anchorMs?: number
  /** How listings print `priority` (the docs disagree): `integer` (default), `string` ("0"–"2") or `word`. */
  readonly priorityForm?: PriorityForm
  readonly webhookTimeoutMs?: number
  readonly webhookRetryDelayMs?: number
}

export interface VambeState {
  readonly store: VambeStore
  readonly auth: ApiKeyAuth<Organization>
  readonly webhooks: WebhookHub<TaskSubject>
  readonly priorityForm: PriorityForm
  /** Control: while set, listings answer at most this many tasks (a vendor-side outage that looks like deletions). */
  listingLimit: number | null
}

export const createState = (options: Resolved<VambeOptions>, clock: Clock, lifetime: AbortSignal): VambeState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    organizations: options.organizations ?? 3,
    shares: options.shares,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  const store = new VambeStore(seeded, options.seed, clock)
  // [D: §2.2] `x-api-key: <api key>` on every request.
  const auth = new ApiKeyAuth({ header: "x-api-key", organizations: store.organizations, keysOf: (o) => [o.apiKey] })
  const webhooks = new WebhookHub<TaskSubject>({
    seed: options.seed,
    clock,
    lifetime,
    scheme: hexHmacOfBody(SIGNATURE_HEADER),
    timeoutMs: options.webhookTimeoutMs ?? 2000,
    // [N] No retry policy is documented: one retry after a fixed delay, like the other emulators.
    retry: { attempts: 2, delayMs: options.webhookRetryDelayMs ?? 250, factor: 1 },
    events: { names: TOPICS, vendor: "Vambe" },
    eventId: (n) => uuidOf(NS.webhookEvent, options.seed, n),
  })
  store.onChange((task, events) => announce(webhooks, store, task, events))
  return { store, auth, webhooks, priorityForm: options.priorityForm ?? "integer", listingLimit: null }
}
