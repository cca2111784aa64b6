// Vendor status schemes as tables (every from × to status of each built-in scheme), canonical resolution, and the
// law that terminal statuses never leave, checked over generated Vambe and Kore.ai configurations too.
import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { canonicalStatuses } from "../src/Status.ts"
import { checkMove, findStatus, forbidWrites, resolve, type StatusScheme } from "../src/StatusScheme.ts"
import { candidScheme } from "../src/schemes/Candid.ts"
import { careValidateEscalationScheme } from "../src/schemes/CareValidate.ts"
import { KoreaiStatusConfig, koreaiScheme } from "../src/schemes/Koreai.ts"
import { spryScheme } from "../src/schemes/Spry.ts"
import { VambeStatusConfig, VambeStatusType, vambeScheme } from "../src/schemes/Vambe.ts"

const outcome = (scheme: StatusScheme, from: string, to: string) => {
  const target = findStatus(scheme, { name: to })
  if (target === undefined) throw new Error(`no status ${to}`)
  const result = checkMove(scheme, from, target)
  return Result.isSuccess(result) ? "ok" : result.failure._tag
}

const tableOf = (scheme: StatusScheme) =>
  Object.fromEntries(
    scheme.statuses.map((f) => [f.name, scheme.statuses.map((t) => outcome(scheme, f.name, t.name)).join(" ")]),
  )

describe("built-in status schemes", () => {
  it("Candid: finished is terminal, the deprecated pair is never writable, everything else moves freely", () => {
    // Columns in scheme order: open in_progress blocked waiting_for_review finished sent_to_pg addressed_by_pg
    const F = "StatusNotWritable"
    const T = "TerminalState"
    assert.deepStrictEqual(tableOf(candidScheme()), {
      open: `ok ok ok ok ok ${F} ${F}`,
      in_progress: `ok ok ok ok ok ${F} ${F}`,
      blocked: `ok ok ok ok ok ${F} ${F}`,
      waiting_for_review: `ok ok ok ok ok ${F} ${F}`,
      finished: `${T} ${T} ${T} ${T} ok ${T} ${T}`,
      sent_to_provider_group: `ok ok ok ok ok ok ${F}`,
      addressed_by_provider_group: `ok ok ok ok ok ${F} ok`,
    })
  })

  it("Candid: the deprecated set is configurable and can grow from a 422 at run time", () => {
    const scheme = candidScheme({ deprecated: ["blocked"] })
    assert.strictEqual(outcome(scheme, "open", "blocked"), "StatusNotWritable")
    assert.strictEqual(outcome(scheme, "open", "sent_to_provider_group"), "ok")
    assert.strictEqual(
      outcome(forbidWrites(scheme, "waiting_for_review"), "open", "waiting_for_review"),
      "StatusNotWritable",
    )
  })

  it("Spry: only ACTIVE → CANCELLED is writable; FULFILLED and EXPIRED are Spry's; terminal requests never move", () => {
    const F = "StatusNotWritable"
    const T = "TerminalState"
    assert.deepStrictEqual(tableOf(spryScheme()), {
      ACTIVE: `ok ${F} ok ${F}`,
      FULFILLED: `${T} ok ${T} ${T}`,
      CANCELLED: `${T} ${T} ok ${T}`,
      EXPIRED: `${T} ${T} ${T} ok`,
    })
    assert.isTrue(spryScheme().freezesOnTerminal)
  })

  it("CareValidate: an active escalation cannot be completed through the API and a completed one never changes", () => {
    assert.deepStrictEqual(tableOf(careValidateEscalationScheme()), {
      active: "ok StatusNotWritable",
      completed: "TerminalState ok",
    })
  })
})

describe("resolving a canonical status to the vendor status to write", () => {
  const name = (r: ReturnType<typeof resolve>) => (Result.isSuccess(r) ? r.success.name : r.failure._tag)

  it("picks Candid's preferred or first writable status for each canonical status", () => {
    const scheme = candidScheme()
    assert.deepStrictEqual(
      canonicalStatuses.map((c) => name(resolve(scheme, "open", c))),
      ["open", "in_progress", "blocked", "finished", "StatusNotWritable"],
    )
  })

  it("keeps a record that is already in the target category where it is", () => {
    assert.strictEqual(name(resolve(candidScheme(), "waiting_for_review", "waiting")), "waiting_for_review")
  })

  it("refuses to complete a Spry request (Spry fulfils it) but cancels an active one", () => {
    assert.strictEqual(name(resolve(spryScheme(), "ACTIVE", "done")), "StatusNotWritable")
    assert.strictEqual(name(resolve(spryScheme(), "ACTIVE", "cancelled")), "CANCELLED")
    assert.strictEqual(name(resolve(spryScheme(), "CANCELLED", "open")), "TerminalState")
  })

  it("builds Vambe's scheme from its ordered configuration, preferring master_done for done", () => {
    const scheme = Result.getOrThrow(
      vambeScheme({
        statuses: [
          { name: "Completado", type: "done", order: 2 },
          { name: "Pendiente", type: "initial", order: 0 },
          { name: "Cerrado", type: "master_done", order: 3 },
          { name: "En Progreso", type: "in_progress", order: 1 },
        ],
      }),
    )
    assert.deepStrictEqual(
      scheme.statuses.map((s) => `${s.position}:${s.name}:${s.category}`),
      ["0:Pendiente:open", "1:En Progreso:in_progress", "2:Completado:done", "3:Cerrado:done"],
    )
    assert.strictEqual(scheme.addressing, "name-or-position")
    assert.strictEqual(findStatus(scheme, { position: 1 })?.name, "En Progreso")
    assert.strictEqual(name(resolve(scheme, "Pendiente", "done")), "Cerrado")
    assert.strictEqual(name(resolve(scheme, "Pendiente", "waiting")), "StatusNotWritable")
  })

  it("rejects a Vambe configuration with a repeated name or position", () => {
    const twice = vambeScheme({
      statuses: [
        { name: "A", type: "initial", order: 0 },
        { name: "A", type: "done", order: 1 },
      ],
    })
    assert.isTrue(Result.isFailure(twice))
    if (Result.isFailure(twice)) assert.strictEqual(twice.failure.message, "status scheme for vambe: 'A' appears twice")
  })

  it("builds Kore.ai's scheme from status objects, forbidding inactive ones and refusing unknown categories", () => {
    const scheme = Result.getOrThrow(
      koreaiScheme({
        statuses: [
          { _id: "sts-1", name: "Open", statusCategory: "open" },
          { _id: "sts-2", name: "Working", statusCategory: "In Progress" },
          { _id: "sts-3", name: "Parked", statusCategory: "on_hold" },
          { _id: "sts-4", name: "Old Hold", statusCategory: "On Hold", isActive: false },
          { _id: "sts-5", name: "Resolved", statusCategory: "resolved" },
        ],
      }),
    )
    assert.deepStrictEqual(
      scheme.statuses.map((s) => s.category),
      ["open", "in_progress", "waiting", "waiting", "done"],
    )
    assert.strictEqual(outcome(scheme, "Open", "Old Hold"), "StatusNotWritable")
    assert.strictEqual(name(resolve(scheme, "Open", "waiting")), "Parked")
    const unknown = koreaiScheme({ statuses: [{ _id: "x", name: "Weird", statusCategory: "escalated" }] })
    assert.isTrue(Result.isFailure(unknown))
  })
})

const terminalNeverLeaves = (scheme: StatusScheme) => {
  for (const from of scheme.statuses.filter((s) => s.terminal)) {
    for (const to of scheme.statuses.filter((s) => s.name !== from.name)) {
      const moved = checkMove(scheme, from.name, to)
      if (!(Result.isFailure(moved) && moved.failure._tag === "TerminalState")) return false
    }
    for (const target of canonicalStatuses.filter((c) => c !== from.category)) {
      if (Result.isSuccess(resolve(scheme, from.name, target))) return false
    }
  }
  return true
}

describe("terminal statuses never leave", () => {
  it("holds for every built-in scheme", () => {
    for (const scheme of [candidScheme(), spryScheme(), careValidateEscalationScheme()])
      assert.isTrue(terminalNeverLeaves(scheme))
  })

  it.prop(
    "holds for any Vambe configuration with any terminal types",
    [Schema.Array(VambeStatusConfig), Schema.Array(VambeStatusType)],
    ([statuses, terminalTypes]) => {
      const scheme = vambeScheme({ statuses, terminalTypes })
      return Result.isFailure(scheme) || terminalNeverLeaves(scheme.success)
    },
  )

  // Categories drawn from the known spellings, so most generated configurations build and the law is exercised.
  const KnownKoreaiStatus = KoreaiStatusConfig.mapFields((f) => ({
    ...f,
    statusCategory: Schema.Literals(["open", "In Progress", "on_hold", "Resolved", "closed"]),
  }))

  it.prop(
    "holds for any Kore.ai configuration with any terminal categories",
    [Schema.Array(KnownKoreaiStatus)],
    ([statuses]) => {
      const scheme = koreaiScheme({ statuses, terminalCategories: ["done", "waiting"] })
      return Result.isFailure(scheme) || terminalNeverLeaves(scheme.success)
    },
  )
})
