// Polling with a deadline for tests that wait on another process, a server or a durable job: `eventually` resolves
// with the first value the probe returns and fails the test, naming what it waited for, when the deadline passes.
// It never passes by waiting: a probe that keeps answering undefined (or throwing) is a failure.
import { setTimeout as sleep } from "node:timers/promises"

export interface EventuallyOptions {
  /** Default 30 s: several tests wait on a durable runner whose polls are coarse. */
  readonly timeoutMs?: number
  /** Default 100 ms. */
  readonly intervalMs?: number
  /** More to say when it times out (a child process's output, say). */
  readonly context?: () => string
}

/**
 * Calls `probe` until it returns something other than undefined. A probe that throws is tried again (the thing it
 * asks may not be up yet); its last error is part of the timeout's message.
 */
export const eventually = async <A>(
  what: string,
  probe: () => A | undefined | Promise<A | undefined>,
  options: EventuallyOptions = {},
): Promise<A> => {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      const cause = last === undefined ? "" : `; last error: ${String(last)}`
      const context = options.context === undefined ? "" : `\n${options.context()}`
      throw new Error(`timed out waiting for ${what}${cause}${context}`)
    }
    await sleep(options.intervalMs ?? 100)
  }
}
