// Candid-side staff activity: what billers using Candid's own app do to tasks (status changes, reassignment,
// blocking toggles, notes, rule-raised new tasks), applied through the store's mutation functions only.
import type { ActivityEvent } from "../framework/Emulator.ts"
import { isoSeconds, PAYERS } from "../framework/Fake.ts"
import type { Rng } from "../framework/Prng.ts"
import { NO_CATEGORY, TASK_CATEGORIES, TASK_STATUSES, TASK_TYPES } from "./Enums.ts"
import type { CandidState } from "./State.ts"
import type { CandidStore } from "./Store.ts"
import { CANDID_STAFF, categoriesFor, describeTask, NOTE_TEXTS } from "./Text.ts"

export const CANDID_ACTIVITY_KINDS = ["status", "assign", "blocks", "note", "create"] as const
const WEIGHTS: Readonly<Record<string, number>> = { status: 35, assign: 20, blocks: 10, note: 30, create: 5 }

type Edit = (store: CandidStore, rng: Rng, i: number) => Readonly<Record<string, unknown>>

const event = (
  store: CandidStore,
  kind: string,
  i: number,
  detail: Readonly<Record<string, unknown>>,
): ActivityEvent => ({
  kind,
  id: store.ids.task.encode(i),
  at: isoSeconds(kind === "note" ? (store.tasks.cols.aggUpdatedAt[i] ?? 0) : (store.tasks.cols.updatedAt[i] ?? 0)),
  detail,
})

const edits: Readonly<Record<string, Edit>> = {
  // Staff use the same status list, minus what the organization deprecated.
  status: (store, rng, i) => {
    const current = store.tasks.cols.status[i] ?? 0
    const allowed = TASK_STATUSES.map((_, s) => s).filter(
      (s) => s !== current && !store.org(i).deprecated.has(TASK_STATUSES[s] ?? "open"),
    )
    // Every other status deprecated: nothing a user could pick, so no edit.
    if (allowed.length === 0) return { status: TASK_STATUSES[current] }
    const status = rng.pick(allowed)
    store.update(i, { status })
    return { status: TASK_STATUSES[status] }
  },
  assign: (store, rng, i) => {
    const users = store.org(i).users
    const current = store.assigneeId(i)
    const choices = users.filter((user) => user.id !== current)
    const userId = current !== undefined && rng.chance(0.15) ? null : rng.pick(choices).id
    store.update(i, { assignee: userId })
    return { assignee_user_id: userId }
  },
  blocks: (store, _, i) => {
    const blocks = store.tasks.cols.blocks[i] !== 1
    store.update(i, { blocks })
    return { blocks_claim_submission: blocks }
  },
  note: (store, rng, i) => {
    const org = store.org(i)
    const byCandid = rng.chance(0.4)
    const author = byCandid ? rng.pick(CANDID_STAFF) : rng.pick(org.users).name
    const note = store.addNote(i, rng.pick(NOTE_TEXTS), author, byCandid ? "Candid Health" : org.name)
    return { task_note_id: note.task_note_id }
  },
}

/** Candid's rules raise new tasks on existing encounters; returns the new row. */
const createTask = (store: CandidStore, rng: Rng): number => {
  const encounter = rng.int(store.encounters.length)
  const org = store.encounters.cols.org[encounter] ?? 0
  const type = rng.int(TASK_TYPES.length)
  const category = rng.chance(0.1) ? NO_CATEGORY : rng.pick(categoriesFor(type))
  const payer = PAYERS[store.encounters.cols.payer[encounter] ?? -1]
  const description = describeTask(type, TASK_CATEGORIES[category], payer?.name)
  const workQueueId = store.orgs[org]?.workQueueIds[0] ?? ""
  return store.create({
    org,
    encounter,
    type,
    category,
    blocks: rng.chance(0.5),
    assignee: undefined,
    fields: { description, workQueueId },
  })
}

export const candidActivity = (
  state: CandidState,
  rng: Rng,
  kinds: ReadonlyArray<string>,
  target: string | undefined,
): ActivityEvent | undefined => {
  const { store } = state
  const targeted = target === undefined ? undefined : store.taskIndex(target)
  if (target !== undefined && targeted === undefined) throw new TypeError(`no task ${target}`)
  if (store.tasks.length === 0 && !kinds.includes("create")) return undefined
  const kind = kinds[rng.weighted(kinds.map((k) => WEIGHTS[k] ?? 0))] ?? "note"
  if (kind === "create" || store.tasks.length === 0) {
    const i = createTask(store, rng)
    return event(store, "create", i, { task_type: TASK_TYPES[store.tasks.cols.type[i] ?? 0] })
  }
  const i = targeted ?? rng.int(store.tasks.length)
  const edit = edits[kind]
  return edit === undefined ? undefined : event(store, kind, i, edit(store, rng, i))
}
