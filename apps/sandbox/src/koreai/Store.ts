// The Kore.ai state and the only functions that change it: routes, agents and the control API all create and merge
// through here, so `updatedAt` / `updatedBy` move the same way whoever edits.
import type { Clock } from "../framework/Clock.ts"
import { Organizations } from "../framework/Organizations.ts"
import {
  type Account,
  type Agent,
  type Case,
  defaultDoc,
  NS,
  type Task,
  type TaskPriority,
  type TaskStatus,
} from "./Model.ts"
import { prefixed, refOf } from "./Refs.ts"

/** Fields with a meaning of their own; every other documented field travels in `doc`. */
export interface TaskChange {
  readonly name?: string
  readonly desc?: string
  readonly statusId?: string
  readonly priorityId?: string
  /** An agent id; null unassigns (`currAssignee: {}` on the wire). */
  readonly currAssignee?: string | null
  readonly queues?: ReadonlyArray<string>
  readonly dueDate?: number | null
  readonly doc?: Readonly<Record<string, unknown>>
}

export interface NewTask {
  readonly kase: Case
  readonly name: string
  readonly desc: string
  readonly statusId: string
  readonly priorityId: string
  readonly currAssignee: string | null
  readonly queues: ReadonlyArray<string>
  readonly dueDate: number | null
  readonly doc: Readonly<Record<string, unknown>>
}

export interface NewCase {
  readonly name: string
  readonly desc: string
  readonly userInfo: Readonly<Record<string, unknown>>
  readonly source: string
}

interface Seeded {
  readonly orgs: ReadonlyArray<Account>
  readonly cases: ReadonlyArray<Case>
  readonly tasks: ReadonlyArray<Task>
  readonly taskRefs: ReadonlyArray<number>
  readonly caseRefs: ReadonlyArray<number>
}

export const isUsable = (entry: { readonly isActive: boolean; readonly isEnabled: boolean }) =>
  entry.isActive && entry.isEnabled

/** [I] A new task starts in the first usable status of the `open` category... */
export const initialStatus = (org: Account): string =>
  org.statuses.find((s) => s.statusCategory === "open" && isUsable(s))?._id ?? ""

/** ...at the system Medium priority, unless its creator says otherwise. */
export const defaultPriority = (org: Account): string =>
  org.priorities.find((p) => p.type === "system" && p.lname === "medium" && isUsable(p))?._id ?? ""

export const assigneeTypeOf = (task: Task): string =>
  task.currAssignee !== null ? "agent" : task.queues.length > 0 ? "queue" : "unassigned"

export class KoreaiStore {
  readonly organizations: Organizations<Account>
  readonly #tasks = new Map<string, Task>()
  readonly #cases = new Map<string, Case>()
  readonly #tasksByOrg: Array<Array<Task>>
  readonly #casesByOrg: Array<Array<Case>>
  readonly #taskRefs: Array<number>
  readonly #caseRefs: Array<number>
  readonly #clock: Clock
  readonly #seed: number
  #created = 0
  #frozenAt: number | undefined

  constructor(seeded: Seeded, seed: number, clock: Clock) {
    this.organizations = new Organizations(seeded.orgs)
    this.#tasksByOrg = seeded.orgs.map(() => [])
    this.#casesByOrg = seeded.orgs.map(() => [])
    for (const kase of seeded.cases) this.#addCase(kase)
    for (const task of seeded.tasks) this.#addTask(task)
    this.#taskRefs = seeded.orgs.map((_, i) => seeded.taskRefs[i] ?? 0)
    this.#caseRefs = seeded.orgs.map((_, i) => seeded.caseRefs[i] ?? 0)
    this.#clock = clock
    this.#seed = seed
  }

  get orgs(): ReadonlyArray<Account> {
    return this.organizations.all
  }

  now(): number {
    return this.#frozenAt ?? this.#clock.now()
  }

  /** Runs `change` as if the clock read `ms` (never later than now): an agent's edit keeps its own time. */
  at<T>(ms: number, change: () => T): T {
    this.#frozenAt = Math.min(ms, this.#clock.now())
    try {
      return change()
    } finally {
      this.#frozenAt = undefined
    }
  }

  task(id: string): Task | undefined {
    return this.#tasks.get(id)
  }

  kase(id: string): Case | undefined {
    return this.#cases.get(id)
  }

  tasksOf(org: number): ReadonlyArray<Task> {
    return this.#tasksByOrg[org] ?? []
  }

  casesOf(org: number): ReadonlyArray<Case> {
    return this.#casesByOrg[org] ?? []
  }

  status(task: Task): TaskStatus | undefined {
    return this.orgs[task.org]?.statuses.find((s) => s._id === task.statusId)
  }

  priority(task: Task): TaskPriority | undefined {
    return this.orgs[task.org]?.priorities.find((p) => p._id === task.priorityId)
  }

  createCase(org: Account, input: NewCase): Case {
    const now = this.now()
    const kase: Case = {
      _id: prefixed("ci", NS.created, this.#seed, 0, this.#created++),
      org: org.index,
      refId: refOf("CS", this.#nextRef(this.#caseRefs, org.index)),
      ...input,
      taskIds: [],
      createdAt: now,
      updatedAt: now,
    }
    this.#addCase(kase)
    return kase
  }

  createTask(org: Account, input: NewTask, by: Agent): Task {
    const now = this.now()
    const { kase, doc, queues, ...fields } = input
    const task: Task = {
      _id: prefixed("ti", NS.created, this.#seed, 1, this.#created++),
      org: org.index,
      caseId: kase._id,
      caseRefId: kase.refId,
      refId: refOf("TS", this.#nextRef(this.#taskRefs, org.index)),
      createdAt: now,
      updatedAt: now,
      createdBy: by,
      updatedBy: by,
      ...fields,
      queues: [...queues],
      doc: defaultDoc({ lname: input.name.toLowerCase(), ...doc }),
    }
    if (doc.assigneeType === undefined) task.doc.assigneeType = assigneeTypeOf(task)
    kase.taskIds.push(task._id)
    kase.updatedAt = now
    this.#addTask(task)
    return task
  }

  /**
   * Merges a change into the task; `updatedAt` and `updatedBy` move only when a value really changed [I], and
   * `updatedAt` never goes backwards, so a client scanning by it sees every change.
   */
  update(task: Task, change: TaskChange, by: Agent): boolean {
    const before = JSON.stringify(task)
    const { doc, queues, ...fields } = change
    Object.assign(task, fields)
    if (queues !== undefined) task.queues = [...queues]
    if (doc !== undefined) Object.assign(task.doc, doc)
    if (change.name !== undefined && doc?.lname === undefined) task.doc.lname = change.name.toLowerCase()
    // [I] Without an explicit assigneeType, a change of assignment says what kind it now is.
    const reassigned = change.currAssignee !== undefined || queues !== undefined
    if (reassigned && doc?.assigneeType === undefined) task.doc.assigneeType = assigneeTypeOf(task)
    if (JSON.stringify(task) === before) return false
    task.updatedAt = Math.max(task.updatedAt, this.now())
    task.updatedBy = by
    return true
  }

  #nextRef(refs: Array<number>, org: number): number {
    const next = (refs[org] ?? 0) + 1
    refs[org] = next
    return next
  }

  #addTask(task: Task): void {
    this.#tasks.set(task._id, task)
    this.#tasksByOrg[task.org]?.push(task)
  }

  #addCase(kase: Case): void {
    this.#cases.set(kase._id, kase)
    this.#casesByOrg[kase.org]?.push(kase)
  }
}
