// An escalation on a case (CareValidate's synced object) and its own small state machine: active → completed,
// one way, and only the vendor completes it; a completed escalation never changes again.
import { Result, Schema } from "effect"
import { Assignee } from "./Assignment.ts"
import { Due } from "./Due.ts"
import { InvalidTransition, TerminalState } from "./Errors.ts"
import { ConnectionId, EscalationId, OrganizationId, VendorRecordId } from "./Ids.ts"

export const EscalationType = Schema.Literals(["support", "clinical", "external"])
export type EscalationType = typeof EscalationType.Type

export const EscalationState = Schema.Literals(["active", "completed"])
export type EscalationState = typeof EscalationState.Type

export const EscalationEvent = Schema.Literals(["edit", "complete", "reopen"])
export type EscalationEvent = typeof EscalationEvent.Type

/** Who is driving the event: a local user through our API, or the vendor's own answer on a pull. */
export const Actor = Schema.Literals(["local", "vendor"])
export type Actor = typeof Actor.Type

export class Escalation extends Schema.Class<Escalation>("@taskbridge/domain/Escalation")({
  id: EscalationId,
  organizationId: OrganizationId,
  connectionId: ConnectionId,
  recordId: VendorRecordId,
  caseRef: Schema.NonEmptyString,
  type: EscalationType,
  title: Schema.NonEmptyString,
  note: Schema.NullOr(Schema.String),
  followUpDue: Due,
  assignee: Schema.NullOr(Assignee),
  state: EscalationState,
  completedAt: Schema.NullOr(Schema.DateTimeUtc),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
  version: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
}) {}

export type EscalationEffect = { readonly _tag: "StampCompletedAt" }

export interface EscalationTransition {
  readonly state: EscalationState
  readonly effects: ReadonlyArray<EscalationEffect>
}

export type EscalationTransitionError = InvalidTransition | TerminalState

const fail = (from: EscalationState, event: string) =>
  Result.fail(new InvalidTransition({ field: "state", from, event, vendor: "carevalidate" }))

export const transitionEscalation = (
  state: EscalationState,
  event: EscalationEvent,
  by: Actor,
): Result.Result<EscalationTransition, EscalationTransitionError> => {
  if (state === "completed") {
    return Result.fail(new TerminalState({ field: "state", status: "completed", vendor: "carevalidate" }))
  }
  switch (event) {
    case "edit":
      return Result.succeed({ state: "active", effects: [] })
    case "complete":
      // No CareValidate API completes an escalation, so a local completion could never reach the vendor.
      return by === "vendor"
        ? Result.succeed({ state: "completed", effects: [{ _tag: "StampCompletedAt" }] })
        : fail(state, "complete (only carevalidate completes an escalation)")
    case "reopen":
      return fail(state, "reopen")
  }
}
