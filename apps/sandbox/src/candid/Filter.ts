// The list filters as one predicate over a task row. Identifier filters resolve to row numbers up front, so
// the per-row check is integer comparisons only (a full scan of a million rows stays in the tens of ms).
import type { ListQuery } from "./Query.ts"
import type { CandidStore } from "./Store.ts"

export type UpdatedSinceField = "updated_at" | "agg_updated_at"

const NOTHING = () => false

/** [I] `search_term` matches one of encounter_id, claim_id, task_id or external_id exactly (case-insensitive). */
const searchMatcher = (store: CandidStore, term: string): ((i: number) => boolean) => {
  const lower = term.toLowerCase()
  const task = store.taskIndex(lower)
  const encounters = new Set<number>()
  const byId = store.encounterIndex(lower)
  if (byId !== undefined) encounters.add(byId)
  const byClaim = store.ids.claim.decode(lower)
  if (byClaim !== undefined && byClaim < store.encounters.length) encounters.add(byClaim)
  const visit = /^visit-(\d{7})$/.exec(lower)
  if (visit?.[1] !== undefined) encounters.add(Number(visit[1]) - 100_000)
  const c = store.tasks.cols
  return (i) => i === task || encounters.has(c.encounter[i] ?? -1)
}

export const rowFilter = (store: CandidStore, org: number, query: ListQuery, sinceField: UpdatedSinceField) => {
  const c = store.tasks.cols
  const enc = store.encounters.cols
  const checks: Array<(i: number) => boolean> = []
  for (const set of query.statusSets) checks.push((i) => set.has(c.status[i] ?? -1))
  for (const set of query.typeSets) checks.push((i) => set.has(c.type[i] ?? -1))
  const { categories, updatedSince, dateOfServiceMin: min, dateOfServiceMax: max } = query
  if (categories !== undefined) checks.push((i) => categories.has(c.category[i] ?? -1))
  if (updatedSince !== undefined) {
    const column = sinceField === "updated_at" ? c.updatedAt : c.aggUpdatedAt
    checks.push((i) => (column[i] ?? 0) >= updatedSince)
  }
  if (query.encounterId !== undefined) {
    const e = store.encounterIndex(query.encounterId)
    checks.push(e === undefined ? NOTHING : (i) => c.encounter[i] === e)
  }
  if (query.searchTerm !== undefined) checks.push(searchMatcher(store, query.searchTerm))
  if (query.assignedToId !== undefined) {
    const code = store.assigneeCode(org, query.assignedToId)
    checks.push(code === undefined ? NOTHING : (i) => c.assignee[i] === code)
  }
  if (min !== undefined) checks.push((i) => (enc.dateOfService[c.encounter[i] ?? 0] ?? 0) >= min)
  if (max !== undefined) checks.push((i) => (enc.dateOfService[c.encounter[i] ?? 0] ?? 0) <= max)
  if (query.billingProviderNpi !== undefined) {
    const provider = store.orgs[org]?.providers.findIndex((p) => p.npi === query.billingProviderNpi) ?? -1
    checks.push(provider < 0 ? NOTHING : (i) => enc.provider[c.encounter[i] ?? 0] === provider)
  }
  return (i: number): boolean => checks.every((check) => check(i))
}
