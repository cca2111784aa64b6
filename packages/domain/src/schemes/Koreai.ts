// Kore.ai case-management task statuses are admin-configured objects grouped by a status category
// (Open, In Progress, On Hold, Resolved, Closed); inactive ones "cannot be used anywhere". Built from configuration.
// https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task
import { Result, Schema } from "effect"
import type { CanonicalStatus } from "../Status.ts"
import { findRepeat, type StatusScheme, status } from "../StatusScheme.ts"
import { SchemeConfigError } from "./SchemeConfigError.ts"

export const KoreaiStatusConfig = Schema.Struct({
  _id: Schema.String,
  name: Schema.NonEmptyString,
  statusCategory: Schema.String,
  isActive: Schema.optionalKey(Schema.Boolean),
  isEnabled: Schema.optionalKey(Schema.Boolean),
})
export type KoreaiStatusConfig = typeof KoreaiStatusConfig.Type

// Only "open" is seen on the wire (vendor-docs §3.5); the others are normalised so "In Progress", "in_progress"
// and "inprogress" all land in the same category instead of being guessed at.
const categories: Record<string, CanonicalStatus> = {
  open: "open",
  inprogress: "in_progress",
  onhold: "waiting",
  resolved: "done",
  closed: "done",
}

export const koreaiCategory = (statusCategory: string): CanonicalStatus | undefined =>
  categories[statusCategory.toLowerCase().replace(/[^a-z]/g, "")]

export interface KoreaiSchemeOptions {
  readonly statuses: ReadonlyArray<KoreaiStatusConfig>
  /** Kore.ai documents no edit rule for closed tasks, so nothing is terminal unless the tenant says so. */
  readonly terminalCategories?: ReadonlyArray<CanonicalStatus>
}

export const koreaiScheme = (options: KoreaiSchemeOptions): Result.Result<StatusScheme, SchemeConfigError> => {
  const terminal = new Set(options.terminalCategories ?? [])
  const built = []
  for (const [position, s] of options.statuses.entries()) {
    const category = koreaiCategory(s.statusCategory)
    if (category === undefined) {
      const detail = `status '${s.name}' has unknown statusCategory '${s.statusCategory}'`
      return Result.fail(new SchemeConfigError({ vendor: "koreai", detail }))
    }
    const inactive = s.isActive === false || s.isEnabled === false
    built.push(
      status(s.name, position, category, {
        vendorId: s._id,
        writeForbidden: inactive,
        terminal: terminal.has(category),
      }),
    )
  }
  const [first, ...rest] = built
  if (first === undefined) return Result.fail(new SchemeConfigError({ vendor: "koreai", detail: "no statuses" }))
  const repeated = findRepeat(built)
  if (repeated !== undefined) {
    return Result.fail(new SchemeConfigError({ vendor: "koreai", detail: `'${repeated}' appears twice` }))
  }
  return Result.succeed({
    vendor: "koreai",
    addressing: "name",
    transitions: "any",
    freezesOnTerminal: false,
    preferred: {},
    statuses: [first, ...rest],
  })
}
