// How one webhook delivery is sent: a POST of the exact body text, signed per attempt, with a timeout, retried
// with backoff on a network error, a timeout or a non-2xx answer, each attempt recorded on the delivery. The
// state's lifetime signal stops it at any point, and no timer it sets keeps the process alive.
import { setTimeout as delay } from "node:timers/promises"
import type { SignatureScheme } from "./WebhookSignatures.ts"
import type { Subscription } from "./WebhookSubscriptions.ts"

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly attempts: number
  /** Wait before the second attempt, ms. */
  readonly delayMs: number
  /** Each later wait is the previous one times this (1 keeps it fixed). */
  readonly factor: number
  readonly maxDelayMs: number
}

/** The wait before attempt `n` (2, 3, ...). */
export const backoffMs = (policy: RetryPolicy, n: number): number =>
  Math.min(policy.maxDelayMs, policy.delayMs * policy.factor ** Math.max(0, n - 2))

export interface DeliveryAttempt {
  readonly at: string
  /** The receiver's HTTP status; null when no response arrived (see `error`). */
  readonly status: number | null
  readonly error: string | null
  readonly durationMs: number
}

export interface DeliveryCore {
  readonly seq: number
  readonly targetId: string
  readonly event: string
  readonly eventId: string
  /** Delivered means a 2xx answer; failed means every attempt failed, or the state was discarded first. */
  state: "pending" | "delivered" | "failed"
  status: number | null
  error: string | null
  readonly attempts: Array<DeliveryAttempt>
}

export interface Job<D extends DeliveryCore> {
  readonly target: Subscription
  readonly delivery: D
  readonly body: string
}

export interface Sending<D extends DeliveryCore> {
  readonly now: () => number
  readonly timeoutMs: number
  readonly retry: RetryPolicy
  readonly scheme: SignatureScheme
  readonly headers: (delivery: D) => Readonly<Record<string, string>>
  readonly closing: AbortSignal
  /** Why a retry should not happen any more ("target removed"), or undefined to go on. */
  readonly stopReason: (targetId: string) => string | undefined
}

export const settle = (delivery: DeliveryCore, state: "delivered" | "failed", error: string | null): void => {
  delivery.state = state
  delivery.error = error
}

const describe = <D extends DeliveryCore>(error: unknown, sending: Sending<D>): string => {
  if (sending.closing.aborted) return "emulator closed"
  if (error instanceof Error && error.name === "TimeoutError") return `timeout after ${sending.timeoutMs} ms`
  // undici wraps the socket error ("fetch failed", cause ECONNREFUSED …); the cause is what a tester wants.
  const cause = error instanceof Error ? error.cause : undefined
  if (cause instanceof Error) return "code" in cause && typeof cause.code === "string" ? cause.code : cause.message
  return error instanceof Error ? error.message : String(error)
}

const signatureHeaders = <D extends DeliveryCore>(
  target: Subscription,
  body: string,
  sending: Sending<D>,
  now: number,
) => {
  // A wrong key, not a missing header: only a receiver that really verifies notices.
  if (target.badSignature) return sending.scheme.sign(`${target.secret ?? ""}:not-the-secret`, body, now)
  return target.secret === null ? {} : sending.scheme.sign(target.secret, body, now)
}

const attempt = async <D extends DeliveryCore>(
  { target, delivery, body }: Job<D>,
  sending: Sending<D>,
): Promise<DeliveryAttempt> => {
  const now = sending.now()
  const at = new Date(now).toISOString()
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const headers = {
    "content-type": "application/json",
    ...sending.headers(delivery),
    ...signatureHeaders(target, body, sending, now),
  }
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.any([sending.closing, AbortSignal.timeout(sending.timeoutMs)]),
    })
    // Discard the answer so the connection goes back to the pool instead of waiting to be collected.
    await response.body?.cancel().catch(() => undefined)
    return { at, status: response.status, error: null, durationMs: elapsed() }
  } catch (error) {
    return { at, status: null, error: describe(error, sending), durationMs: elapsed() }
  }
}

/** Sends with retries; never rejects, so a receiver's failure can never crash the emulator. */
export const deliver = async <D extends DeliveryCore>(job: Job<D>, sending: Sending<D>): Promise<void> => {
  const { delivery } = job
  for (let n = 1; n <= sending.retry.attempts; n++) {
    if (n > 1) {
      try {
        // ref: false, and the closing signal cancels it: a pending retry never holds the process open.
        await delay(backoffMs(sending.retry, n), undefined, { signal: sending.closing, ref: false })
      } catch {
        return settle(delivery, "failed", "emulator closed")
      }
      const stop = sending.stopReason(job.target.id)
      if (stop !== undefined) return settle(delivery, "failed", stop)
    }
    const result = await attempt(job, sending)
    delivery.attempts.push(result)
    delivery.status = result.status
    delivery.error = result.error
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      return settle(delivery, "delivered", null)
    }
    if (sending.closing.aborted) break
  }
  settle(delivery, "failed", delivery.error ?? `HTTP ${delivery.status}`)
}
