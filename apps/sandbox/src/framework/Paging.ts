// Keyset paging over any sorted view: pages walk from a cursor (the last row's sort key + tie-breaker), never
// from an offset, so a page costs O(page) plus skipped rows and concurrent edits don't shift other rows.
// Opaque page tokens carry the cursor, the direction and a fingerprint of the filters that produced them.

/** Rows in ascending (key, tie) order; `id` is negative for a tombstone to skip. */
export interface SortedView {
  readonly length: number
  readonly key: (position: number) => number
  readonly tie: (position: number) => number
  readonly id: (position: number) => number
  readonly lowerBound: (key: number, tie: number) => number
}

export interface Cursor {
  readonly key: number
  readonly tie: number
}

export interface PageQuery {
  readonly view: SortedView
  readonly descending: boolean
  readonly limit: number
  /** Continue after this row (next page) or end before it (previous page). */
  readonly cursor?: { readonly at: Cursor; readonly direction: "next" | "prev" }
  readonly accept: (id: number) => boolean
  /** Every acceptable row has key >= minKey, so a walk toward smaller keys may stop there. */
  readonly minKey?: number
  /** Every acceptable row has key <= maxKey (a date window's end), so a walk toward larger keys may stop there. */
  readonly maxKey?: number
}

export interface Page {
  readonly ids: Array<number>
  readonly first: Cursor | undefined
  readonly last: Cursor | undefined
  readonly hasNext: boolean
  readonly hasPrev: boolean
}

/** Start position and step of a walk, expressed in storage (ascending) order. */
const walkPlan = (query: PageQuery): { start: number; step: 1 | -1 } => {
  const { view, cursor, descending, minKey, maxKey } = query
  const forward = cursor === undefined || cursor.direction === "next"
  const upward = forward !== descending
  // Where the bounds put the walk's first row; a cursor from an earlier, wider query may lie outside them.
  const lowest = minKey === undefined ? 0 : view.lowerBound(minKey, -Infinity)
  const highest = maxKey === undefined ? view.length - 1 : view.lowerBound(maxKey, Infinity) - 1
  if (cursor === undefined) return upward ? { start: lowest, step: 1 } : { start: highest, step: -1 }
  const { key, tie } = cursor.at
  return upward
    ? { start: Math.max(lowest, view.lowerBound(key, tie + 0.5)), step: 1 }
    : { start: Math.min(highest, view.lowerBound(key, tie) - 1), step: -1 }
}

export const page = (query: PageQuery): Page => {
  const { view, limit, minKey, maxKey } = query
  const { start, step } = walkPlan(query)
  const positions: Array<number> = []
  for (let p = start; p >= 0 && p < view.length && positions.length <= limit; p += step) {
    if (step < 0 && minKey !== undefined && view.key(p) < minKey) break
    if (step > 0 && maxKey !== undefined && view.key(p) > maxKey) break
    const id = view.id(p)
    if (id >= 0 && query.accept(id)) positions.push(p)
  }
  const more = positions.length > limit
  const kept = positions.slice(0, limit)
  const backward = query.cursor?.direction === "prev"
  if (backward) kept.reverse()
  const at = (p: number | undefined): Cursor | undefined =>
    p === undefined ? undefined : { key: view.key(p), tie: view.tie(p) }
  return {
    ids: kept.map((p) => view.id(p)),
    first: at(kept[0]),
    last: at(kept[kept.length - 1]),
    hasNext: backward ? true : more,
    hasPrev: backward ? more : query.cursor !== undefined,
  }
}

/** A sorted copy of a filtered row set, for sort keys no live index keeps; ties break by row id. */
export const snapshot = (ids: ArrayLike<number>, keyOf: (id: number) => number): SortedView => {
  const n = ids.length
  const order = new Uint32Array(n)
  const keys = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    order[i] = ids[i] ?? 0
    keys[i] = keyOf(ids[i] ?? 0)
  }
  const perm = new Uint32Array(n)
  for (let i = 0; i < n; i++) perm[i] = i
  perm.sort((a, b) => {
    const ka = keys[a] ?? 0
    const kb = keys[b] ?? 0
    return ka < kb ? -1 : ka > kb ? 1 : (order[a] ?? 0) - (order[b] ?? 0)
  })
  const sortedIds = new Uint32Array(n)
  const sortedKeys = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    sortedIds[i] = order[perm[i] ?? 0] ?? 0
    sortedKeys[i] = keys[perm[i] ?? 0] ?? 0
  }
  const key = (p: number) => sortedKeys[p] ?? Number.NaN
  const id = (p: number) => sortedIds[p] ?? -1
  const lowerBound = (k: number, t: number) => {
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (key(mid) < k || (key(mid) === k && id(mid) < t)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  return { length: n, key, tie: id, id, lowerBound }
}

export interface TokenBody {
  readonly direction: "next" | "prev"
  readonly cursor: Cursor
  readonly fingerprint: string
}

/** base64url(JSON); Infinity (a null sort value, ordered last) is written as null. */
export const encodeToken = (token: TokenBody): string =>
  Buffer.from(
    JSON.stringify({
      d: token.direction === "next" ? "n" : "p",
      k: Number.isFinite(token.cursor.key) ? token.cursor.key : null,
      t: token.cursor.tie,
      f: token.fingerprint,
    }),
  ).toString("base64url")

export const decodeToken = (raw: string): TokenBody | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"))
    if (typeof value !== "object" || value === null) return undefined
    const { d, k, t, f } = value as Record<string, unknown>
    if ((d !== "n" && d !== "p") || typeof t !== "number" || typeof f !== "string") return undefined
    if (k !== null && typeof k !== "number") return undefined
    return { direction: d === "n" ? "next" : "prev", cursor: { key: k ?? Infinity, tie: t }, fingerprint: f }
  } catch {
    return undefined
  }
}
