// Kore.ai-side agent activity: what agents do in the console (status, priority, assignment, due, name, a new task in a
// case), through the store so `updatedAt` / `updatedBy` move as for API writes; only active values, always a change.
import type { ActivityEvent } from "../framework/Emulator.ts"
import { DAY_MS } from "../framework/Fake.ts"
import type { Rng } from "../framework/Prng.ts"
import type { Account, Agent, Task } from "./Model.ts"
import type { KoreaiState } from "./State.ts"
import { initialStatus, isUsable, type KoreaiStore, type TaskChange } from "./Store.ts"
import { TASK_DESCRIPTIONS, TASK_NAMES } from "./Text.ts"

export const KOREAI_ACTIVITY_KINDS = ["status", "priority", "assign", "due", "rename", "create"] as const
const WEIGHTS: Readonly<Record<string, number>> = {
  status: 35,
  priority: 15,
  assign: 20,
  due: 15,
  rename: 5,
  create: 10,
}
/** Kinds that edit a given task; `create` runs on a named task (in its case) only when asked for explicitly. */
const EDITS = ["status", "priority", "assign", "due", "rename"]

type Edit = (org: Account, rng: Rng, task: Task) => TaskChange

const edits: Readonly<Record<string, Edit>> = {
  status: (org, rng, task) => ({
    statusId: rng.pick(org.statuses.filter((s) => isUsable(s) && s._id !== task.statusId))._id,
  }),
  priority: (org, rng, task) => ({
    priorityId: rng.pick(org.priorities.filter((p) => isUsable(p) && p._id !== task.priorityId))._id,
  }),
  assign: (org, rng, task) => {
    // Usually an agent takes the task; sometimes it goes back to a queue with nobody on it.
    const others = org.agents.filter((a) => a._id !== task.currAssignee)
    if (task.currAssignee === null || rng.chance(0.75)) return { currAssignee: rng.pick(others)._id }
    return { currAssignee: null, queues: [rng.pick(org.queues)._id] }
  },
  due: (_, rng, task) => ({ dueDate: (task.dueDate ?? task.createdAt) + rng.between(1, 7) * DAY_MS }),
  rename: (_, rng, task) => ({ name: rng.pick(TASK_NAMES.filter((n) => n !== task.name)) }),
}

/** The agent making the edit: the assignee when there is one (they work their own tasks), else anyone. */
const editor = (org: Account, rng: Rng, task: Task): Agent =>
  org.agents.find((a) => a._id === task.currAssignee) ?? rng.pick(org.agents)

const at = (store: KoreaiStore) => new Date(store.now()).toISOString()

const create = (store: KoreaiStore, rng: Rng, near: Task | undefined): ActivityEvent | undefined => {
  const org = near === undefined ? rng.pick(store.orgs) : (store.orgs[near.org] as Account)
  const cases = store.casesOf(org.index)
  const kase = near === undefined ? (cases.length === 0 ? undefined : rng.pick(cases)) : store.kase(near.caseId)
  if (kase === undefined) return undefined
  const agent = rng.pick(org.agents)
  const priority = rng.pick(org.priorities.filter(isUsable))
  const task = store.createTask(
    org,
    {
      kase,
      name: rng.pick(TASK_NAMES),
      desc: rng.pick(TASK_DESCRIPTIONS),
      statusId: initialStatus(org),
      priorityId: priority._id,
      currAssignee: agent._id,
      queues: [],
      dueDate: store.now() + rng.between(1, 10) * DAY_MS,
      doc: { assigneeType: "agent", userInfo: kase.userInfo },
    },
    agent,
  )
  return { kind: "create", id: task._id, at: at(store), detail: { caseId: kase._id, name: task.name } }
}

/** `target` is a task id; without one a random task of any account is edited. */
export const koreaiActivity = (
  state: KoreaiState,
  rng: Rng,
  kinds: ReadonlyArray<string>,
  target: string | undefined,
): ActivityEvent | undefined => {
  const { store } = state
  const named = target === undefined ? undefined : store.task(target)
  if (target !== undefined && named === undefined) throw new TypeError(`no task ${target}`)
  const restricted = named === undefined ? kinds : kinds.filter((k) => EDITS.includes(k) || kinds.length === 1)
  const pool = restricted.length > 0 ? restricted : kinds
  const kind = pool[rng.weighted(pool.map((k) => WEIGHTS[k] ?? 0))] ?? "status"
  if (kind === "create") return create(store, rng, named)
  const org = named === undefined ? rng.pick(store.orgs) : (store.orgs[named.org] as Account)
  const tasks = named === undefined ? store.tasksOf(org.index) : [named]
  if (tasks.length === 0) return undefined
  const task = rng.pick(tasks)
  const edit = edits[kind]
  if (edit === undefined) return undefined
  const change = edit(org, rng, task)
  const agent = editor(org, rng, task)
  store.update(task, change, agent)
  return { kind, id: task._id, at: at(store), detail: { ...change, agent: agent._id } }
}
