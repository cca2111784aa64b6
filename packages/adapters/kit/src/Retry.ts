// The one retry policy for vendor calls: only retryable SyncErrors are retried, with capped jittered exponential
// backoff, except that a vendor's Retry-After is honoured exactly when it gave one. Any other failure (a missing
// task, a version conflict, a store error) ends the retries at once.

import { SyncError } from "@taskbridge/domain/Errors"
import { Duration, Effect, Option, Schedule } from "effect"

export interface RetryOptions {
  readonly times?: number
  readonly base?: Duration.Input
  readonly cap?: Duration.Input
}

const retryable = (error: unknown): error is SyncError => error instanceof SyncError && error.isRetryable

export const vendorRetry = (options: RetryOptions = {}) =>
  Schedule.min([Schedule.exponential(options.base ?? "500 millis"), Schedule.spaced(options.cap ?? "30 seconds")]).pipe(
    Schedule.jittered,
    Schedule.upTo({ times: options.times ?? 5 }),
    Schedule.setInputType<unknown>(),
    Schedule.while(({ input }) => retryable(input)),
    Schedule.modifyDelay(({ input, duration }) =>
      Effect.succeed(
        retryable(input) ? Option.getOrElse(input.retryAfter, () => Duration.fromInputUnsafe(duration)) : duration,
      ),
    ),
  )
