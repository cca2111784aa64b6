// What the edit form may offer for one work item. It reads `tasks.editability` once the API has it; until then every
// field is offered and the API's own validation (PatchRejected, InvalidTransition) explains a refusal after the fact.
import type { Task } from "../lib/trpc.ts"

export interface FieldRule {
  readonly editable: boolean
  readonly reason?: string
}

export interface Editability {
  readonly field: (name: string) => FieldRule
  /** Canonical statuses the item may move to; undefined when unknown (all are offered). */
  readonly statuses: ReadonlyArray<string> | undefined
  readonly statusReasons: ReadonlyArray<string>
}

const open: FieldRule = { editable: true }

export const useEditability = (_task: Task, canEdit: boolean): Editability => ({
  field: () => (canEdit ? open : { editable: false, reason: "Your role can only read." }),
  statuses: undefined,
  statusReasons: [],
})
