// Kills at random points of real work, for the crash test and the soak. A point is counted in vendor calls (the
// r-th request the emulators receive after the work starts), not in milliseconds, so it lands inside the work
// however loaded the machine is; the victim is restarted at once and the caller checks that everything completes.
import { eventually } from "@taskbridge/vitest-config/eventually"
import type { Cluster } from "./Cluster.ts"
import type { Random } from "./Random.ts"

export interface Kill {
  readonly slot: string
  readonly phase: "backfill" | "push"
  /** Whether the work was still unfinished when the process died (else the kill came too late to count). */
  readonly during: boolean
}

const requests = (cluster: Cluster, method?: string) =>
  cluster.emulators.reduce(
    (n, e) =>
      n + e.control.requests.list({ since: 0 }).filter((r) => method === undefined || r.method === method).length,
    0,
  )

/**
 * Waits until the emulators have seen `calls` more requests (of `method`, if given) or `done` says the work is over,
 * then `kill -9`s the worker of `slot` and starts it again.
 */
const killAfter = async (
  cluster: Cluster,
  slot: string,
  calls: number,
  method: string | undefined,
  done: () => Promise<boolean>,
) => {
  const target = requests(cluster, method) + calls
  await eventually(
    `${calls} more vendor calls before killing ${slot}`,
    async () => (requests(cluster, method) >= target || (await done()) ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 20, context: cluster.logs },
  )
  const during = !(await done())
  await cluster.killWorker(slot)
  await cluster.startWorker(slot)
  return during
}

/** `kill -9` of `slot` after a random number of backfill calls (up to `maxCalls`), then a restart. */
export const killDuringBackfill = async (cluster: Cluster, rng: Random, slot: string, maxCalls: number) => {
  const during = await killAfter(cluster, slot, rng.between(1, maxCalls + 1), "GET", async () =>
    (await cluster.backfills()).every((run) => run?.state === "succeeded"),
  )
  return { slot, phase: "backfill", during } satisfies Kill
}

/** `kill -9` of `slot` after a random number of PATCHes (up to `maxCalls`) while `pushed` is false, then a restart. */
export const killDuringPush = async (
  cluster: Cluster,
  rng: Random,
  slot: string,
  maxCalls: number,
  pushed: () => Promise<boolean>,
) => {
  const during = await killAfter(cluster, slot, rng.between(1, maxCalls + 1), "PATCH", pushed)
  return { slot, phase: "push", during } satisfies Kill
}
