// The pull schedule: one periodic chain per enabled connection (default every 30 s, `TASKBRIDGE_PULL_INTERVAL`), each
// tick running that connection's PullConnection workflow to the end before the next. Extra pulls (an operator's
// "pull now", a vendor webhook's hint) go through the same per-connection entity, so pulls of one connection never
// overlap across the cluster. Chains restart by themselves when the cluster starts; a paused or removed connection's
// chain ends at its next tick and `resume` starts it again.

import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { Views } from "@taskbridge/db/Views"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { Config, DateTime, Duration, Effect } from "effect"
import type { PullReason } from "./Engine.ts"
import * as Runtime from "./Runtime.ts"
import { PullConnection } from "./Workflows.ts"

export const pullInterval: Config.Config<Duration.Duration> = Config.Duration("TASKBRIDGE_PULL_INTERVAL").pipe(
  Config.withDefault(Duration.seconds(30)),
)

const reasons: ReadonlyArray<string> = ["schedule", "manual", "webhook"] satisfies ReadonlyArray<PullReason>
const asReason = (trigger: string | undefined): PullReason =>
  trigger !== undefined && reasons.includes(trigger) ? (trigger as PullReason) : "schedule"

export const pullSchedule = (interval: Duration.Input = Duration.seconds(30)) =>
  Runtime.periodic({
    name: "pull",
    interval,
    keys: Effect.gen(function* () {
      return yield* (yield* Views).enabledConnections
    }),
    execute: (key, at, trigger) =>
      Effect.gen(function* () {
        const connectionId = ConnectionId.make(key)
        const connection = yield* (yield* ConnectionRepository)
          .find(connectionId)
          .pipe(Effect.catchTag("ConnectionNotFound", () => Effect.succeed(null)))
        if (connection === null || !connection.enabled) return Runtime.stop
        const tick = DateTime.toEpochMillis(at)
        return yield* Runtime.run(PullConnection, { connectionId, tick, reason: asReason(trigger) })
      }),
  })

export type PullSchedule = ReturnType<typeof pullSchedule>
