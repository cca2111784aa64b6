// The canonical lifecycle as a table: every state × event is either the listed next state or InvalidTransition.
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import {
  type CanonicalStatus,
  canonicalStatuses,
  eventFor,
  isClosed,
  moveTo,
  type StatusEvent,
  statusEvents,
  transition,
} from "../src/Status.ts"

type Row = { readonly [E in StatusEvent]: CanonicalStatus | "invalid" }

const table: { readonly [S in CanonicalStatus]: Row } = {
  open: {
    start: "in_progress",
    stop: "invalid",
    wait: "waiting",
    resume: "invalid",
    complete: "done",
    cancel: "cancelled",
    reopen: "invalid",
  },
  in_progress: {
    start: "invalid",
    stop: "open",
    wait: "waiting",
    resume: "invalid",
    complete: "done",
    cancel: "cancelled",
    reopen: "invalid",
  },
  waiting: {
    start: "invalid",
    stop: "open",
    wait: "invalid",
    resume: "in_progress",
    complete: "done",
    cancel: "cancelled",
    reopen: "invalid",
  },
  done: {
    start: "invalid",
    stop: "invalid",
    wait: "invalid",
    resume: "invalid",
    complete: "invalid",
    cancel: "invalid",
    reopen: "open",
  },
  cancelled: {
    start: "invalid",
    stop: "invalid",
    wait: "invalid",
    resume: "invalid",
    complete: "invalid",
    cancel: "invalid",
    reopen: "open",
  },
}

const cases = canonicalStatuses.flatMap((state) =>
  statusEvents.map((event) => ({ state, event, expected: table[state][event] })),
)

describe("canonical status machine", () => {
  it.each(cases)("$state × $event → $expected", ({ state, event, expected }) => {
    const result = transition(state, event)
    if (expected === "invalid") {
      assert.isTrue(Result.isFailure(result))
      if (Result.isFailure(result)) {
        assert.strictEqual(result.failure._tag, "InvalidTransition")
        assert.strictEqual(result.failure.from, state)
        assert.strictEqual(result.failure.event, event)
        assert.strictEqual(result.failure.field, "status")
      }
    } else {
      assert.deepStrictEqual(
        Result.map(result, (t) => t.state),
        Result.succeed(expected),
      )
    }
  })

  it("stamps closedAt when a task closes and clears it when it reopens", () => {
    assert.deepStrictEqual(
      Result.map(transition("in_progress", "complete"), (t) => t.effects),
      Result.succeed([{ _tag: "StampClosedAt" as const }]),
    )
    assert.deepStrictEqual(
      Result.map(transition("open", "cancel"), (t) => t.effects),
      Result.succeed([{ _tag: "StampClosedAt" as const }]),
    )
    assert.deepStrictEqual(
      Result.map(transition("done", "reopen"), (t) => t.effects),
      Result.succeed([{ _tag: "ClearClosedAt" as const }]),
    )
    assert.deepStrictEqual(
      Result.map(transition("open", "start"), (t) => t.effects),
      Result.succeed([]),
    )
  })

  it("leaves a closed state only by reopening it", () => {
    for (const state of canonicalStatuses.filter(isClosed)) {
      const leaving = statusEvents.filter((event) => Result.isSuccess(transition(state, event)))
      assert.deepStrictEqual(leaving, ["reopen"])
    }
  })

  it("finds the one event that moves between two states, or none", () => {
    assert.strictEqual(eventFor("waiting", "in_progress"), "resume")
    assert.strictEqual(eventFor("open", "in_progress"), "start")
    assert.strictEqual(eventFor("done", "in_progress"), undefined)
  })

  it("treats moving to the current state as a no-op and a jump out of done as invalid", () => {
    assert.deepStrictEqual(moveTo("done", "done"), Result.succeed({ state: "done" as const, effects: [] }))
    const jump = moveTo("done", "in_progress")
    assert.isTrue(Result.isFailure(jump))
    if (Result.isFailure(jump))
      assert.strictEqual(jump.failure.message, "status: cannot move to in_progress from 'done'")
  })
})
