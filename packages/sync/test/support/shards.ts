// Probes for the multi-worker test: wait for a shard assignment to settle, and pick a Transfer whose workflow
// entity lives on a given side of it (the shard is a hash of the execution id, so ids are drawn until one fits).
import { Effect, Schedule } from "effect"
import * as EntityId from "effect/cluster/EntityId"
import * as ShardId from "effect/cluster/ShardId"
import type { Sharding } from "effect/cluster/Sharding"
import { fast } from "./fast.ts"
import { uid } from "./stack.ts"
import { Transfer } from "./Transfer.ts"

const shardsPerGroup = 300
const allShards = Array.from({ length: shardsPerGroup }, (_, i) => ShardId.make("default", i + 1))

/** Waits until the shards of the default group satisfy `settled` (e.g. "split between the two runners"). */
export const awaitShards = Effect.fn("shards.await")(function* (
  settled: (shards: ReadonlyArray<ShardId.ShardId>) => boolean,
) {
  yield* Effect.sync(() => settled(allShards)).pipe(
    Effect.repeat({ schedule: Schedule.spaced(fast.refreshAssignmentsInterval ?? "200 millis"), until: (ok) => ok }),
    Effect.timeoutOrElse({
      duration: "20 seconds",
      orElse: () => Effect.die(new Error("the shard assignment did not settle")),
    }),
  )
})

/** A fresh Transfer payload whose workflow entity's shard satisfies `where`. */
export const transferOwnedBy = Effect.fn("shards.transferOwnedBy")(function* (
  sharding: Sharding["Service"],
  where: (shard: ShardId.ShardId) => boolean,
) {
  for (let tries = 0; tries < 10_000; tries++) {
    const payload = { id: uid("shard"), amount: 1, failures: 0 }
    const executionId = yield* Transfer.executionId(payload)
    if (where(sharding.getShardId(EntityId.make(executionId), "default"))) return payload
  }
  return yield* Effect.die(new Error("no execution id hashed to a matching shard"))
})
