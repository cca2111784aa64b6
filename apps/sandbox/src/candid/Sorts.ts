// Numeric sort keys for the 22 `sort` options. Text fields compare by their text (code-unit order) through
// precomputed ranks [I: the docs don't say; enums sort as their wire strings, the way a text column would].
// A missing value (no payer, no category) is +Infinity: last when ascending, first when descending, as
// PostgreSQL orders NULLs by default [I].
import { FIRST_NAMES, LAST_NAMES, PAYERS } from "../framework/Fake.ts"
import { hash32 } from "../framework/Prng.ts"
import { NO_CATEGORY, type SortField, TASK_CATEGORIES, TASK_STATUSES, TASK_TYPES } from "./Enums.ts"
import { patientMrn } from "./Model.ts"
import type { CandidStore } from "./Store.ts"

/** rank[i] = position of list[i] when the list is sorted by code units. */
const ranks = (list: ReadonlyArray<string>): Float64Array => {
  const order = list
    .map((value, index) => ({ value, index }))
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
  const out = new Float64Array(list.length)
  order.forEach((entry, rank) => {
    out[entry.index] = rank
  })
  return out
}

const STATUS_RANK = ranks(TASK_STATUSES)
const TYPE_RANK = ranks(TASK_TYPES)
const CATEGORY_RANK = ranks(TASK_CATEGORIES)
const PAYER_NAME_RANK = ranks(PAYERS.map((payer) => payer.name))
const PAYER_ID_RANK = ranks(PAYERS.map((payer) => payer.payerId))
const NAME_RANK = ranks(FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`)))

export type KeyOf = (i: number) => number

export const sortKey = (store: CandidStore, field: SortField): KeyOf => {
  const c = store.tasks.cols
  const enc = store.encounters.cols
  const encounter = (i: number) => c.encounter[i] ?? 0
  const payer = (i: number) => enc.payer[encounter(i)] ?? -1
  const patient = (i: number) => enc.patient[encounter(i)] ?? 0
  switch (field) {
    case "updated_at":
      return (i) => c.updatedAt[i] ?? 0
    case "agg_updated_at":
      return (i) => c.aggUpdatedAt[i] ?? 0
    case "patient_name":
      return (i) => {
        const p = patient(i)
        const first = hash32(store.seed, p, 1) % FIRST_NAMES.length
        const last = hash32(store.seed, p, 2) % LAST_NAMES.length
        return NAME_RANK[first * LAST_NAMES.length + last] ?? 0
      }
    case "patient_external_id":
      return (i) => patientMrn(store.seed, patient(i))
    case "payer_name":
      return (i) => (payer(i) < 0 ? Infinity : (PAYER_NAME_RANK[payer(i)] ?? 0))
    case "payer_id":
      return (i) => (payer(i) < 0 ? Infinity : (PAYER_ID_RANK[payer(i)] ?? 0))
    case "status":
      return (i) => STATUS_RANK[c.status[i] ?? 0] ?? 0
    case "task_type":
      return (i) => TYPE_RANK[c.type[i] ?? 0] ?? 0
    case "category":
      return (i) => (c.category[i] === NO_CATEGORY ? Infinity : (CATEGORY_RANK[c.category[i] ?? 0] ?? 0))
    case "date_of_service":
      return (i) => enc.dateOfService[encounter(i)] ?? 0
    case "blocks_claim_submission":
      return (i) => c.blocks[i] ?? 0
  }
}
