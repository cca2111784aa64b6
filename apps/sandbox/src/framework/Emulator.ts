// The contract between the framework and one vendor emulator: how to build its state from a seed, its vendor
// routes, its error bodies and one step of staff activity. Adding a vendor means writing one of these.
import type { Clock } from "./Clock.ts"
import type { WrongType } from "./Corruption.ts"
import type { Route, SandboxRequest, SandboxResponse } from "./Http.ts"
import type { Rng } from "./Prng.ts"
import type { RateLimitConfig } from "./RateLimiter.ts"

/** Options every emulator accepts; a vendor extends this with its own. */
export interface BaseOptions {
  /** 0 picks a free port (tests); undefined means the vendor's default port. */
  readonly port?: number
  readonly host?: string
  readonly seed?: number
  /** How many primary records (tasks, requests, ...) to seed. */
  readonly size?: number
  /** Overrides the vendor's documented limit; false switches it off. */
  readonly rateLimit?: RateLimitConfig | false
  readonly requestLogCapacity?: number
  /** Starts timer-driven staff activity at this many edits per second. */
  readonly activityRatePerSecond?: number
  /** Fixed delay added to every vendor call (not /_sandbox ones), for scale-out measurements. Default 0. */
  readonly latencyMs?: number
}

export type Resolved<O extends BaseOptions> = O & { readonly seed: number; readonly size: number }

/** One simulated edit made by a vendor-side user. */
export interface ActivityEvent {
  readonly kind: string
  /** The vendor id of the record that changed. */
  readonly id: string
  /** Vendor timestamp of the change, as the vendor prints it. */
  readonly at: string
  readonly detail?: Readonly<Record<string, unknown>>
}

/** The vendor's own error bodies for conditions the framework detects before a handler runs. */
export interface VendorResponses {
  readonly notFound: (request: SandboxRequest) => SandboxResponse
  readonly malformedBody: (raw: string) => SandboxResponse
  readonly rateLimited: (retryAfterSeconds: number) => SandboxResponse
  readonly serverError: (status: number) => SandboxResponse
  /**
   * The vendor's own `wrongType` corruption of a response body (e.g. a status enum as a number); without it the
   * fault turns the first string value into a number.
   */
  readonly wrongType?: WrongType
}

/** What `describe` returns: the demo credentials plus anything a test or the console needs to connect. */
export interface EmulatorInfo {
  readonly credentials: unknown
  readonly [key: string]: unknown
}

export interface EmulatorDefinition<S, O extends BaseOptions = BaseOptions> {
  readonly vendor: string
  readonly defaultPort: number
  readonly defaultSize: number
  /** The vendor's documented rate limit, or false when it documents none. */
  readonly rateLimit: RateLimitConfig | false
  /** Who a rate limit counts against (Kore.ai: the account); defaults to the client address. */
  readonly rateLimitKey?: (request: SandboxRequest, state: S) => string
  /**
   * Builds the state for one seed. `lifetime` is aborted when the state is discarded (reset or close): pieces
   * with background work, such as a WebhookHub, take it and stop themselves.
   */
  readonly create: (options: Resolved<O>, clock: Clock, lifetime: AbortSignal) => S
  readonly routes: ReadonlyArray<Route<S>>
  /**
   * The emulator's `/_sandbox/...` routes: the framework pieces' route factories it uses
   * (organizationControlRoutes, tokenControlRoutes, webhookControlRoutes) plus its own extras.
   */
  readonly controlRoutes: ReadonlyArray<Route<S>>
  readonly responses: VendorResponses
  readonly describe: (state: S) => EmulatorInfo
  readonly activityKinds: ReadonlyArray<string>
  /**
   * Stops background work the `lifetime` signal does not already stop, when a reset replaces the state or the
   * emulator closes, so nothing outlives the state or keeps the process alive. Must not throw.
   */
  readonly dispose?: (state: S) => void
  /**
   * Applies one staff edit through the emulator's own mutation functions, to `target` (a vendor id) when given;
   * undefined when there is nothing to edit. Throws TypeError for an unknown target.
   */
  readonly activity: (
    state: S,
    rng: Rng,
    kinds: ReadonlyArray<string>,
    target: string | undefined,
  ) => ActivityEvent | undefined
}
