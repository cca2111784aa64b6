// What the edit form may offer for one work item, from `tasks.editability`: per field whether it is editable (and
// why not — a terminal Spry request, Candid's read-only title, a CareValidate note that cannot be cleared), which
// canonical statuses are reachable, and the reasons for the rest. Viewers get everything read-only.
import { useQuery } from "@tanstack/react-query"
import { type Task, useTRPC } from "../lib/trpc.ts"

export interface FieldRule {
  readonly editable: boolean
  readonly clearable: boolean
  readonly reason?: string
}

export interface Editability {
  readonly loading: boolean
  readonly field: (name: string) => FieldRule
  /** Canonical statuses the item may move to; undefined while unknown (all are offered, the API still checks). */
  readonly statuses: ReadonlyArray<string> | undefined
  /** Why the unreachable statuses are not offered, one sentence each. */
  readonly statusReasons: ReadonlyArray<string>
}

const open: FieldRule = { editable: true, clearable: true }

export const useEditability = (task: Task, canEdit: boolean): Editability => {
  const trpc = useTRPC()
  const query = useQuery({ ...trpc.tasks.editability.queryOptions({ id: task.id as never }), enabled: canEdit })
  if (!canEdit)
    return {
      loading: false,
      field: () => ({ editable: false, clearable: false, reason: "Your role can only read." }),
      statuses: [],
      statusReasons: [],
    }
  const data = query.data
  if (data === undefined) return { loading: query.isPending, field: () => open, statuses: undefined, statusReasons: [] }
  const byField = new Map(data.fields.map((f) => [f.field as string, f]))
  return {
    loading: false,
    field: (name) => {
      const f = byField.get(name === "note" ? "notes" : name)
      if (f === undefined) return open
      const reason = f.reasons.map((r) => r.message).join("; ")
      return { editable: f.editable, clearable: f.clearable, ...(reason === "" ? {} : { reason }) }
    },
    statuses: data.statuses.filter((s) => s.reachable).map((s) => s.status),
    statusReasons: data.statuses
      .filter((s) => !s.reachable && s.reasons.length > 0)
      .map((s) => `Not ${s.status.replace("_", " ")}: ${s.reasons[0]?.message ?? "not allowed"}.`),
  }
}
