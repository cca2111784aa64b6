// The Candid emulator's state: seeded columns, per-organization updated_at / agg_updated_at indexes, and the
// only mutation functions (used by both the API routes and simulated staff), which keep the timestamps honest:
// a task change moves updated_at and agg_updated_at, a note moves agg_updated_at only.
import type { Clock } from "../framework/Clock.ts"
import { uuidOf } from "../framework/Ids.ts"
import type { OrderedLog } from "../framework/OrderedLog.ts"
import { Organizations } from "../framework/Organizations.ts"
import type { Table } from "../framework/Table.ts"
import { buildIndexes } from "./Indexes.ts"
import {
  type CreatedFields,
  type ENCOUNTER_COLUMNS,
  type IdSpaces,
  idSpaces,
  type Note,
  NS,
  type Organization,
  type TASK_COLUMNS,
} from "./Model.ts"
import { derivedNotes } from "./Notes.ts"
import type { Seeded } from "./Seed.ts"

export interface TaskChange {
  readonly status?: number
  /** A user UUID, or null to unassign. */
  readonly assignee?: string | null
  readonly blocks?: boolean
}

export interface NewTask {
  readonly org: number
  readonly encounter: number
  readonly type: number
  readonly category: number
  readonly blocks: boolean
  readonly assignee: string | undefined
  readonly fields: CreatedFields
}

export class CandidStore {
  readonly seed: number
  readonly orgs: ReadonlyArray<Organization>
  /** The same organizations as a directory: lookup by id and credential revocation for the control API. */
  readonly organizations: Organizations<Organization>
  readonly tasks: Table<typeof TASK_COLUMNS>
  readonly encounters: Table<typeof ENCOUNTER_COLUMNS>
  readonly ids: IdSpaces
  readonly updatedLogs: ReadonlyArray<OrderedLog>
  readonly aggLogs: ReadonlyArray<OrderedLog>
  /** Bumped by every mutation; caches of sorted snapshots key on it. */
  version = 0
  readonly #clock: Clock
  readonly #notes = new Map<number, Array<Note>>()
  /** Status strings newer than the SDK's enum, per task: Candid may add enum values at any time (non-breaking). */
  readonly #futureStatus = new Map<number, string>()
  readonly #created = new Map<number, CreatedFields>()
  readonly #externalUsers: Array<string> = []
  readonly #externalIndex = new Map<string, number>()
  #lastStamp = 0

  constructor(seeded: Seeded, seed: number, clock: Clock) {
    this.seed = seed
    this.orgs = seeded.orgs
    this.organizations = new Organizations(seeded.orgs)
    this.tasks = seeded.tasks
    this.encounters = seeded.encounters
    this.ids = idSpaces(seed)
    this.#clock = clock
    const indexes = buildIndexes(this.tasks, this.orgs.length)
    this.updatedLogs = indexes.updated
    this.aggLogs = indexes.agg
    for (const log of this.aggLogs) this.#lastStamp = Math.max(this.#lastStamp, log.lastKey)
  }

  /** Row of a task id, or undefined when no such task exists (in any organization). */
  taskIndex(taskId: string): number | undefined {
    const i = this.ids.task.decode(taskId)
    return i !== undefined && i < this.tasks.length ? i : undefined
  }

  encounterIndex(encounterId: string): number | undefined {
    const e = this.ids.encounter.decode(encounterId)
    return e !== undefined && e < this.encounters.length ? e : undefined
  }

  org(i: number): Organization {
    const org = this.orgs[this.tasks.cols.org[i] ?? 0]
    if (org === undefined) throw new Error(`task row ${i} has no organization`)
    return org
  }

  assigneeId(i: number): string | undefined {
    const code = this.tasks.cols.assignee[i] ?? -1
    if (code === -1) return undefined
    return code >= 0 ? this.org(i).users[code]?.id : this.#externalUsers[-2 - code]
  }

  /** The stored assignee code for a user id within an organization, or undefined if nobody has it. */
  assigneeCode(org: number, userId: string): number | undefined {
    const local = this.orgs[org]?.users.findIndex((user) => user.id === userId.toLowerCase()) ?? -1
    if (local >= 0) return local
    const external = this.#externalIndex.get(userId.toLowerCase())
    return external === undefined ? undefined : -2 - external
  }

  created(i: number): CreatedFields | undefined {
    return this.#created.get(i)
  }

  notes(i: number): Array<Note> {
    return [...derivedNotes(this, i), ...(this.#notes.get(i) ?? [])]
  }

  /** "Now" as a vendor timestamp: whole seconds, as the docs print them, and never earlier than the last one. */
  stamp(): number {
    this.#lastStamp = Math.max(this.#lastStamp, Math.floor(this.#clock.now() / 1000) * 1000)
    return this.#lastStamp
  }

  futureStatus(i: number): string | undefined {
    return this.#futureStatus.get(i)
  }

  /** Puts a task in a status the published enum does not have yet, as a vendor-side change. */
  setFutureStatus(i: number, status: string): void {
    this.#futureStatus.set(i, status)
    this.#touch(i, true)
  }

  /** Applies a change; returns false (and moves no timestamp) when every field already had that value. */
  update(i: number, change: TaskChange): boolean {
    const c = this.tasks.cols
    let changed = false
    if (change.status !== undefined && (c.status[i] !== change.status || this.#futureStatus.has(i))) {
      c.status[i] = change.status
      this.#futureStatus.delete(i)
      changed = true
    }
    if (change.blocks !== undefined && c.blocks[i] !== (change.blocks ? 1 : 0)) {
      c.blocks[i] = change.blocks ? 1 : 0
      changed = true
    }
    if (change.assignee !== undefined) changed = this.#assign(i, change.assignee) || changed
    if (changed) this.#touch(i, true)
    return changed
  }

  addNote(i: number, text: string, authorName: string, authorOrganization: string): Note {
    const list = this.#notes.get(i) ?? []
    const at = this.stamp()
    const note: Note = {
      task_note_id: uuidOf(NS.note, this.seed, i, (this.tasks.cols.seededNotes[i] ?? 0) + list.length),
      text,
      created_at: at,
      author_name: authorName,
      author_organization_name: authorOrganization,
    }
    list.push(note)
    this.#notes.set(i, list)
    this.#touch(i, false)
    return note
  }

  create(input: NewTask): number {
    const i = this.tasks.add()
    const c = this.tasks.cols
    const at = this.stamp()
    c.org[i] = input.org
    c.encounter[i] = input.encounter
    c.type[i] = input.type
    c.category[i] = input.category
    c.status[i] = 3 // "open" [I]: the docs don't say, but a new task is work nobody has started
    c.blocks[i] = input.blocks ? 1 : 0
    c.createdAt[i] = at
    c.assignee[i] = -1
    if (input.assignee !== undefined) this.#assign(i, input.assignee)
    this.#created.set(i, input.fields)
    c.updatedAt[i] = at
    c.aggUpdatedAt[i] = at
    this.updatedLogs[input.org]?.append(i, at)
    this.aggLogs[input.org]?.append(i, at)
    this.version++
    return i
  }

  /** Replaces the single assignment [I: single-assignee writes replace, vendor-docs §1.12]. */
  #assign(i: number, userId: string | null): boolean {
    const c = this.tasks.cols
    const code = userId === null ? -1 : this.#codeFor(c.org[i] ?? 0, userId)
    if (c.assignee[i] === code) return false
    c.assignee[i] = code
    c.assignmentSeq[i] = ((c.assignmentSeq[i] ?? 0) + 1) & 0xffff
    return true
  }

  /** Any UUID may be assigned: Candid has no user list to validate against [D by absence]. */
  #codeFor(org: number, userId: string): number {
    const known = this.assigneeCode(org, userId)
    if (known !== undefined) return known
    this.#externalIndex.set(userId.toLowerCase(), this.#externalUsers.length)
    this.#externalUsers.push(userId.toLowerCase())
    return -1 - this.#externalUsers.length
  }

  #touch(i: number, task: boolean): void {
    const c = this.tasks.cols
    const at = this.stamp()
    const org = c.org[i] ?? 0
    if (task) {
      c.updatedAt[i] = at
      this.updatedLogs[org]?.move(i, at)
    }
    c.aggUpdatedAt[i] = at
    this.aggLogs[org]?.move(i, at)
    this.version++
  }
}
