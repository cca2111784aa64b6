// Turning an HTTP answer into a SyncError reason when the vendor's own envelope says nothing more specific:
// status classes, and Retry-After in either of its two forms (delta-seconds or an HTTP date).

import {
  Conflict,
  NotFound,
  RateLimited,
  type SyncErrorReason,
  Transient,
  Unauthorized,
  Validation,
} from "@taskbridge/domain/Errors"
import { Duration } from "effect"

/** When a 429 carries no Retry-After, wait this long: enough to leave a 1-second window, short enough to recover. */
export const defaultRetryAfter = Duration.seconds(1)

export const parseRetryAfter = (value: string | null | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (value === null || value === undefined || value.trim() === "") return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - nowMillis))
}

/** Statuses worth another try: timeouts, too-early, rate limits and server-side failures. */
export const isRetryableStatus = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500

export const reasonForStatus = (status: number, detail: string, retryAfter?: Duration.Duration): SyncErrorReason => {
  if (status === 429) return new RateLimited({ retryAfter: retryAfter ?? defaultRetryAfter })
  if (isRetryableStatus(status)) return new Transient({ detail: `HTTP ${status}: ${detail}` })
  if (status === 401 || status === 403) return new Unauthorized({ detail: `HTTP ${status}: ${detail}` })
  if (status === 404) return new NotFound({ detail })
  if (status === 409) return new Conflict({ detail })
  return new Validation({ field: null, detail: `HTTP ${status}: ${detail}` })
}
