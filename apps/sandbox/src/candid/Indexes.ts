// The per-organization updated_at and agg_updated_at indexes over the task columns. Each log records its
// rows' positions in the task table's posUpdated / posAgg columns, so an edit finds its old slot in O(1).
import { OrderedLog, type Positions } from "../framework/OrderedLog.ts"
import type { Table } from "../framework/Table.ts"
import type { TASK_COLUMNS } from "./Model.ts"

type Tasks = Table<typeof TASK_COLUMNS>

/** Reads the column through the table on every call, because growing the table replaces its arrays. */
const positionsIn = (tasks: Tasks, name: "posUpdated" | "posAgg"): Positions => ({
  get: (id) => tasks.cols[name][id] ?? -1,
  set: (id, position) => {
    tasks.cols[name][id] = position
  },
})

export interface Indexes {
  readonly updated: Array<OrderedLog>
  readonly agg: Array<OrderedLog>
}

export const buildIndexes = (tasks: Tasks, organizations: number): Indexes => {
  const byOrg = Array.from({ length: organizations }, () => [] as Array<number>)
  const c = tasks.cols
  for (let i = 0; i < tasks.length; i++) byOrg[c.org[i] ?? 0]?.push(i)
  const build = (key: "updatedAt" | "aggUpdatedAt", positions: "posUpdated" | "posAgg") =>
    byOrg.map((ids) => OrderedLog.build(Uint32Array.from(ids), (id) => c[key][id] ?? 0, positionsIn(tasks, positions)))
  return { updated: build("updatedAt", "posUpdated"), agg: build("aggUpdatedAt", "posAgg") }
}
