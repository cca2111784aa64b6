// Candid emulator options and the state one seed produces: the task store and the token issuer.
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import type { RateLimitConfig } from "../framework/RateLimiter.ts"
import { TokenIssuer } from "./Auth.ts"
import { DEFAULT_DEPRECATED_STATUSES, type TaskStatus } from "./Enums.ts"
import type { UpdatedSinceField } from "./Filter.ts"
import { seed } from "./Seed.ts"
import { CandidStore } from "./Store.ts"

export interface CandidOptions extends BaseOptions {
  /** How many organizations (each with its own credentials); at least 2. Default 2. */
  readonly organizations?: number
  /** Statuses PATCH rejects as deprecated, for every organization at start. */
  readonly deprecatedStatuses?: ReadonlyArray<TaskStatus>
  /** Token lifetime; the docs' example says 86400 (the prose says 5 h; the SDK trusts expires_in). */
  readonly tokenTtlSeconds?: number
  /** How many tokens one client_id may mint per window before 429. Default 20 per 60 s [I]. */
  readonly tokenMintLimit?: RateLimitConfig
  /** Which timestamp `updated_since` compares. Default "updated_at" [I]; see README. */
  readonly updatedSinceField?: UpdatedSinceField
  /** End of the seeded history (epoch ms). Default: the start of the current UTC day. */
  readonly anchorMs?: number
}

export interface CandidState {
  readonly store: CandidStore
  readonly tokens: TokenIssuer
  readonly updatedSinceField: UpdatedSinceField
}

export const DEFAULT_MINT_LIMIT: RateLimitConfig = { limit: 20, windowMs: 60_000 }

export const createState = (options: Resolved<CandidOptions>, clock: Clock): CandidState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    organizations: options.organizations ?? 2,
    deprecated: options.deprecatedStatuses ?? DEFAULT_DEPRECATED_STATUSES,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  const store = new CandidStore(seeded, options.seed, clock)
  const ttl = options.tokenTtlSeconds ?? 86_400
  const tokens = new TokenIssuer(store.orgs, clock, ttl, options.tokenMintLimit ?? DEFAULT_MINT_LIMIT, options.seed)
  return { store, tokens, updatedSinceField: options.updatedSinceField ?? "updated_at" }
}
