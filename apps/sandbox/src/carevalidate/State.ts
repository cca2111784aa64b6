// CareValidate emulator options and the state one seed produces: the case/escalation store, the cv-api-key check
// and the webhook hub (framework pieces) whose subscriptions hear about escalation changes.

import { ApiKeyAuth } from "../framework/ApiKeyAuth.ts"
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { WebhookHub } from "../framework/WebhookHub.ts"
import { hexHmacOfBody } from "../framework/WebhookSignatures.ts"
import { NS, type Organization } from "./Model.ts"
import { seed } from "./Seed.ts"
import { CareValidateStore } from "./Store.ts"
import { announce, DOCUMENTED_EVENTS, type EscalationSubject } from "./WebhookEvents.ts"

export interface CareValidateOptions extends BaseOptions {
  /** How many organizations (each with its own cv-api-key); at least 2. Default 2. */
  readonly organizations?: number
  /** End of the seeded history (epoch ms). Default: the start of the current UTC day. */
  readonly anchorMs?: number
  /** How long one webhook POST may take before it counts as failed. Default 2000. */
  readonly webhookTimeoutMs?: number
  /** Wait before the single retry of a failed webhook POST. Default 250. */
  readonly webhookRetryDelayMs?: number
}

export interface CareValidateState {
  readonly store: CareValidateStore
  readonly auth: ApiKeyAuth<Organization>
  /** Lives and dies with the state, so a reset forgets subscriptions and deliveries. */
  readonly webhooks: WebhookHub<EscalationSubject>
}

export const createState = (
  options: Resolved<CareValidateOptions>,
  clock: Clock,
  lifetime: AbortSignal,
): CareValidateState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    organizations: options.organizations ?? 2,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  const store = new CareValidateStore(seeded, options.seed, clock)
  // Every call carries `cv-api-key: <org secret>` [D: vendor-docs §5.2]; node lower-cases header names.
  const auth = new ApiKeyAuth({ header: "cv-api-key", organizations: store.organizations, keysOf: (o) => [o.apiKey] })
  const webhooks = new WebhookHub<EscalationSubject>({
    seed: options.seed,
    clock,
    lifetime,
    // [D] `x-cv-signature` is a hex HMAC-SHA256 of the body (§5.8).
    scheme: hexHmacOfBody("x-cv-signature"),
    timeoutMs: options.webhookTimeoutMs ?? 2000,
    // [I] The retry policy is undocumented (§5.8): one retry after a fixed delay.
    retry: { attempts: 2, delayMs: options.webhookRetryDelayMs ?? 250, factor: 1 },
    events: { names: DOCUMENTED_EVENTS, vendor: "CareValidate" },
    eventId: (n) => uuidOf(NS.webhookEvent, options.seed, n),
  })
  store.onEscalationChange((kind, c, e) => announce(webhooks, store, kind, c, e))
  return { store, auth, webhooks }
}
