// What the API benchmark asks for, shared by its tRPC clients and its plain-SQL baseline so both read the same rows
// and write rows of the same kind: a rotation of inbox filters (50 rows each, newest first) and, for updates, a
// distinct task per call among the seed's Candid-only tasks (ids `b…5`: index ≡ 5 mod 10), the two sides' apart.

export interface ListVariant {
  readonly statuses?: ReadonlyArray<string>
  readonly assigneeKey?: string
  readonly assignee?: string
}

export const listVariants: ReadonlyArray<ListVariant> = [
  {},
  { statuses: ["open"] },
  { statuses: ["waiting", "in_progress"] },
  { assigneeKey: "user:u42", assignee: "u42" },
]

/** The tRPC input for variant `i`. */
export const listInput = (i: number) => {
  const v = listVariants[i % listVariants.length] ?? {}
  return {
    limit: 50,
    filter: {
      ...(v.statuses === undefined ? {} : { statuses: v.statuses }),
      ...(v.assignee === undefined ? {} : { assignees: [{ _tag: "User", id: v.assignee }] }),
    },
  }
}

/** The `n`-th of the seed's Candid-only tasks of the measured organization (90,000 of them). */
const candidTask = (n: number) => `b${String(10 * (n % 90_000) + 5).padStart(7, "0")}`

/**
 * The task the API's `i`-th update writes: the first 20,000 Candid-only tasks, each once (every call sends the
 * seed's version, so a task written twice would be refused; 20,000 is four times what 15 s of updates reach here).
 */
export const apiUpdateTarget = (i: number) => candidTask(i % 20_000)

/**
 * The task the plain-SQL baseline's `i`-th update writes: the other 70,000 in turn, never one the API's updates will
 * write, since the two sides' updates alternate in blocks.
 */
export const baselineUpdateTarget = (i: number) => candidTask(20_000 + (i % 70_000))
