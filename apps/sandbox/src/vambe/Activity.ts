// Vambe-side staff activity: what sales and front-desk staff do to tasks in Vambe's UI — move a task along the
// organization's statuses, reassign it, change its due, retitle it, create one, delete one — applied through the
// store's mutation functions only (so webhooks fire as for API writes). Every edit really changes the task.
import type { ActivityEvent } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import type { Rng } from "../framework/Prng.ts"
import type { Task } from "./Model.ts"
import type { VambeState } from "./State.ts"
import type { VambeStore } from "./Store.ts"
import { DESCRIPTIONS, TITLES } from "./Text.ts"
import { wallToUtc } from "./Zone.ts"

export const VAMBE_ACTIVITY_KINDS = ["status", "assign", "due", "title", "create", "delete"] as const
const WEIGHTS: Readonly<Record<string, number>> = { status: 35, assign: 20, due: 20, title: 10, create: 10, delete: 5 }
/** Kinds that edit a given task; `create` and `delete` run on a named task only when asked for explicitly. */
const EDITS = ["status", "assign", "due", "title"]

type Edit = (store: VambeStore, rng: Rng, task: Task) => Readonly<Record<string, unknown>>

const edits: Readonly<Record<string, Edit>> = {
  status: (store, rng, task) => {
    const others = (store.orgs[task.org]?.statuses ?? []).filter((s) => s.id !== task.statusId)
    const next = rng.pick(others)
    store.update(task, { statusId: next.id })
    return { status: next.name }
  },
  assign: (store, rng, task) => {
    const team = store.orgs[task.org]?.members ?? []
    const current = new Set(task.responsibles)
    const free = team.filter((m) => !current.has(m.id))
    // Usually a hand-over to one person, sometimes a colleague joins (a whole team hands over to one of them).
    const responsibles =
      free.length === 0
        ? [rng.pick(team).id]
        : rng.chance(0.75)
          ? [rng.pick(free).id]
          : [...task.responsibles, rng.pick(free).id]
    store.update(task, { responsibles })
    return { responsibleIds: responsibles }
  },
  due: (store, rng, task) => {
    const zone = task.dueTimezone ?? store.orgs[task.org]?.timezone ?? "UTC"
    const from = task.dueAt ?? store.now()
    const date = new Date(Math.floor(from / DAY_MS + rng.between(1, 7)) * DAY_MS).toISOString().slice(0, 10)
    const time = `${String(rng.between(9, 18)).padStart(2, "0")}:${rng.pick(["00", "30"])}`
    const dueAt = wallToUtc(date, time, zone)
    store.update(task, { due: { dueAt, dueTimezone: zone, isAllDay: false } })
    return { dueAt: new Date(dueAt).toISOString(), timezone: zone }
  },
  title: (store, rng, task) => {
    const title = rng.pick(TITLES.filter((t) => t !== task.title))
    store.update(task, { title })
    return { title }
  },
}

const create = (store: VambeStore, rng: Rng): ActivityEvent => {
  const org = rng.pick(store.orgs)
  const staff = rng.pick(org.members)
  const date = new Date(Math.floor(store.now() / DAY_MS + rng.between(0, 10)) * DAY_MS).toISOString().slice(0, 10)
  const task = store.create(org, {
    title: rng.pick(TITLES),
    description: rng.pick(DESCRIPTIONS),
    due: { dueAt: Date.parse(`${date}T00:00:00Z`), dueTimezone: org.timezone, isAllDay: true },
    responsibles: [staff.id],
    priority: 1,
    aiContactId: null,
    aiCustomerId: null,
    creatorId: staff.id,
  })
  return { kind: "create", id: task.id, at: new Date(task.createdAt).toISOString(), detail: { title: task.title } }
}

/** `target` is a task id; without one a random live task of any organization is edited. */
export const vambeActivity = (
  state: VambeState,
  rng: Rng,
  kinds: ReadonlyArray<string>,
  target: string | undefined,
): ActivityEvent | undefined => {
  const { store } = state
  const named = target === undefined ? undefined : store.task(target)
  if (target !== undefined && named === undefined) throw new TypeError(`no task ${target}`)
  const edits_ = named === undefined ? kinds : kinds.filter((k) => EDITS.includes(k))
  const pool = edits_.length > 0 ? edits_ : kinds
  const kind = pool[rng.weighted(pool.map((k) => WEIGHTS[k] ?? 0))] ?? "status"
  if (kind === "create") return create(store, rng)
  const org = rng.pick(store.orgs)
  const live = named === undefined ? store.tasksOf(org.index) : [named]
  if (live.length === 0) return undefined
  const task = rng.pick(live)
  if (kind === "delete") {
    store.remove(task)
    return { kind, id: task.id, at: new Date(store.now()).toISOString() }
  }
  const edit = edits[kind]
  if (edit === undefined) return undefined
  const detail = edit(store, rng, task)
  return { kind, id: task.id, at: new Date(store.now()).toISOString(), detail }
}
