// The engine's durable pulls: one PullConnection workflow per connection and tick, so a tick runs once across the
// cluster and a crash mid-pull resumes it. Pushes are not workflows: the outbox is their durable queue and each
// connection's push lane (PushLanes.ts) sends it.

import { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect, Schema } from "effect"
import * as Activity from "effect/workflow/Activity"
import * as Workflow from "effect/workflow/Workflow"
import { SyncEngine } from "./Engine.ts"

export const PullReason = Schema.Literals(["schedule", "manual", "webhook"])

export const PullConnection = Workflow.make("taskbridge/PullConnection", {
  payload: { connectionId: ConnectionId, tick: Schema.Number, reason: Schema.optionalKey(PullReason) },
  success: Schema.Void,
  idempotencyKey: ({ connectionId, tick }) => `${connectionId}@${tick}`,
})

export const PullConnectionLayer = PullConnection.toLayer(
  Effect.fn("PullConnection.execute")(function* ({ connectionId, reason }) {
    const engine = yield* SyncEngine
    // A failed pull is recorded in its sync run; the next tick tries again from the last checkpoint. A connection
    // paused after this pull was scheduled is simply not pulled.
    yield* Activity.make({
      name: "pull",
      success: Schema.Void,
      execute: engine.pull(connectionId, reason).pipe(
        Effect.asVoid,
        Effect.catchTag("ConnectionPaused", () => Effect.void),
        Effect.orDie,
      ),
    })
  }),
)
