// CareValidate-side staff activity: what CareValidate agents do to escalations in Care360 (edit the note,
// follow-up or assignee, complete one, raise a new one), applied through the store's mutation functions only.
import type { ActivityEvent } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import type { Rng } from "../framework/Prng.ts"
import { activeEscalations, type Case, ESCALATION_TYPES, type Escalation } from "./Model.ts"
import type { CareValidateState } from "./State.ts"
import type { CareValidateStore } from "./Store.ts"
import { NOTES, TITLES } from "./Text.ts"

export const CAREVALIDATE_ACTIVITY_KINDS = ["note", "followUp", "assign", "complete", "add"] as const
const WEIGHTS: Readonly<Record<string, number>> = { note: 30, followUp: 20, assign: 20, complete: 20, add: 10 }

type Edit = (store: CareValidateStore, rng: Rng, c: Case, e: Escalation) => Readonly<Record<string, unknown>>

const edits: Readonly<Record<string, Edit>> = {
  note: (store, rng, c, e) => {
    const note = rng.pick(NOTES.filter((n) => n !== e.note))
    store.update(c, [{ escalation: e, note }])
    return { note }
  },
  followUp: (store, rng, c, e) => {
    const followUpDueAt = Math.floor((store.now() + rng.between(1, 10) * DAY_MS) / 3_600_000) * 3_600_000
    store.update(c, [{ escalation: e, followUpDueAt }])
    return { followUpDueAt: new Date(followUpDueAt).toISOString() }
  },
  assign: (store, rng, c, e) => {
    const agents = (store.orgs[c.org]?.users ?? []).filter((u) => u.role === "CVTPA" && u.id !== e.assignedToUserId)
    const assignee = rng.pick(agents)
    store.update(c, [{ escalation: e, assignee }])
    return { assignedToUserId: assignee.id }
  },
  complete: (store, _, c, e) => {
    store.complete(c, e)
    return { isCompleted: true }
  },
}

const addTo = (store: CareValidateStore, rng: Rng, c: Case): ActivityEvent => {
  const type = ESCALATION_TYPES[rng.weighted([75, 18, 7])] ?? "support"
  const [e] = store.add(c, [{ type, title: rng.pick(TITLES[type]), note: rng.pick(NOTES) }])
  if (e === undefined) throw new Error("add created nothing")
  return {
    kind: "add",
    id: e.id,
    at: new Date(e.createdAt).toISOString(),
    detail: { caseId: c.id, type, title: e.title },
  }
}

/** An open case with an active escalation (or, for "add", any open case); undefined when none exists. */
const pickCase = (store: CareValidateStore, rng: Rng, needActive: boolean): Case | undefined => {
  const open = store.cases.filter((c) => !c.isArchived && (!needActive || activeEscalations(c).length > 0))
  return open.length === 0 ? undefined : rng.pick(open)
}

/**
 * `target` may be an escalation id (edit or complete that one; undefined once it is completed) or a case id
 * (edit one of its active escalations, or add one to it).
 */
export const careValidateActivity = (
  state: CareValidateState,
  rng: Rng,
  kinds: ReadonlyArray<string>,
  target: string | undefined,
): ActivityEvent | undefined => {
  const { store } = state
  const kind = kinds[rng.weighted(kinds.map((k) => WEIGHTS[k] ?? 0))] ?? "note"
  const byCase = target === undefined ? undefined : store.caseById(target)
  const byEscalation = target === undefined ? undefined : store.caseOfEscalation(target)
  if (target !== undefined && byCase === undefined && byEscalation === undefined) {
    throw new TypeError(`no case or escalation ${target}`)
  }
  const c = byCase ?? byEscalation ?? pickCase(store, rng, kind !== "add")
  if (c === undefined || c.isArchived) return undefined
  if (kind === "add") return addTo(store, rng, c)
  const active = activeEscalations(c)
  const e =
    byEscalation === undefined
      ? active.length === 0
        ? undefined
        : rng.pick(active)
      : active.find((x) => x.id === target?.toLowerCase())
  const edit = edits[kind]
  if (e === undefined || edit === undefined) return undefined
  const detail = { caseId: c.id, ...edit(store, rng, c, e) }
  return { kind, id: e.id, at: new Date(e.updatedAt).toISOString(), detail }
}
