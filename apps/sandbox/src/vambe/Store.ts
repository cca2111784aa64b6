// The Vambe emulator's state and the only functions that change it: API routes and staff activity both create,
// update and (soft) delete tasks here, so webhooks hear about every change the same way. Also the status
// configuration an organization can be given through the control API.
import type { Clock } from "../framework/Clock.ts"
import { uuidOf } from "../framework/Ids.ts"
import { Organizations } from "../framework/Organizations.ts"
import { isDoneType, NS, type Organization, type Priority, type StatusConfig, type Task } from "./Model.ts"

/** The update doc's webhook events [D]: any field, a move into a done status, a change of responsibles. */
export type TaskEvent = "task.updated" | "task.completed" | "task.reassigned"

export interface Due {
  readonly dueAt: number | null
  readonly dueTimezone: string | null
  readonly isAllDay: boolean
}

export interface TaskChange {
  readonly title?: string
  readonly description?: string | null
  readonly statusId?: string
  readonly due?: Due
  readonly responsibles?: ReadonlyArray<string>
  readonly aiContactId?: string | null
  readonly aiCustomerId?: string | null
  readonly priority?: Priority
}

export interface NewTask {
  readonly title: string
  readonly description: string | null
  readonly due: Due
  readonly responsibles: ReadonlyArray<string>
  readonly priority: Priority
  readonly aiContactId: string | null
  readonly aiCustomerId: string | null
  readonly creatorId: string
}

type Listener = (task: Task, events: ReadonlyArray<TaskEvent>) => void

const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((x) => b.includes(x))

export class VambeStore {
  readonly organizations: Organizations<Organization>
  readonly #byId = new Map<string, Task>()
  readonly #byOrg: Array<Array<Task>>
  readonly #clock: Clock
  readonly #seed: number
  readonly #listeners: Array<Listener> = []
  #created = 0

  constructor(seeded: { orgs: ReadonlyArray<Organization>; tasks: ReadonlyArray<Task> }, seed: number, clock: Clock) {
    this.organizations = new Organizations(seeded.orgs)
    this.#byOrg = seeded.orgs.map(() => [])
    for (const task of seeded.tasks) this.#add(task)
    this.#clock = clock
    this.#seed = seed
  }

  get orgs(): ReadonlyArray<Organization> {
    return this.organizations.all
  }

  now(): number {
    return this.#clock.now()
  }

  onChange(listener: Listener): void {
    this.#listeners.push(listener)
  }

  /** A live task by id (any organization); deleted ones are gone for every route. */
  task(id: string): Task | undefined {
    const task = this.#byId.get(id.toLowerCase())
    return task === undefined || task.deletedAt !== null ? undefined : task
  }

  /** Every live task of an organization, in seeding / creation order. */
  tasksOf(org: number): ReadonlyArray<Task> {
    return (this.#byOrg[org] ?? []).filter((t) => t.deletedAt === null)
  }

  /** Every task ever stored, deleted ones included (tests check soft deletion). */
  allTasks(): ReadonlyArray<Task> {
    return [...this.#byId.values()]
  }

  status(task: Task): StatusConfig | undefined {
    return this.orgs[task.org]?.statuses.find((s) => s.id === task.statusId)
  }

  create(org: Organization, input: NewTask): Task {
    const initial = org.statuses.find((s) => s.type === "initial") ?? org.statuses[0]
    const task: Task = {
      id: uuidOf(NS.created, this.#seed, this.#created++),
      org: org.index,
      title: input.title,
      description: input.description,
      ...input.due,
      createdAt: this.now(),
      aiContactId: input.aiContactId,
      aiCustomerId: input.aiCustomerId,
      statusId: initial?.id ?? "",
      priority: input.priority,
      creatorId: input.creatorId,
      responsibles: [...input.responsibles],
      deletedAt: null,
    }
    this.#add(task)
    return task
  }

  /** Applies a change; events go out only when something really changed. */
  update(task: Task, change: TaskChange): ReadonlyArray<TaskEvent> {
    const before = JSON.stringify(task)
    const wasDone = isDoneType(this.status(task)?.type ?? "")
    const reassigned = change.responsibles !== undefined && !sameSet(change.responsibles, task.responsibles)
    if (change.title !== undefined) task.title = change.title
    if (change.description !== undefined) task.description = change.description
    if (change.statusId !== undefined) task.statusId = change.statusId
    if (change.due !== undefined) Object.assign(task, change.due)
    if (change.responsibles !== undefined) task.responsibles = [...change.responsibles]
    if (change.aiContactId !== undefined) task.aiContactId = change.aiContactId
    if (change.aiCustomerId !== undefined) task.aiCustomerId = change.aiCustomerId
    if (change.priority !== undefined) task.priority = change.priority
    if (JSON.stringify(task) === before) return []
    const events: Array<TaskEvent> = ["task.updated"]
    if (!wasDone && isDoneType(this.status(task)?.type ?? "")) events.push("task.completed")
    if (reassigned) events.push("task.reassigned")
    for (const listener of this.#listeners) listener(task, events)
    return events
  }

  /** Soft delete [D]: the task is kept but answers 404 from now on. */
  remove(task: Task): void {
    task.deletedAt = this.now()
  }

  /** Replaces an organization's status list; a status some task still uses cannot be dropped. */
  configureStatuses(org: Organization, statuses: ReadonlyArray<Omit<StatusConfig, "id" | "order">>): void {
    const kept = statuses.map((s, order) => {
      const previous = org.statuses.find((p) => p.name === s.name)
      const id = previous?.id ?? uuidOf(NS.status, this.#seed, org.index, 1000 + this.#created++)
      return { id, ...s, order }
    })
    const used = new Set(this.tasksOf(org.index).map((t) => t.statusId))
    const dropped = org.statuses.find((s) => used.has(s.id) && !kept.some((k) => k.id === s.id))
    if (dropped !== undefined) throw new RangeError(`status '${dropped.name}' is still used by tasks`)
    org.statuses = kept
  }

  #add(task: Task): void {
    this.#byId.set(task.id, task)
    this.#byOrg[task.org]?.push(task)
  }
}
