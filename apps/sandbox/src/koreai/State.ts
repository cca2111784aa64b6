// Kore.ai options and the state one seed makes: the store, the self-signed JWT check as the docs describe it (`auth`,
// `appId`, the case-management scope, `AccountId`) and the agents' shift.
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import { SelfSignedJwtAuth } from "../framework/SelfSignedJwtAuth.ts"
import { type App, CASE_SCOPE } from "./Model.ts"
import { seed } from "./Seed.ts"
import { Shift } from "./Shift.ts"
import { KoreaiStore } from "./Store.ts"

export interface KoreaiOptions extends BaseOptions {
  /** How many accounts (each with its own stream, apps and configuration); at least 2. Default 2. */
  readonly accounts?: number
  /** Seeded tasks were created and updated before it (epoch ms). Default: the start of the current UTC day. */
  readonly anchorMs?: number
  /** Agents' edits per hour of sandbox time, applied lazily before each request (Shift.ts). Default 0: off. */
  readonly agentEditsPerHour?: number
}

export interface KoreaiState {
  readonly store: KoreaiStore
  readonly auth: SelfSignedJwtAuth<App>
  readonly shift: Shift
}

export const createState = (options: Resolved<KoreaiOptions>, clock: Clock): KoreaiState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    accounts: options.accounts ?? 2,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  const store = new KoreaiStore(seeded, options.seed, clock)
  // [D: §3.2] `auth: <JWT>` signed HS256 with the client secret, claim `appId`, plus `AccountId`. The documented
  // example payload has no `exp`, so a token without one is accepted; one with an `exp` is checked on the clock.
  const auth = new SelfSignedJwtAuth<App>({
    header: "auth",
    appClaim: "appId",
    apps: store.orgs.flatMap((org) => org.apps),
    organizations: store.organizations,
    clock,
    requiredScope: CASE_SCOPE,
    companions: [{ header: "AccountId", expected: (app) => app.accountId }],
  })
  return { store, auth, shift: new Shift(options.seed, options.agentEditsPerHour ?? 0, clock.now()) }
}
