// What the API benchmark asks for, shared by its tRPC clients and its plain-SQL baseline so both read and write the
// same rows: a rotation of inbox filters (50 rows each, newest first) and, for updates, a distinct task per call
// among the seed's Candid-only tasks (ids `b…5`: index ≡ 5 mod 10), so no two calls collide on a version.

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

/** The task the `i`-th update writes: every Candid-only task of the measured organization in turn. */
export const updateTarget = (i: number) => `b${String(10 * (i % 90_000) + 5).padStart(7, "0")}`
