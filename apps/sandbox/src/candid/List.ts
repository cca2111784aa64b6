// Listing tasks: picks the live updated_at / agg_updated_at index when the sort is on one of them (O(page)
// via binary search from `updated_since` or the cursor), otherwise sorts the filtered set once and caches
// that snapshot until the store changes (O(n log n) for the first page, O(page) for the rest).

import { decodeToken, encodeToken, page, type SortedView, snapshot } from "../framework/Paging.ts"
import { hash32 } from "../framework/Prng.ts"
import { rowFilter, type UpdatedSinceField } from "./Filter.ts"
import { type ListQuery, QueryError } from "./Query.ts"
import { sortKey } from "./Sorts.ts"
import type { CandidStore } from "./Store.ts"
import { toWire, type WireTask } from "./Wire.ts"

export interface TaskPage {
  readonly items: ReadonlyArray<WireTask>
  readonly next_page_token: string | null
  readonly prev_page_token: string | null
}

const fingerprintOf = (org: number, canonical: string): string => {
  let h = hash32(org)
  for (let i = 0; i < canonical.length; i++) h = hash32(h, canonical.charCodeAt(i))
  return h.toString(36)
}

const snapshots = new WeakMap<CandidStore, Map<string, SortedView>>()

const snapshotFor = (store: CandidStore, org: number, query: ListQuery, accept: (i: number) => boolean, fp: string) => {
  const cache = snapshots.get(store) ?? new Map<string, SortedView>()
  snapshots.set(store, cache)
  const key = `${fp}@${store.version}`
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  const log = store.updatedLogs[org]
  const ids: Array<number> = []
  for (let p = 0; log !== undefined && p < log.length; p++) {
    const id = log.id(p)
    if (id >= 0 && accept(id)) ids.push(id)
  }
  const view = snapshot(ids, sortKey(store, query.sort))
  // A few recent snapshots are enough for a client paging through one listing at a time.
  if (cache.size >= 8) cache.clear()
  cache.set(key, view)
  return view
}

export const listTasks = (
  store: CandidStore,
  org: number,
  query: ListQuery,
  sinceField: UpdatedSinceField,
): TaskPage => {
  const fingerprint = fingerprintOf(org, query.canonical)
  const token = query.pageToken === undefined ? undefined : decodeToken(query.pageToken)
  // [I] The docs don't say how a bad token fails; a 422 like the other parameter errors.
  if (query.pageToken !== undefined && token?.fingerprint !== fingerprint) throw new QueryError("Invalid page_token")
  const accept = rowFilter(store, org, query, sinceField)
  const indexed = query.sort === "updated_at" || query.sort === "agg_updated_at"
  const log = query.sort === "updated_at" ? store.updatedLogs[org] : store.aggLogs[org]
  const view = indexed && log !== undefined ? log : snapshotFor(store, org, query, accept, fingerprint)
  // agg_updated_at >= updated_at, so an updated_at bound also bounds an agg_updated_at walk.
  const bounded = query.sort === sinceField || (sinceField === "updated_at" && query.sort === "agg_updated_at")
  const result = page({
    view,
    descending: query.descending,
    limit: query.limit,
    accept: indexed ? accept : () => true,
    ...(token === undefined ? {} : { cursor: { at: token.cursor, direction: token.direction } }),
    ...(indexed && bounded && query.updatedSince !== undefined ? { minKey: query.updatedSince } : {}),
  })
  return {
    items: result.ids.map((i) => toWire(store, i)),
    next_page_token:
      result.hasNext && result.last ? encodeToken({ direction: "next", cursor: result.last, fingerprint }) : null,
    prev_page_token:
      result.hasPrev && result.first ? encodeToken({ direction: "prev", cursor: result.first, fingerprint }) : null,
  }
}
