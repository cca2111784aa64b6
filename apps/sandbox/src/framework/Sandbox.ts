// One running emulator's moving parts (state, clock, faults, request log, rate limiter, activity) and the
// in-process control API over them; the HTTP `/_sandbox/` routes call exactly these functions.
import { ActivitySimulator, type ActivityStatus, type StepOptions } from "./Activity.ts"
import { Clock } from "./Clock.ts"
import type { ActivityEvent, BaseOptions, EmulatorDefinition, EmulatorInfo, Resolved } from "./Emulator.ts"
import { FaultInjector, type FaultRule, type FaultSpec } from "./Faults.ts"
import { type RateLimitConfig, RateLimiter } from "./RateLimiter.ts"
import { RequestLog, type RequestLogEntry } from "./RequestLog.ts"

export interface SandboxInfo extends EmulatorInfo {
  readonly vendor: string
  readonly seed: number
  readonly size: number
  /** Controllable-clock time, epoch ms, and how far it was advanced. */
  readonly now: number
  readonly clockOffsetMs: number
  /** The fixed delay added to every vendor call (option `latencyMs`). */
  readonly latencyMs: number
}

/** The vendor rate limit in force: the emulator's own (or the `rateLimit` option's), or none. */
export type RateLimitStatus =
  | { readonly enabled: true; readonly limit: number; readonly windowMs: number }
  | { readonly enabled: false }

export interface ResetInput {
  readonly seed?: number
  readonly size?: number
}

export interface SandboxControl {
  readonly info: () => SandboxInfo
  /** Reseeds the state and clears faults, request log, rate-limit windows, clock offset and activity. */
  readonly reset: (input?: ResetInput) => SandboxInfo
  readonly faults: {
    readonly add: (spec: FaultSpec) => FaultRule
    readonly list: () => ReadonlyArray<FaultRule>
    readonly remove: (id: number) => boolean
    readonly clear: () => void
  }
  readonly requests: {
    readonly list: (input?: { readonly since?: number; readonly limit?: number }) => Array<RequestLogEntry>
    readonly clear: () => void
    /** The seq the next request will get. */
    readonly nextSeq: () => number
  }
  readonly clock: {
    readonly now: () => number
    readonly advance: (ms: number) => number
    readonly offsetMs: () => number
  }
  /**
   * Switches the vendor rate limit at run time (benchmarks turn it off); a reset restores the limit the emulator
   * started with, as it clears faults.
   */
  readonly rateLimit: {
    readonly status: () => RateLimitStatus
    /** The vendor's documented limit (the definition's), whatever the options or the control API say. */
    readonly documented: RateLimitConfig | false
    /** `false` switches it off; a config replaces it with fresh (empty) windows. */
    readonly set: (config: RateLimitConfig | false) => RateLimitStatus
  }
  readonly activity: {
    readonly start: (ratePerSecond: number) => ActivityStatus
    readonly stop: () => ActivityStatus
    readonly step: (count: number, options?: StepOptions) => Array<ActivityEvent>
    readonly status: () => ActivityStatus
    /** The kinds of edit this emulator's staff make (what `step`'s `kinds` may name). */
    readonly kinds: ReadonlyArray<string>
  }
}

export interface Sandbox<S, O extends BaseOptions> {
  readonly definition: EmulatorDefinition<S, O>
  readonly clock: Clock
  readonly log: RequestLog
  readonly faults: FaultInjector
  /** The rate limiter in force now (the control API can replace or remove it). */
  readonly limiter: () => RateLimiter | undefined
  readonly activity: ActivitySimulator
  readonly control: SandboxControl
  readonly current: () => { readonly state: S; readonly options: Resolved<O> }
  /** Stops the current state's background work (its lifetime signal and `dispose`); the server calls it on close. */
  readonly dispose: () => void
}

const resolve = <S, O extends BaseOptions>(definition: EmulatorDefinition<S, O>, options: O): Resolved<O> => {
  const latency = options.latencyMs ?? 0
  if (!Number.isFinite(latency) || latency < 0) throw new RangeError("latencyMs must be a finite, non-negative ms")
  return { ...options, seed: options.seed ?? 1, size: options.size ?? definition.defaultSize }
}

export const createSandbox = <S, O extends BaseOptions>(definition: EmulatorDefinition<S, O>, input: O) => {
  const clock = new Clock()
  let options = resolve(definition, input)
  // One lifetime per state: aborting it stops whatever the state started (webhook deliveries, their retries).
  let lifetime = new AbortController()
  let state = definition.create(options, clock, lifetime.signal)
  const discard = () => {
    lifetime.abort()
    definition.dispose?.(state)
  }
  const log = new RequestLog(options.requestLogCapacity ?? 10_000)
  const faults = new FaultInjector(options.seed)
  const startLimit = options.rateLimit === undefined ? definition.rateLimit : options.rateLimit
  const limiterFor = (config: RateLimitConfig | false) => (config === false ? undefined : new RateLimiter(config))
  let limiter = limiterFor(startLimit)
  const limitStatus = (): RateLimitStatus =>
    limiter === undefined ? { enabled: false } : { enabled: true, ...limiter.config }
  const setLimit = (config: RateLimitConfig | false): RateLimitStatus => {
    if (config !== false) {
      const { limit, windowMs } = config
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer")
      if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError("windowMs must be a positive number")
    }
    limiter = limiterFor(config)
    return limitStatus()
  }
  const activity = new ActivitySimulator(options.seed, definition.activityKinds, (rng, kinds, target) =>
    definition.activity(state, rng, kinds, target),
  )

  const info = (): SandboxInfo => ({
    ...definition.describe(state),
    vendor: definition.vendor,
    seed: options.seed,
    size: options.size,
    now: clock.now(),
    clockOffsetMs: clock.offsetMs,
    latencyMs: options.latencyMs ?? 0,
  })

  const reset = (change: ResetInput = {}): SandboxInfo => {
    activity.stop()
    clock.reset()
    options = { ...options, seed: change.seed ?? options.seed, size: change.size ?? options.size }
    discard()
    lifetime = new AbortController()
    state = definition.create(options, clock, lifetime.signal)
    log.clear()
    faults.reset(options.seed)
    limiter = limiterFor(startLimit)
    activity.reset(options.seed)
    return info()
  }

  const control: SandboxControl = {
    info,
    reset,
    faults: {
      add: (spec) => faults.add(spec, clock.now()),
      list: () => faults.list(clock.now()),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    requests: {
      list: (query = {}) => log.since(query.since ?? 0, query.limit),
      clear: () => log.clear(),
      nextSeq: () => log.nextSeq,
    },
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms), offsetMs: () => clock.offsetMs },
    rateLimit: { status: limitStatus, documented: definition.rateLimit, set: setLimit },
    activity: {
      start: (rate) => activity.start(rate),
      stop: () => activity.stop(),
      step: (count, options) => activity.step(count, options),
      status: () => activity.status(),
      kinds: definition.activityKinds,
    },
  }

  if (options.activityRatePerSecond !== undefined && options.activityRatePerSecond > 0) {
    activity.start(options.activityRatePerSecond)
  }
  const current = () => ({ state, options })
  const dispose = discard
  const sandbox: Sandbox<S, O> = {
    definition,
    clock,
    log,
    faults,
    limiter: () => limiter,
    activity,
    control,
    current,
    dispose,
  }
  return sandbox
}
