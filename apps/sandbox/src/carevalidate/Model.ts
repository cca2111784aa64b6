// CareValidate Care360 data model held in memory: organizations (with their cv-api-key), users, cases and
// their escalations (vendor-docs §5.4, §5.5). Timestamps are epoch ms here and ISO strings on the wire.
// Plain objects, not framework Tables: escalations are variable-length lists with free-text notes, an emulator
// holds hundreds to thousands of cases (not millions), and the adapter and sync tests read these objects.
import type { OrganizationBase } from "../framework/Organizations.ts"

export const ESCALATION_TYPES = ["support", "clinical", "external"] as const
export type EscalationType = (typeof ESCALATION_TYPES)[number]

/** The case statuses the list endpoint filters on [D: get-cases-endpoint]. */
export const CASE_STATUSES = [
  "OPEN",
  "ASSIGNED",
  "IN_PROGRESS",
  "APPROVED",
  "REJECTED",
  "NO_DECISION",
  "ABANDONED",
] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** Only CVTPA accounts may be assigned escalations [D]; [I] providers exist too, so a client can hit the 400. */
export type UserRole = "CVTPA" | "PROVIDER"

export interface User {
  readonly id: string
  readonly email: string
  readonly firstName: string
  readonly lastName: string
  readonly role: UserRole
}

export interface Organization extends OrganizationBase {
  readonly apiKey: string
  readonly users: ReadonlyArray<User>
}

export interface Escalation {
  readonly id: string
  /** An EscalationType, or a later one set through the `future-type` control route. */
  type: EscalationType | (string & {})
  readonly title: string
  note: string | null
  followUpDueAt: number | null
  assignedToUserId: string | null
  isCompleted: boolean
  readonly createdAt: number
  updatedAt: number
}

export interface Patient {
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly dateOfBirth: string
}

export interface Case {
  /** Position in creation order; the list's keyset cursor uses (createdAt, seq). */
  readonly seq: number
  readonly id: string
  readonly org: number
  status: CaseStatus
  isArchived: boolean
  closedAt: number | null
  archiveReason: string | null
  readonly productName: string
  readonly assignedToUserId: string | null
  readonly patient: Patient
  readonly createdAt: number
  updatedAt: number
  readonly escalations: Array<Escalation>
}

/** Namespaces for deterministic ids (framework/Ids.ts `uuidOf`). */
export const NS = {
  org: 0xc701,
  user: 0xc702,
  case: 0xc703,
  escalation: 0xc704,
  added: 0xc705,
  webhookEvent: 0xc706,
} as const

export const activeEscalations = (c: Case): Array<Escalation> => c.escalations.filter((e) => !e.isCompleted)
