// The engine's durable work: one PushChange workflow per outbox row (keyed by the row, so a change is never sent
// by two executions) and one PullConnection workflow per connection and tick. A crash mid-push resumes the
// activity; the push then reconciles with the vendor before sending again (Push.ts), so the vendor sees it once.

import { vendorRetry } from "@taskbridge/adapter-kit/Retry"
import { SyncError } from "@taskbridge/domain/Errors"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { SubjectKey } from "@taskbridge/domain/ports/Repositories"
import { Effect, Schema } from "effect"
import * as Activity from "effect/workflow/Activity"
import * as Workflow from "effect/workflow/Workflow"
import { SyncEngine } from "./Engine.ts"

export const PushChange = Workflow.make("taskbridge/PushChange", {
  payload: { outboxId: Schema.String, connectionId: ConnectionId, subject: SubjectKey },
  success: Schema.Void,
  error: SyncError,
  idempotencyKey: ({ outboxId }) => outboxId,
})

export const PullConnection = Workflow.make("taskbridge/PullConnection", {
  payload: { connectionId: ConnectionId, tick: Schema.Number },
  success: Schema.Void,
  idempotencyKey: ({ connectionId, tick }) => `${connectionId}@${tick}`,
})

/** Anything that is not a vendor failure (a missing task, a store error) is a defect the workflow must not hide. */
const vendorFailuresOnly = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.catch((error) => (error instanceof SyncError ? Effect.fail(error) : Effect.die(error))))

export const PushChangeLayer = PushChange.toLayer(
  Effect.fn("PushChange.execute")(function* ({ connectionId, subject }) {
    const engine = yield* SyncEngine
    // Retryable vendor failures back off (honouring Retry-After) inside the activity; permanent ones were already
    // dead-lettered by the push, so the activity succeeds and the queue moves on.
    yield* Activity.make({
      name: "drain",
      success: Schema.Void,
      error: SyncError,
      execute: vendorFailuresOnly(engine.push(connectionId, subject)).pipe(Effect.retry(vendorRetry())),
    })
  }),
)

export const PullConnectionLayer = PullConnection.toLayer(
  Effect.fn("PullConnection.execute")(function* ({ connectionId }) {
    const engine = yield* SyncEngine
    // A failed pull is recorded in its sync run; the next tick tries again from the last checkpoint.
    yield* Activity.make({
      name: "pull",
      success: Schema.Void,
      execute: Effect.asVoid(engine.pull(connectionId).pipe(Effect.orDie)),
    })
  }),
)
