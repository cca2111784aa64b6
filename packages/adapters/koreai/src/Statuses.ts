// An account's status and priority configuration as the adapter knows it. Kore.ai has no API that lists either
// (vendor-docs §3.3), so each is the connection's declared configuration (options) merged with what every listed or
// written task shows, kept per connection as facts (a restart reads them back), and turned into the domain's scheme
// (`koreaiScheme`, status category → canonical) and priority codec (`koreaiPriorityCodec`, system names and 1–15
// scores). A sighting replaces the entry with its `_id`, so a renamed or deactivated status never lingers twice.
import {
  type KoreaiPriorityObject,
  koreaiPriorityCodec,
  KoreaiPriorityObject as PriorityObject,
} from "@taskbridge/domain/PriorityKoreai"
import type { StatusScheme } from "@taskbridge/domain/StatusScheme"
import { KoreaiStatusConfig, koreaiCategory, koreaiScheme } from "@taskbridge/domain/schemes/Koreai"
import { Result, Schema } from "effect"
import type { Task, TaskPriority, TaskStatus } from "./Schema.ts"

/** What a connection remembers of its account's configuration. */
export const Learned = Schema.Struct({
  statuses: Schema.Array(KoreaiStatusConfig),
  priorities: Schema.Array(PriorityObject),
})
export type Learned = typeof Learned.Type

export const factKey = "koreai.configuration"

export const empty: Learned = { statuses: [], priorities: [] }

const byId = <A extends { readonly _id: string }>(current: ReadonlyArray<A>, seen: ReadonlyArray<A>) => {
  const next = new Map(current.map((a) => [a._id, a]))
  for (const a of seen) next.set(a._id, a)
  // A rename can leave another entry with the sighted name: the newest sighting wins the name.
  const names = new Map<string, A>()
  for (const a of next.values()) names.set((a as { readonly name?: string }).name ?? a._id, a)
  return [...names.values()]
}

export const toStatusConfig = (s: TaskStatus): KoreaiStatusConfig => ({
  _id: s._id,
  name: s.name,
  statusCategory: s.statusCategory,
  ...(s.isActive === undefined ? {} : { isActive: s.isActive }),
  ...(s.isEnabled === undefined ? {} : { isEnabled: s.isEnabled }),
})

/** The domain's priority object for a wire one, or undefined when its score is outside Kore.ai's 1–15. */
export const toPriorityObject = (p: TaskPriority): KoreaiPriorityObject | undefined => {
  const decoded = Schema.decodeUnknownResult(PriorityObject)({ ...p, type: p.type === "system" ? "system" : "custom" })
  return Result.isSuccess(decoded) ? decoded.success : undefined
}

/** The configuration after seeing `tasks`; statuses of an unknown category are left out (their tasks are flagged). */
export const learn = (current: Learned, tasks: ReadonlyArray<Task>): Learned => {
  const statuses = tasks.flatMap((t) =>
    t.status != null && t.status.name !== "" && koreaiCategory(t.status.statusCategory) !== undefined
      ? [toStatusConfig(t.status)]
      : [],
  )
  const priorities = tasks.flatMap((t) => {
    const p = t.priority == null ? undefined : toPriorityObject(t.priority)
    return p === undefined ? [] : [p]
  })
  if (statuses.length === 0 && priorities.length === 0) return current
  return { statuses: byId(current.statuses, statuses), priorities: byId(current.priorities, priorities) }
}

/** The configuration a connection starts with: what it learned, overridden by what its options declare. */
export const initial = (remembered: Learned, declared: Partial<Learned>): Learned => ({
  statuses: byId(remembered.statuses, declared.statuses ?? []),
  priorities: byId(remembered.priorities, declared.priorities ?? []),
})

/** The domain's scheme; inactive statuses are write-forbidden, and none is terminal (no rule is documented). */
export const schemeOf = (learned: Learned): Result.Result<StatusScheme, string> =>
  Result.mapError(koreaiScheme({ statuses: learned.statuses }), (error) => error.message)

export const priorityCodecOf = (learned: Learned) => koreaiPriorityCodec(learned.priorities)
