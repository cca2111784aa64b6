// The pull schedule: one periodic chain per connection (default every 30 s, `TASKBRIDGE_PULL_INTERVAL`), each tick
// running that connection's PullConnection workflow to the end before the next, so pulls of one connection never
// overlap across the cluster. A connection's chain is started once (idempotent) and survives restarts by itself.

import { ConnectionId } from "@taskbridge/domain/Ids"
import { Config, DateTime, Duration, Effect } from "effect"
import * as Runtime from "./Runtime.ts"
import { PullConnection } from "./Workflows.ts"

export const pullInterval: Config.Config<Duration.Duration> = Config.Duration("TASKBRIDGE_PULL_INTERVAL").pipe(
  Config.withDefault(Duration.seconds(30)),
)

export const pullSchedule = (interval: Duration.Input = Duration.seconds(30)) =>
  Runtime.periodic({
    name: "pull",
    interval,
    execute: (key, at) =>
      Runtime.run(PullConnection, { connectionId: ConnectionId.make(key), tick: DateTime.toEpochMillis(at) }),
  })

/** Pull now (an operator's button, a webhook's hint): its own workflow execution, keyed by the moment asked. */
export const pullNow = Effect.fn("Schedules.pullNow")(function* (connection: ConnectionId) {
  const at = yield* DateTime.now
  return yield* Runtime.start(PullConnection, { connectionId: connection, tick: DateTime.toEpochMillis(at) })
})
