// The Candid emulator's data model: compact task and encounter columns, organizations with their demo
// credentials, users and billing providers, and the id spaces; patients are derived from an index.
import { FIRST_NAMES, LAST_NAMES } from "../framework/Fake.ts"
import { type IdCodec, idCodec } from "../framework/Ids.ts"
import type { OrganizationBase } from "../framework/Organizations.ts"
import { hash32 } from "../framework/Prng.ts"
import type { TaskStatus } from "./Enums.ts"

export const TASK_COLUMNS = {
  org: Uint8Array,
  encounter: Uint32Array,
  type: Uint8Array,
  category: Uint8Array,
  status: Uint8Array,
  blocks: Uint8Array,
  createdAt: Float64Array,
  updatedAt: Float64Array,
  aggUpdatedAt: Float64Array,
  /** -1 unassigned; 0..n-1 an org user; <= -2 an API-supplied user id interned in `externalUsers`. */
  assignee: Int32Array,
  /** Bumped on every reassignment, so task_assignment_id changes when the assignment does. */
  assignmentSeq: Uint16Array,
  seededNotes: Uint8Array,
  lastSeededNoteAt: Float64Array,
  posUpdated: Int32Array,
  posAgg: Int32Array,
} as const

export const ENCOUNTER_COLUMNS = {
  org: Uint8Array,
  patient: Uint32Array,
  /** Days since the Unix epoch. */
  dateOfService: Int32Array,
  /** Index into PAYERS; -1 for self-pay (no payer on the task). */
  payer: Int16Array,
  provider: Uint8Array,
} as const

export interface User {
  readonly id: string
  readonly name: string
}

export interface Provider {
  readonly npi: string
  readonly name: string
}

/** A Candid organization is also its one API client (Users & Credentials issue one pair per organization here). */
export interface Organization extends OrganizationBase {
  readonly clientId: string
  readonly clientSecret: string
  readonly users: ReadonlyArray<User>
  readonly providers: ReadonlyArray<Provider>
  /** No API lists work queues [D by absence], so the emulator publishes these through /_sandbox. */
  readonly workQueueIds: ReadonlyArray<string>
  /** Statuses a PATCH may not set (422 TaskUpdatedToDeprecatedStatusError); configurable per organization. */
  deprecated: Set<TaskStatus>
}

export interface Note {
  readonly task_note_id: string
  readonly text: string
  readonly created_at: number
  readonly author_name: string
  readonly author_organization_name: string
}

/** Fields only tasks made through `POST /api/tasks/v3` have; seeded tasks derive them. */
export interface CreatedFields {
  readonly description: string
  readonly workQueueId: string
}

/** Namespaces keep the id spaces apart even for equal row indexes. */
export const NS = { task: 1, encounter: 2, claim: 3, user: 4, note: 5, assignment: 6, org: 7, rule: 8, queue: 9 }

export interface IdSpaces {
  readonly task: IdCodec
  readonly encounter: IdCodec
  readonly claim: IdCodec
}

export const idSpaces = (seed: number): IdSpaces => ({
  task: idCodec(NS.task, seed),
  encounter: idCodec(NS.encounter, seed),
  claim: idCodec(NS.claim, seed),
})

export const patientName = (seed: number, patient: number): string =>
  `${FIRST_NAMES[hash32(seed, patient, 1) % FIRST_NAMES.length]} ${LAST_NAMES[hash32(seed, patient, 2) % LAST_NAMES.length]}`

/** Unique per patient below 9,000,000 (7919 is prime to 9,000,000), fixed width so text order = number order. */
export const patientMrn = (seed: number, patient: number): number =>
  1_000_000 + ((patient * 7919 + (hash32(seed, 5) % 9_000_000)) % 9_000_000)

export const patientExternalId = (seed: number, patient: number): string => `MRN${patientMrn(seed, patient)}`

/** Encounter (visit) external id; seeded tasks carry it as their external_id. */
export const encounterExternalId = (encounter: number): string =>
  `VISIT-${String(encounter + 100_000).padStart(7, "0")}`
