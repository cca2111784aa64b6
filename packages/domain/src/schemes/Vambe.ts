// Vambe task statuses are per organization: an ordered list, each with a type initial / in_progress / done /
// master_done, addressed by name or by position (never both). Built from the connection's configuration.
// https://docs.vambe.me/reference/tasks/update-task
import { Result, Schema } from "effect"
import type { CanonicalStatus } from "../Status.ts"
import { findRepeat, type StatusScheme, status } from "../StatusScheme.ts"
import { SchemeConfigError } from "./SchemeConfigError.ts"

export const VambeStatusType = Schema.Literals(["initial", "in_progress", "done", "master_done"])
export type VambeStatusType = typeof VambeStatusType.Type

export const VambeStatusConfig = Schema.Struct({
  name: Schema.NonEmptyString,
  type: VambeStatusType,
  order: Schema.Int,
  id: Schema.optionalKey(Schema.String),
})
export type VambeStatusConfig = typeof VambeStatusConfig.Type

const categoryOf: Record<VambeStatusType, CanonicalStatus> = {
  initial: "open",
  in_progress: "in_progress",
  done: "done",
  master_done: "done",
}

export interface VambeSchemeOptions {
  readonly statuses: ReadonlyArray<VambeStatusConfig>
  /** Vambe documents no rule that freezes a done task, so by default nothing is terminal. */
  readonly terminalTypes?: ReadonlyArray<VambeStatusType>
}

export const vambeScheme = (options: VambeSchemeOptions): Result.Result<StatusScheme, SchemeConfigError> => {
  const sorted = [...options.statuses].sort((a, b) => a.order - b.order)
  const terminal = new Set(options.terminalTypes ?? [])
  const [first, ...rest] = sorted.map((s) =>
    status(s.name, s.order, categoryOf[s.type], {
      terminal: terminal.has(s.type),
      ...(s.id === undefined ? {} : { vendorId: s.id }),
    }),
  )
  if (first === undefined) return Result.fail(new SchemeConfigError({ vendor: "vambe", detail: "no statuses" }))
  const duplicate = findRepeat([first, ...rest])
  if (duplicate !== undefined) {
    return Result.fail(new SchemeConfigError({ vendor: "vambe", detail: `'${duplicate}' appears twice` }))
  }
  // `master_done` is the organization's canonical "completed" bucket, so it wins "done" when both exist.
  const masterDone = sorted.find((s) => s.type === "master_done")?.name
  return Result.succeed({
    vendor: "vambe",
    addressing: "name-or-position",
    transitions: "any",
    freezesOnTerminal: false,
    preferred: masterDone === undefined ? {} : { done: masterDone },
    statuses: [first, ...rest],
  })
}
