// The engine's durable work: one PushChange workflow per outbox row (keyed by the row, so a change is never sent
// by two executions) and one PullConnection workflow per connection and tick. A crash mid-push resumes the
// activity; the push then reconciles with the vendor before sending again (Push.ts), so the vendor sees it once.

import { vendorRetry } from "@taskbridge/adapter-kit/Retry"
import { SyncError } from "@taskbridge/domain/Errors"
import { ConnectionId, TaskId } from "@taskbridge/domain/Ids"
import { Cause, Effect, Schema } from "effect"
import * as Activity from "effect/workflow/Activity"
import * as Workflow from "effect/workflow/Workflow"
import { SyncEngine } from "./Engine.ts"

export const PushChange = Workflow.make("taskbridge/PushChange", {
  payload: {
    outboxId: Schema.String,
    connectionId: ConnectionId,
    taskId: TaskId,
    /**
     * Names a later dispatch of the same row (an operator's retry of a dead letter, a resumed connection, the sweep
     * of a row left unsent): a fresh execution, since the first one already finished. Absent for the first dispatch.
     */
    dispatch: Schema.optionalKey(Schema.String),
  },
  success: Schema.Void,
  error: SyncError,
  idempotencyKey: ({ outboxId, dispatch }) => (dispatch === undefined ? outboxId : `${outboxId}/${dispatch}`),
})

export const PullReason = Schema.Literals(["schedule", "manual", "webhook"])

export const PullConnection = Workflow.make("taskbridge/PullConnection", {
  payload: { connectionId: ConnectionId, tick: Schema.Number, reason: Schema.optionalKey(PullReason) },
  success: Schema.Void,
  idempotencyKey: ({ connectionId, tick }) => `${connectionId}@${tick}`,
})

/** Anything that is not a vendor failure (a missing task, a store error) is a defect the workflow must not hide. */
const vendorFailuresOnly = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.catch((error) => (error instanceof SyncError ? Effect.fail(error) : Effect.die(error))))

export const PushChangeLayer = PushChange.toLayer(
  Effect.fn("PushChange.execute")(function* ({ connectionId, taskId }) {
    const engine = yield* SyncEngine
    // Retryable vendor failures back off (honouring Retry-After) inside the activity; permanent ones were already
    // dead-lettered by the push, so the activity succeeds and the queue moves on.
    yield* Activity.make({
      name: "drain",
      success: Schema.Void,
      error: SyncError,
      execute: vendorFailuresOnly(engine.push(connectionId, taskId)).pipe(
        Effect.retry(vendorRetry()),
        // Nothing a push meets goes unrecorded: the vendor's failure (it stays queued and is tried again) or a defect.
        Effect.tapCause((cause) =>
          Cause.hasDies(cause)
            ? Effect.logError(`push of task ${taskId} at connection ${connectionId} failed`, cause)
            : Effect.logWarning(`push of task ${taskId} at connection ${connectionId} will be tried again`, cause),
        ),
      ),
    })
  }),
)

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
