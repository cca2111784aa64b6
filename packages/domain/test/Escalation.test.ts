// The escalation machine as a table: every state × event × actor is the listed next state or the exact error.
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { type Actor, type EscalationEvent, type EscalationState, transitionEscalation } from "../src/Escalation.ts"

const states: ReadonlyArray<EscalationState> = ["active", "completed"]
const events: ReadonlyArray<EscalationEvent> = ["edit", "complete", "reopen"]
const actors: ReadonlyArray<Actor> = ["local", "vendor"]

const expected = (state: EscalationState, event: EscalationEvent, by: Actor): string => {
  if (state === "completed") return "TerminalState"
  if (event === "edit") return "active"
  if (event === "complete") return by === "vendor" ? "completed" : "InvalidTransition"
  return "InvalidTransition"
}

const cases = states.flatMap((state) => events.flatMap((event) => actors.map((by) => ({ state, event, by }))))

describe("escalation state machine", () => {
  it.each(cases)("$state × $event by $by", ({ state, event, by }) => {
    const result = transitionEscalation(state, event, by)
    const got = Result.isSuccess(result) ? result.success.state : result.failure._tag
    assert.strictEqual(got, expected(state, event, by))
  })

  it("stamps completedAt only when the vendor completes an active escalation", () => {
    assert.deepStrictEqual(
      Result.map(transitionEscalation("active", "complete", "vendor"), (t) => t.effects),
      Result.succeed([{ _tag: "StampCompletedAt" as const }]),
    )
    assert.deepStrictEqual(
      Result.map(transitionEscalation("active", "edit", "local"), (t) => t.effects),
      Result.succeed([]),
    )
  })

  it("explains that only CareValidate completes an escalation", () => {
    const result = transitionEscalation("active", "complete", "local")
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.strictEqual(
        result.failure.message,
        "state: cannot complete (only carevalidate completes an escalation) from 'active' at carevalidate",
      )
    }
  })
})
