// CareValidate emulator options and the state one seed produces: the case/escalation store and the webhook
// targets that hear about its escalation changes.
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import { seed } from "./Seed.ts"
import { CareValidateStore } from "./Store.ts"
import { announce } from "./WebhookEvents.ts"
import { Webhooks } from "./Webhooks.ts"

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
  /** Lives and dies with the state, so a reset forgets targets and deliveries. */
  readonly webhooks: Webhooks
}

export const createState = (options: Resolved<CareValidateOptions>, clock: Clock): CareValidateState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    organizations: options.organizations ?? 2,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  const store = new CareValidateStore(seeded, options.seed, clock)
  const webhooks = new Webhooks({
    seed: options.seed,
    now: () => clock.now(),
    timeoutMs: options.webhookTimeoutMs ?? 2000,
    retryDelayMs: options.webhookRetryDelayMs ?? 250,
  })
  store.onEscalationChange((kind, c, e) => announce(webhooks, store, kind, c, e))
  return { store, webhooks }
}
