// The SyncError constructors every adapter shares, bound to one vendor: a transport failure, an answer that does not
// decode, a refusal before any HTTP call naming the field, and the mapping from an HTTP status (with Retry-After and
// the manifest's retryable statuses) for answers a vendor's own envelope does not explain.
import {
  Conflict,
  InvalidResponse,
  NotFound,
  RateLimited,
  SyncError,
  type SyncErrorReason,
  Transient,
  Unauthorized,
  Validation,
} from "@taskbridge/domain/Errors"
import type { Vendor } from "@taskbridge/domain/Ids"
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

/** A status class as a reason; `retryable` is the manifest's list, so the vendor's own facts decide what is retried. */
export const reasonForStatus = (
  status: number,
  detail: string,
  retryable: ReadonlyArray<number>,
  retryAfter?: Duration.Duration,
): SyncErrorReason => {
  if (status === 429) return new RateLimited({ retryAfter: retryAfter ?? defaultRetryAfter })
  if (retryable.includes(status)) return new Transient({ detail: `HTTP ${status}: ${detail}` })
  if (status === 401 || status === 403) return new Unauthorized({ detail: `HTTP ${status}: ${detail}` })
  if (status === 404) return new NotFound({ detail })
  if (status === 409) return new Conflict({ detail })
  if (status >= 500) return new InvalidResponse({ detail: `HTTP ${status}: ${detail}` })
  return new Validation({ field: null, detail: `HTTP ${status}: ${detail}` })
}

export interface VendorErrors {
  readonly vendor: Vendor
  readonly fail: (operation: string, reason: SyncErrorReason) => SyncError
  /** The request never got a whole answer (refused, reset, timed out): worth another try. */
  readonly transport: (operation: string, detail: string) => SyncError
  /** A 2xx answer our wire schema does not accept, or one too large: a contract change, not worth retrying. */
  readonly invalidResponse: (operation: string, detail: string) => SyncError
  readonly notFound: (operation: string, detail: string) => SyncError
  /** A request refused before any HTTP call because the vendor could not take it; names the field. */
  readonly refusal: (operation: string, field: string | null, detail: string) => SyncError
  readonly unauthorized: (operation: string, detail: string) => SyncError
}

export const vendorErrors = (vendor: Vendor): VendorErrors => {
  const fail = (operation: string, reason: SyncErrorReason) => new SyncError({ vendor, operation, reason })
  return {
    vendor,
    fail,
    transport: (operation, detail) => fail(operation, new Transient({ detail })),
    invalidResponse: (operation, detail) => fail(operation, new InvalidResponse({ detail })),
    notFound: (operation, detail) => fail(operation, new NotFound({ detail })),
    refusal: (operation, field, detail) => fail(operation, new Validation({ field, detail })),
    unauthorized: (operation, detail) => fail(operation, new Unauthorized({ detail })),
  }
}
