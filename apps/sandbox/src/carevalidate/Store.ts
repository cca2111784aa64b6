// The CareValidate state and the only functions that change it: escalation updates, additions (API and staff)
// and completion (staff only: the documented API cannot complete an escalation, vendor-docs §5.4). Each add, edit
// and completion is announced here to listeners (the webhooks), so neither the API nor staff can skip them.
import type { Clock } from "../framework/Clock.ts"
import { uuidOf } from "../framework/Ids.ts"
import { Organizations } from "../framework/Organizations.ts"
import { type SortedView, snapshot } from "../framework/Paging.ts"
import { type Case, type Escalation, type EscalationType, NS, type Organization, type User } from "./Model.ts"

export interface EscalationChange {
  readonly escalation: Escalation
  readonly note?: string
  readonly followUpDueAt?: number
  readonly assignee?: User
}

export interface NewEscalation {
  readonly type: EscalationType
  readonly title: string
  readonly note?: string
  readonly followUpDueAt?: number
  readonly assignee?: User
}

export type EscalationChangeKind = "added" | "updated" | "completed"

/** Called after a change is applied (a batch is announced once it is complete), so listeners see the result. */
export type EscalationListener = (kind: EscalationChangeKind, c: Case, e: Escalation) => void

export class CareValidateStore {
  readonly orgs: ReadonlyArray<Organization>
  /** The same organizations as a directory: lookup by id and credential revocation for the control API. */
  readonly organizations: Organizations<Organization>
  /** Every case ordered by (createdAt, seq): the list endpoint's order. */
  readonly cases: ReadonlyArray<Case>
  /**
   * The cases as a framework SortedView keyed (createdAt, seq), which keyset paging walks. A snapshot, not an
   * OrderedLog: createdAt never changes and the API creates no cases, so the order is fixed once seeded.
   */
  readonly byCreated: SortedView
  /** Cases by seq (creation order), the ids the view yields. */
  readonly bySeq: ReadonlyArray<Case>
  readonly #clock: Clock
  readonly #seed: number
  readonly #byId = new Map<string, Case>()
  readonly #caseOfEscalation = new Map<string, Case>()
  readonly #listeners: Array<EscalationListener> = []
  #added = 0

  constructor(seeded: { orgs: ReadonlyArray<Organization>; cases: Array<Case> }, seed: number, clock: Clock) {
    this.orgs = seeded.orgs
    this.organizations = new Organizations(seeded.orgs)
    const bySeq: Array<Case> = []
    for (const c of seeded.cases) bySeq[c.seq] = c
    this.bySeq = bySeq
    this.byCreated = snapshot(
      bySeq.map((c) => c.seq),
      (seq) => bySeq[seq]?.createdAt ?? 0,
    )
    this.cases = [...seeded.cases].sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq)
    this.#clock = clock
    this.#seed = seed
    for (const c of this.cases) {
      this.#byId.set(c.id, c)
      for (const e of c.escalations) this.#caseOfEscalation.set(e.id, c)
    }
  }

  onEscalationChange(listener: EscalationListener): void {
    this.#listeners.push(listener)
  }

  #announce(kind: EscalationChangeKind, c: Case, e: Escalation): void {
    for (const listener of this.#listeners) listener(kind, c, e)
  }

  now(): number {
    return this.#clock.now()
  }

  caseById(id: string): Case | undefined {
    return this.#byId.get(id.toLowerCase())
  }

  caseOfEscalation(id: string): Case | undefined {
    return this.#caseOfEscalation.get(id.toLowerCase())
  }

  /** The organization's CVTPA user with this email (case-insensitive [I]); providers are not assignable. */
  assignable(org: number, email: string): User | undefined {
    const wanted = email.toLowerCase()
    return this.orgs[org]?.users.find((u) => u.role === "CVTPA" && u.email === wanted)
  }

  userById(org: number, id: string): User | undefined {
    return this.orgs[org]?.users.find((u) => u.id === id)
  }

  /** Applies a validated batch; [I] every listed escalation's updatedAt moves, even when no value changed. */
  update(c: Case, changes: ReadonlyArray<EscalationChange>): void {
    const now = this.#clock.now()
    for (const change of changes) {
      const e = change.escalation
      if (change.note !== undefined) e.note = change.note
      if (change.followUpDueAt !== undefined) e.followUpDueAt = change.followUpDueAt
      if (change.assignee !== undefined) e.assignedToUserId = change.assignee.id
      e.updatedAt = now
    }
    // [I] An escalation change also moves the parent case's updatedAt.
    c.updatedAt = now
    for (const change of changes) this.#announce("updated", c, change.escalation)
  }

  add(c: Case, items: ReadonlyArray<NewEscalation>): Array<Escalation> {
    const now = this.#clock.now()
    const created = items.map((item) => {
      const e: Escalation = {
        id: uuidOf(NS.added, this.#seed, this.#added++),
        type: item.type,
        title: item.title,
        note: item.note ?? null,
        followUpDueAt: item.followUpDueAt ?? null,
        assignedToUserId: item.assignee?.id ?? null,
        isCompleted: false,
        createdAt: now,
        updatedAt: now,
      }
      c.escalations.push(e)
      this.#caseOfEscalation.set(e.id, c)
      return e
    })
    c.updatedAt = now
    for (const e of created) this.#announce("added", c, e)
    return created
  }

  /** Control only: the escalation reports a type the published docs do not list yet. */
  setFutureType(e: Escalation, type: string): void {
    e.type = type
  }

  /** Vendor-side only: completion is one-way and makes the escalation invisible to UPDATE_ESCALATION. */
  complete(c: Case, e: Escalation): void {
    const now = this.#clock.now()
    e.isCompleted = true
    e.updatedAt = now
    c.updatedAt = now
    this.#announce("completed", c, e)
  }
}
