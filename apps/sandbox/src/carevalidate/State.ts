// CareValidate emulator options and the state one seed produces: the case/escalation store.
import type { Clock } from "../framework/Clock.ts"
import type { BaseOptions, Resolved } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import { seed } from "./Seed.ts"
import { CareValidateStore } from "./Store.ts"

export interface CareValidateOptions extends BaseOptions {
  /** How many organizations (each with its own cv-api-key); at least 2. Default 2. */
  readonly organizations?: number
  /** End of the seeded history (epoch ms). Default: the start of the current UTC day. */
  readonly anchorMs?: number
}

export interface CareValidateState {
  readonly store: CareValidateStore
}

export const createState = (options: Resolved<CareValidateOptions>, clock: Clock): CareValidateState => {
  const seeded = seed({
    seed: options.seed,
    size: options.size,
    organizations: options.organizations ?? 2,
    anchorMs: options.anchorMs ?? Math.floor(clock.now() / DAY_MS) * DAY_MS,
  })
  return { store: new CareValidateStore(seeded, options.seed, clock) }
}
