// Fault injection for vendor routes: latency, 5xx, 429 bursts with Retry-After, dropped connections, timeouts
// and corrupted 200 bodies, each for the next N requests and/or until a controllable-clock time, optionally for a
// fraction. Corruption.ts rewrites the bodies; Pipeline.ts applies every decision.
import { CORRUPTION_KINDS, type CorruptionKind, MAX_OVERSIZED_BYTES } from "./Corruption.ts"
import { Rng } from "./Prng.ts"

export const FAULT_KINDS = ["latency", "error5xx", "rateLimit", "drop", "timeout", ...CORRUPTION_KINDS] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export const isCorruption = (kind: FaultKind): kind is CorruptionKind => CORRUPTION_KINDS.some((k) => k === kind)

/** What a test asks for (`POST /_sandbox/faults`). */
export interface FaultSpec {
  readonly kind: FaultKind
  /** Applies to the next `count` matching requests (each one counts, whether or not `ratio` fires). */
  readonly count?: number | undefined
  /** Applies until this controllable-clock time (epoch ms)... */
  readonly untilMs?: number | undefined
  /** ...or for this many ms from now. */
  readonly forMs?: number | undefined
  /** Fraction of matching requests that get the fault (default 1). */
  readonly ratio?: number | undefined
  /** error5xx status (default 503). */
  readonly status?: number | undefined
  /** rateLimit Retry-After header in seconds (default 1). */
  readonly retryAfterSeconds?: number | undefined
  /** latency delay (default 1000). */
  readonly latencyMs?: number | undefined
  /** timeout: how long the request hangs before the socket is destroyed (default 120000). */
  readonly holdMs?: number | undefined
  /** oversized: the body's size in bytes (default 5 MiB, at most 256 MiB). */
  readonly sizeBytes?: number | undefined
  /** wrongType: the property (first found, depth-first) whose value changes type; default the first string. */
  readonly field?: string | undefined
  /** Only requests with this method / whose path starts with this prefix. */
  readonly method?: string | undefined
  readonly pathPrefix?: string | undefined
}

export interface FaultRule {
  readonly id: number
  readonly kind: FaultKind
  readonly ratio: number
  readonly status: number
  readonly retryAfterSeconds: number
  readonly latencyMs: number
  readonly holdMs: number
  readonly sizeBytes: number
  readonly field: string | null
  readonly method: string | null
  readonly pathPrefix: string | null
  readonly untilMs: number | null
  remaining: number | null
  /** Requests that matched the rule / that actually got the fault. */
  seen: number
  applied: number
}

export interface FaultDecision {
  readonly latencyMs: number
  /** The fault that answers the request instead of the emulator, if any. */
  readonly fault: FaultRule | undefined
}

const isFaultKind = (value: unknown): value is FaultKind => FAULT_KINDS.some((kind) => kind === value)

const positive = (value: unknown, name: string): number | undefined => {
  if (value === undefined) return undefined
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be >= 0`)
  return value
}

/** Reads an untrusted JSON body as a FaultSpec; throws TypeError naming the first bad field. */
export const parseFaultSpec = (input: Readonly<Record<string, unknown>>): FaultSpec => {
  const { kind, method, pathPrefix, field } = input
  if (!isFaultKind(kind)) throw new TypeError(`kind must be one of ${FAULT_KINDS.join(", ")}`)
  if (method !== undefined && typeof method !== "string") throw new TypeError("method must be a string")
  if (pathPrefix !== undefined && typeof pathPrefix !== "string") throw new TypeError("pathPrefix must be a string")
  if (field !== undefined && (typeof field !== "string" || field === "")) {
    throw new TypeError("field must be a non-empty string")
  }
  const number = (name: string) => positive(input[name], name)
  return {
    kind,
    count: number("count"),
    untilMs: number("untilMs"),
    forMs: number("forMs"),
    ratio: number("ratio"),
    status: number("status"),
    retryAfterSeconds: number("retryAfterSeconds"),
    latencyMs: number("latencyMs"),
    holdMs: number("holdMs"),
    sizeBytes: number("sizeBytes"),
    field,
    method,
    pathPrefix,
  }
}

/** Validates a fault spec into a rule; throws TypeError with a readable message. */
export const toRule = (spec: FaultSpec, id: number, now: number): FaultRule => {
  if (!isFaultKind(spec.kind)) throw new TypeError(`kind must be one of ${FAULT_KINDS.join(", ")}`)
  const ratio = positive(spec.ratio, "ratio") ?? 1
  if (ratio > 1) throw new TypeError("ratio must be between 0 and 1")
  const status = positive(spec.status, "status") ?? 503
  if (spec.kind === "error5xx" && (status < 500 || status > 599)) throw new TypeError("status must be 5xx")
  const sizeBytes = positive(spec.sizeBytes, "sizeBytes") ?? 5 * 1_048_576
  // A cap, so a typo cannot make the emulator build a body larger than the test machine's memory.
  if (sizeBytes > MAX_OVERSIZED_BYTES) throw new TypeError(`sizeBytes must be at most ${MAX_OVERSIZED_BYTES}`)
  const forMs = positive(spec.forMs, "forMs")
  const untilMs = positive(spec.untilMs, "untilMs") ?? (forMs === undefined ? null : now + forMs)
  return {
    id,
    kind: spec.kind,
    ratio,
    status,
    retryAfterSeconds: positive(spec.retryAfterSeconds, "retryAfterSeconds") ?? 1,
    latencyMs: positive(spec.latencyMs, "latencyMs") ?? 1000,
    holdMs: positive(spec.holdMs, "holdMs") ?? 120_000,
    sizeBytes: Math.floor(sizeBytes),
    field: typeof spec.field === "string" && spec.field !== "" ? spec.field : null,
    method: typeof spec.method === "string" ? spec.method.toUpperCase() : null,
    pathPrefix: typeof spec.pathPrefix === "string" ? spec.pathPrefix : null,
    untilMs,
    remaining: positive(spec.count, "count") ?? null,
    seen: 0,
    applied: 0,
  }
}

export class FaultInjector {
  #rules: Array<FaultRule> = []
  #nextId = 1
  #rng: Rng

  constructor(seed: number) {
    this.#rng = new Rng(seed ^ 0xfa017)
  }

  add(spec: FaultSpec, now: number): FaultRule {
    const rule = toRule(spec, this.#nextId++, now)
    this.#rules.push(rule)
    return rule
  }

  list(now: number): ReadonlyArray<FaultRule> {
    this.#expire(now)
    return this.#rules
  }

  remove(id: number): boolean {
    const before = this.#rules.length
    this.#rules = this.#rules.filter((rule) => rule.id !== id)
    return this.#rules.length < before
  }

  clear(): void {
    this.#rules = []
  }

  /** Clears every rule and restarts the ratio stream, so a reset sandbox makes the same fault decisions. */
  reset(seed: number): void {
    this.clear()
    this.#rng = new Rng(seed ^ 0xfa017)
  }

  /** Every active matching rule consumes one of its count; latencies add up, the first other fault answers. */
  decide(method: string, path: string, now: number): FaultDecision {
    this.#expire(now)
    let latencyMs = 0
    let fault: FaultRule | undefined
    for (const rule of this.#rules) {
      if (rule.method !== null && rule.method !== method) continue
      if (rule.pathPrefix !== null && !path.startsWith(rule.pathPrefix)) continue
      rule.seen++
      if (rule.remaining !== null) rule.remaining--
      if (rule.ratio < 1 && this.#rng.next() >= rule.ratio) continue
      if (rule.kind === "latency") latencyMs += rule.latencyMs
      else if (fault === undefined) fault = rule
      else continue
      rule.applied++
    }
    return { latencyMs, fault }
  }

  #expire(now: number): void {
    this.#rules = this.#rules.filter(
      (rule) => (rule.remaining === null || rule.remaining > 0) && (rule.untilMs === null || now < rule.untilMs),
    )
  }
}
