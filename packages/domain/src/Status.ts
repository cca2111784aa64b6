// The canonical task lifecycle as a pure state machine: `transition(state, event)` returns the next state and
// the effects to run as data (an interpreter elsewhere runs them), or a typed InvalidTransition.
import { Result, Schema } from "effect"
import { InvalidTransition } from "./Errors.ts"

export const CanonicalStatus = Schema.Literals(["open", "in_progress", "waiting", "done", "cancelled"])
export type CanonicalStatus = typeof CanonicalStatus.Type
export const canonicalStatuses: ReadonlyArray<CanonicalStatus> = CanonicalStatus.literals

export const StatusEvent = Schema.Literals(["start", "stop", "wait", "resume", "complete", "cancel", "reopen"])
export type StatusEvent = typeof StatusEvent.Type
export const statusEvents: ReadonlyArray<StatusEvent> = StatusEvent.literals

/** Side effects of a transition, as data: closing stamps `closedAt`, reopening clears it. */
export type StatusEffect = { readonly _tag: "StampClosedAt" } | { readonly _tag: "ClearClosedAt" }

export interface StatusTransition {
  readonly state: CanonicalStatus
  readonly effects: ReadonlyArray<StatusEffect>
}

/** Closed states are left only by an explicit `reopen`; vendor schemes may make them terminal for good. */
export const isClosed = (state: CanonicalStatus): boolean => state === "done" || state === "cancelled"

const stamp: ReadonlyArray<StatusEffect> = [{ _tag: "StampClosedAt" }]
const clear: ReadonlyArray<StatusEffect> = [{ _tag: "ClearClosedAt" }]
const none: ReadonlyArray<StatusEffect> = []

type Table = { readonly [S in CanonicalStatus]: { readonly [E in StatusEvent]?: StatusTransition } }

// The whole machine in one table: a missing entry is an invalid transition.
const table: Table = {
  open: {
    start: { state: "in_progress", effects: none },
    wait: { state: "waiting", effects: none },
    complete: { state: "done", effects: stamp },
    cancel: { state: "cancelled", effects: stamp },
  },
  in_progress: {
    stop: { state: "open", effects: none },
    wait: { state: "waiting", effects: none },
    complete: { state: "done", effects: stamp },
    cancel: { state: "cancelled", effects: stamp },
  },
  waiting: {
    stop: { state: "open", effects: none },
    resume: { state: "in_progress", effects: none },
    complete: { state: "done", effects: stamp },
    cancel: { state: "cancelled", effects: stamp },
  },
  done: { reopen: { state: "open", effects: clear } },
  cancelled: { reopen: { state: "open", effects: clear } },
}

export const transition = (
  state: CanonicalStatus,
  event: StatusEvent,
): Result.Result<StatusTransition, InvalidTransition> => {
  const next = table[state][event]
  return next === undefined
    ? Result.fail(new InvalidTransition({ field: "status", from: state, event, vendor: null }))
    : Result.succeed(next)
}

/** The event that moves `from` to `to` in one step, if the machine allows it (used when a patch names a target). */
export const eventFor = (from: CanonicalStatus, to: CanonicalStatus): StatusEvent | undefined =>
  statusEvents.find((event) => table[from][event]?.state === to)

/** Resolve "set the status to `to`" into a transition; staying put is a no-op, not an error. */
export const moveTo = (
  from: CanonicalStatus,
  to: CanonicalStatus,
): Result.Result<StatusTransition, InvalidTransition> => {
  if (from === to) return Result.succeed({ state: from, effects: none })
  const event = eventFor(from, to)
  return event === undefined
    ? Result.fail(new InvalidTransition({ field: "status", from, event: `move to ${to}`, vendor: null }))
    : transition(from, event)
}
