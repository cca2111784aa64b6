// Per-field three-way merge of a record (base = last synced vendor state, local, remote): edits on one side win,
// identical edits agree, list fields merge as sets where allowed, and overlapping edits follow the field's policy.
import { DateTime, Equal, Schema } from "effect"

export const FieldPolicy = Schema.Literals(["remote-wins", "local-wins", "newest-wins", "manual"])
export type FieldPolicy = typeof FieldPolicy.Type

/** For `newest-wins`: when each side last changed. Without both, the field cannot be decided and conflicts. */
export interface Timestamps {
  readonly localUpdatedAt?: DateTime.Utc
  readonly remoteUpdatedAt?: DateTime.Utc
}

export interface MergeOptions<A> extends Timestamps {
  readonly policy: { readonly [K in keyof A]?: FieldPolicy }
  readonly defaultPolicy: FieldPolicy
  /** List fields whose vendor takes the whole set each write, so concurrent adds and removes can both apply. */
  readonly setFields?: ReadonlyArray<keyof A>
}

export interface FieldConflict<A, K extends keyof A = keyof A> {
  readonly field: K
  readonly base: A[K]
  readonly local: A[K]
  readonly remote: A[K]
}

export interface MergeResult<A> {
  /** The reconciled record. A field in conflict keeps the local value until someone resolves it. */
  readonly merged: A
  readonly conflicts: ReadonlyArray<FieldConflict<A>>
}

type Outcome<V> = { readonly value: V; readonly conflict: boolean }

const setMerge = (base: ReadonlyArray<unknown>, local: ReadonlyArray<unknown>, remote: ReadonlyArray<unknown>) => {
  const has = (list: ReadonlyArray<unknown>, item: unknown) => list.some((x) => Equal.equals(x, item))
  const removed = (side: ReadonlyArray<unknown>) => base.filter((item) => !has(side, item))
  const gone = [...removed(local), ...removed(remote)]
  const result: Array<unknown> = []
  for (const item of [...local, ...remote]) {
    if (!has(gone, item) && !has(result, item)) result.push(item)
  }
  return result
}

const decide = <V>(policy: FieldPolicy, local: V, remote: V, options: Timestamps): Outcome<V> => {
  switch (policy) {
    case "remote-wins":
      return { value: remote, conflict: false }
    case "local-wins":
      return { value: local, conflict: false }
    case "manual":
      return { value: local, conflict: true }
    case "newest-wins": {
      const { localUpdatedAt: l, remoteUpdatedAt: r } = options
      if (l === undefined || r === undefined) return { value: local, conflict: true }
      // On a tie the vendor wins: it is the system of record for its own record.
      return { value: DateTime.isGreaterThan(l, r) ? local : remote, conflict: false }
    }
  }
}

/** Merge one field; exported so the sync engine can re-run a single field when a conflict is resolved. */
export const mergeField = <V>(
  base: V,
  local: V,
  remote: V,
  policy: FieldPolicy,
  asSet: boolean,
  options: Timestamps,
): Outcome<V> => {
  if (Equal.equals(local, remote)) return { value: local, conflict: false }
  if (Equal.equals(local, base)) return { value: remote, conflict: false }
  if (Equal.equals(remote, base)) return { value: local, conflict: false }
  if (asSet && Array.isArray(base) && Array.isArray(local) && Array.isArray(remote)) {
    return { value: setMerge(base, local, remote) as V, conflict: false }
  }
  return decide(policy, local, remote, options)
}

export const merge = <A extends object>(base: A, local: A, remote: A, options: MergeOptions<A>): MergeResult<A> => {
  const merged = { ...local }
  const conflicts: Array<FieldConflict<A>> = []
  const setFields = new Set<keyof A>(options.setFields ?? [])
  for (const field of Object.keys(local) as Array<keyof A>) {
    const policy = options.policy[field] ?? options.defaultPolicy
    const outcome = mergeField(base[field], local[field], remote[field], policy, setFields.has(field), options)
    merged[field] = outcome.value
    if (outcome.conflict) conflicts.push({ field, base: base[field], local: local[field], remote: remote[field] })
  }
  return { merged, conflicts }
}

/** Fields whose values differ between two versions of a record (what a push or a history entry must carry). */
export const changedFields = <A extends object>(before: A, after: A): ReadonlyArray<keyof A> =>
  (Object.keys(after) as Array<keyof A>).filter((field) => !Equal.equals(before[field], after[field]))
