// How one CareValidate webhook delivery is sent: a POST of the exact body bytes with `x-cv-signature`, a short
// timeout and one retry, each attempt recorded on the delivery; the emulator's close signal stops it at any point.
import { createHmac } from "node:crypto"
import { setTimeout as delay } from "node:timers/promises"

export interface Target {
  readonly id: string
  readonly url: string
  readonly secret: string | null
  readonly organizationId: string | null
  readonly events: ReadonlyArray<string> | null
  readonly createdAt: string
  badSignature: boolean
}

export interface DeliveryAttempt {
  readonly at: string
  /** The receiver's HTTP status; null when no response arrived (see `error`). */
  readonly status: number | null
  readonly error: string | null
  readonly durationMs: number
}

export interface Delivery {
  readonly seq: number
  readonly targetId: string
  readonly event: string
  readonly eventId: string
  readonly caseId: string
  readonly escalationId: string
  /** Delivered means a 2xx answer; failed means both attempts failed (or the emulator closed first). */
  state: "pending" | "delivered" | "failed"
  status: number | null
  error: string | null
  readonly attempts: Array<DeliveryAttempt>
}

export interface Job {
  readonly target: Target
  readonly delivery: Delivery
  readonly body: string
}

export interface Sending {
  /** The sandbox clock, so attempt times read like every other vendor timestamp. */
  readonly now: () => number
  readonly timeoutMs: number
  readonly retryDelayMs: number
  /** Aborted when the state is disposed (reset or close). */
  readonly closing: AbortSignal
  readonly isRegistered: (targetId: string) => boolean
}

export const settle = (delivery: Delivery, state: "delivered" | "failed", error: string | null): void => {
  delivery.state = state
  delivery.error = error
}

const sign = (key: string, body: string) => createHmac("sha256", key).update(body, "utf8").digest("hex")

const describe = (error: unknown, sending: Sending): string => {
  if (sending.closing.aborted) return "emulator closed"
  if (error instanceof Error && error.name === "TimeoutError") return `timeout after ${sending.timeoutMs} ms`
  // undici wraps the socket error ("fetch failed", cause ECONNREFUSED …); the cause is what a tester wants.
  const cause = error instanceof Error ? error.cause : undefined
  if (cause instanceof Error) return "code" in cause && typeof cause.code === "string" ? cause.code : cause.message
  return error instanceof Error ? error.message : String(error)
}

const attempt = async ({ target, body }: Job, sending: Sending): Promise<DeliveryAttempt> => {
  const at = new Date(sending.now()).toISOString()
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const headers: Record<string, string> = { "content-type": "application/json" }
  // [D] Hex HMAC-SHA256 of the exact bytes sent (§5.8). The fault signs with a wrong key, so the header keeps
  // its well-formed shape and only a receiver that really verifies notices.
  if (target.badSignature) headers["x-cv-signature"] = sign(`${target.secret ?? ""}:not-the-secret`, body)
  else if (target.secret !== null) headers["x-cv-signature"] = sign(target.secret, body)
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

/**
 * [I] The retry policy is undocumented (§5.8): one retry after `retryDelayMs` for a network error, timeout or
 * non-2xx answer, with the same bytes and eventId. Never rejects, so it cannot crash the emulator.
 */
export const deliver = async (job: Job, sending: Sending): Promise<void> => {
  const { delivery } = job
  for (const n of [1, 2]) {
    if (n > 1) {
      try {
        // ref: false, and the close signal cancels it: a pending retry never holds the process open.
        await delay(sending.retryDelayMs, undefined, { signal: sending.closing, ref: false })
      } catch {
        return settle(delivery, "failed", "emulator closed")
      }
      if (!sending.isRegistered(job.target.id)) return settle(delivery, "failed", "target removed")
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
