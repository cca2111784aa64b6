// Candid emulator options and the state one seed produces: the task store and the client-credentials token
// issuer (framework OAuthTokens with Candid's Auth0-shaped claims and its mint throttle).
// https://docs.joincandidhealth.com/api-reference/auth/v-2/get-token
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import { type OAuthClient, OAuthTokens } from "../framework/OAuthTokens.ts"
import type { RateLimitConfig } from "../framework/RateLimiter.ts"
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
  readonly tokens: OAuthTokens<OAuthClient>
  readonly updatedSinceField: UpdatedSinceField
}

export const DEFAULT_MINT_LIMIT: RateLimitConfig = { limit: 20, windowMs: 60_000 }

/** Tokens are JWT-shaped, as the real Auth0 ones are, with the claims an Auth0 client-credentials token carries. */
const tokenIssuer = (store: CandidStore, options: Resolved<CandidOptions>, clock: Clock) =>
  new OAuthTokens({
    clients: store.orgs.map((org) => ({ clientId: org.clientId, clientSecret: org.clientSecret, org: org.index })),
    organizations: store.organizations,
    clock,
    ttlSeconds: options.tokenTtlSeconds ?? 86_400,
    signingSecret: `candid-sandbox-${options.seed}`,
    // "Minting tokens too often" is a 429 [D]; how often is ours [I].
    mintLimit: options.tokenMintLimit ?? DEFAULT_MINT_LIMIT,
    claims: (client) => ({
      iss: "https://candidhealth.auth0.com/",
      sub: `${client.clientId}@clients`,
      aud: "https://api.joincandidhealth.com",
      org_id: store.orgs[client.org]?.organizationId,
    }),
  })

export const createState = (options: Resolved<CandidOptions>, clock: Clock): CandidState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    organizations: options.organizations ?? 2,
    deprecated: options.deprecatedStatuses ?? DEFAULT_DEPRECATED_STATUSES,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  const store = new CandidStore(seeded, options.seed, clock)
  return {
    store,
    tokens: tokenIssuer(store, options, clock),
    updatedSinceField: options.updatedSinceField ?? "updated_at",
  }
}
