// Cluster tuning for test suites and their child processes (sync, api, worker): fast polls and a short lock expiry
// keep them quick. Production keeps the runtime's defaults (src/runtime/Cluster.ts). Not used by shipped code.
import type { Tuning } from "../runtime/Cluster.ts"

export const fast: Tuning = {
  entityMessagePollInterval: "100 millis",
  entityReplyPollInterval: "50 millis",
  refreshAssignmentsInterval: "200 millis",
  // Lock operations time out after a third of the expiry; under a loaded CI machine 1 s proved too tight.
  shardLockRefreshInterval: "2 seconds",
  // How long a killed worker's shards stay with it: the crash test may wait this long for the takeover.
  shardLockExpiration: "6 seconds",
}

/**
 * `fast` for a single embedded runner: the same quick polls, but shard locks that outlast a loaded machine's stalls.
 * Nobody takes over a lone runner's shards, so a short expiry buys nothing; under load (a full test suite on 2 cores)
 * a lock refresh slower than a third of 6 s lost the runner its registration, and the effect/cluster runner did not
 * always come back from that (see docs/reliability.md).
 */
export const embeddedFast: Tuning = {
  ...fast,
  shardLockRefreshInterval: "5 seconds",
  shardLockExpiration: "60 seconds",
}
