// An organization's status configuration as Vambe reveals it: there is no endpoint that lists it (vendor-docs §2.3),
// so it is learned from the `status_config` of every task a listing or a write answer shows, kept per connection
// (the scheme, and the raw configs as a fact so a restart reads them back), and turned into the domain's scheme with
// `done` / `master_done` terminal. A type newer than the documented four is kept, flagged, and read as in progress.
import { known } from "@taskbridge/adapter-kit/Enums"
import type { CanonicalStatus } from "@taskbridge/domain/Status"
import type { StatusScheme } from "@taskbridge/domain/StatusScheme"
import { type VambeStatusConfig, type VambeStatusType, vambeScheme } from "@taskbridge/domain/schemes/Vambe"
import { Result, Schema } from "effect"
import type { StatusConfig } from "./Schema.ts"

/** A type we do not know is neither a start nor an end: in progress, never terminal, flagged on the record. */
export const unknownTypeFallback: VambeStatusType = "in_progress"

const typeTable: Readonly<Record<string, VambeStatusType>> = {
  initial: "initial",
  in_progress: "in_progress",
  done: "done",
  master_done: "master_done",
}

const categories: Readonly<Record<VambeStatusType, CanonicalStatus>> = {
  initial: "open",
  in_progress: "in_progress",
  done: "done",
  master_done: "done",
}

export const toStatusType = (type: string) => known("status_config.type", type, typeTable, unknownTypeFallback)

export const categoryOf = (config: StatusConfig): CanonicalStatus => categories[toStatusType(config.type).value]

/** What a connection remembers: every status seen, by id. */
export const Learned = Schema.Array(
  Schema.Struct({ id: Schema.String, name: Schema.NonEmptyString, type: Schema.String, order: Schema.Int }),
)
export type Learned = typeof Learned.Type

export const factKey = "vambe.statusConfigs"

/**
 * The learned list after seeing `configs`: a sighting replaces any entry with its id, name or position, since an
 * admin may rename or reorder statuses and a stale entry would make names or positions ambiguous.
 */
export const learn = (current: Learned, configs: ReadonlyArray<StatusConfig>): Learned => {
  let next = [...current]
  for (const c of configs) {
    if (c.name === "") continue
    const seen = next.find((s) => s.id === c.id)
    if (seen !== undefined && seen.name === c.name && seen.order === c.order && seen.type === c.type) continue
    next = next.filter((s) => s.id !== c.id && s.name !== c.name && s.order !== c.order)
    next.push({ id: c.id, name: c.name, type: c.type, order: c.order })
  }
  return next.sort((a, b) => a.order - b.order)
}

/** The domain's scheme for the learned statuses; `done` and `master_done` are terminal (the rule). */
export const schemeOf = (learned: Learned): Result.Result<StatusScheme, string> => {
  const statuses: Array<VambeStatusConfig> = learned.map((s) => ({
    id: s.id,
    name: s.name,
    order: s.order,
    type: toStatusType(s.type).value,
  }))
  return Result.mapError(vambeScheme({ statuses, terminalTypes: ["done", "master_done"] }), (error) => error.message)
}
