// A stored task as Candid's wire object: snake_case, fields in the docs' order, instants as
// "2024-01-15T09:30:00Z" and date_of_service as "2023-01-15"; absent optional fields are omitted.
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get
import { isoDate, isoSeconds, PAYERS } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { NO_CATEGORY, TASK_CATEGORIES, TASK_STATUSES, TASK_TYPES } from "./Enums.ts"
import { encounterExternalId, NS, patientExternalId, patientName } from "./Model.ts"
import type { CandidStore } from "./Store.ts"
import { describeTask } from "./Text.ts"

export interface WireNote {
  readonly task_note_id: string
  readonly text: string
  readonly created_at: string
  readonly author_name: string
  readonly author_organization_name: string
}

export interface WireTask {
  readonly task_id: string
  readonly encounter_id: string
  readonly task_type: string
  readonly description: string
  readonly blocks_claim_submission: boolean
  readonly external_id: string
  readonly patient_name: string
  readonly patient_external_id: string
  readonly status: string
  readonly notes: ReadonlyArray<WireNote>
  readonly created_at: string
  readonly updated_at: string
  readonly agg_updated_at: string
  readonly date_of_service: string
  readonly assignments: ReadonlyArray<{ readonly task_assignment_id: string; readonly assignee_user_id?: string }>
  readonly payer_name?: string
  readonly payer_id?: string
  readonly category?: string
  readonly configurable_rule_id?: string
  readonly persisted_rule_id?: string
}

/** Types Candid raises from a configurable rule (claim-submission checks, coding review) [I]. */
const RULE_TYPES = new Set([1, 2, 3, 5])

export const categoryOf = (store: CandidStore, i: number): string | undefined => {
  const category = store.tasks.cols.category[i] ?? NO_CATEGORY
  return category === NO_CATEGORY ? undefined : TASK_CATEGORIES[category]
}

export const payerOf = (store: CandidStore, i: number) => {
  const e = store.tasks.cols.encounter[i] ?? 0
  return PAYERS[store.encounters.cols.payer[e] ?? -1]
}

const assignments = (store: CandidStore, i: number) => {
  const assignee = store.assigneeId(i)
  if (assignee === undefined) return []
  const seq = store.tasks.cols.assignmentSeq[i] ?? 0
  return [{ task_assignment_id: uuidOf(NS.assignment, store.seed, i, seq), assignee_user_id: assignee }]
}

export const toWire = (store: CandidStore, i: number): WireTask => {
  const c = store.tasks.cols
  const e = c.encounter[i] ?? 0
  const patient = store.encounters.cols.patient[e] ?? 0
  const type = c.type[i] ?? 0
  const payer = payerOf(store, i)
  const category = categoryOf(store, i)
  const rule = RULE_TYPES.has(type) && store.created(i) === undefined
  return {
    task_id: store.ids.task.encode(i),
    encounter_id: store.ids.encounter.encode(e),
    task_type: TASK_TYPES[type] ?? "CLAIM_FOLLOW_UP",
    description: store.created(i)?.description ?? describeTask(type, category, payer?.name),
    blocks_claim_submission: c.blocks[i] === 1,
    external_id: encounterExternalId(e),
    patient_name: patientName(store.seed, patient),
    patient_external_id: patientExternalId(store.seed, patient),
    status: store.futureStatus(i) ?? TASK_STATUSES[c.status[i] ?? 3] ?? "open",
    notes: store.notes(i).map((note) => ({ ...note, created_at: isoSeconds(note.created_at) })),
    created_at: isoSeconds(c.createdAt[i] ?? 0),
    updated_at: isoSeconds(c.updatedAt[i] ?? 0),
    agg_updated_at: isoSeconds(c.aggUpdatedAt[i] ?? 0),
    date_of_service: isoDate(store.encounters.cols.dateOfService[e] ?? 0),
    assignments: assignments(store, i),
    ...(payer === undefined ? {} : { payer_name: payer.name, payer_id: payer.payerId }),
    ...(category === undefined ? {} : { category }),
    ...(rule ? { configurable_rule_id: uuidOf(NS.rule, store.seed, c.org[i] ?? 0, type) } : {}),
    ...(rule ? { persisted_rule_id: uuidOf(NS.rule, store.seed, c.org[i] ?? 0, type, 1) } : {}),
  }
}
