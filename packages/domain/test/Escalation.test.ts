// A CareValidate escalation's lifecycle through the generic status scheme and patch validation, as a table: every
// state × local edit is accepted or refused with the exact rule, only the vendor completes, completed never changes.
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import { Assignee } from "../src/Assignment.ts"
import { Due } from "../src/Due.ts"
import type { TaskPatch } from "../src/Patch.ts"
import { validatePatch } from "../src/PatchValidation.ts"
import { checkMove, findStatus } from "../src/StatusScheme.ts"
import { careValidateEscalationScheme } from "../src/schemes/CareValidate.ts"
import { linked, task } from "./fixtures.ts"

const escalation = (state: "active" | "completed") =>
  task({
    kind: "escalation",
    status: state === "active" ? "open" : "done",
    description: "Patient asked for a callback",
    assignees: [Assignee.cases.Email.make({ email: "triage@clinic.example" })],
  })

const edits: ReadonlyArray<{ readonly name: string; readonly patch: TaskPatch }> = [
  { name: "replace the note", patch: { description: "Called back, no answer" } },
  { name: "clear the note", patch: { description: null } },
  {
    name: "move the follow-up",
    patch: { due: Due.cases.Instant.make({ at: DateTime.makeUnsafe("2026-12-02T09:00Z") }) },
  },
  { name: "reassign by e-mail", patch: { assignees: [Assignee.cases.Email.make({ email: "nurse@clinic.example" })] } },
  { name: "unassign", patch: { assignees: [] } },
  { name: "complete it locally", patch: { status: "done" } },
  { name: "start it", patch: { status: "in_progress" } },
]

/** What each edit answers, per state: "accepted" or the rules of every violation. */
const expected: Record<"active" | "completed", Record<string, string>> = {
  active: {
    "replace the note": "accepted",
    "clear the note": "description not-clearable carevalidate",
    "move the follow-up": "accepted",
    "reassign by e-mail": "accepted",
    unassign: "assignees not-clearable carevalidate",
    "complete it locally": "status forbidden-transition carevalidate",
    "start it": "status forbidden-transition carevalidate",
  },
  completed: {
    ...Object.fromEntries(edits.map((e) => [e.name, `${fieldOf(e.patch)} terminal-state carevalidate`])),
    // The canonical machine also refuses done → in_progress without a reopen.
    "start it": "status terminal-state carevalidate; status forbidden-transition -",
  },
}

function fieldOf(patch: TaskPatch): string {
  if (patch.description !== undefined) return "description"
  if (patch.due !== undefined) return "due"
  return patch.status === undefined ? "assignees" : "status"
}

const outcome = (state: "active" | "completed", patch: TaskPatch): string => {
  const result = validatePatch(escalation(state), patch, [linked.carevalidate(state)])
  if (Result.isSuccess(result)) return "accepted"
  return result.failure.violations.map((v) => `${v.field} ${v.rule} ${v.vendor ?? "-"}`).join("; ")
}

describe("a CareValidate escalation's lifecycle", () => {
  for (const state of ["active", "completed"] as const) {
    for (const edit of edits) {
      it(`${state}: ${edit.name} → ${expected[state][edit.name]}`, () => {
        assert.strictEqual(outcome(state, edit.patch), expected[state][edit.name])
      })
    }
  }

  it("lets no writer move an escalation to completed, and nothing out of completed", () => {
    const scheme = careValidateEscalationScheme()
    const completed = findStatus(scheme, { name: "completed" })
    const active = findStatus(scheme, { name: "active" })
    if (completed === undefined || active === undefined) throw new Error("the scheme lost a status")
    const toCompleted = checkMove(scheme, "active", completed)
    const reopened = checkMove(scheme, "completed", active)
    assert.strictEqual(Result.isFailure(toCompleted) && toCompleted.failure._tag, "StatusNotWritable")
    assert.strictEqual(Result.isFailure(reopened) && reopened.failure._tag, "TerminalState")
    assert.isTrue(completed.terminal && completed.systemOnly && scheme.freezesOnTerminal)
  })

  it("explains that only CareValidate completes an escalation", () => {
    const result = validatePatch(escalation("active"), { status: "done" }, [linked.carevalidate("active")])
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.strictEqual(
        result.failure.violations[0].message,
        "status: cannot write 'completed' at carevalidate: only carevalidate sets it",
      )
    }
  })
})
