// Vambe tasks as the API prints them (vendor-docs §2.4): snake_case, ISO timestamps with milliseconds, the status
// configuration object inlined, responsibles as `{responsible_id}`. The priority is an integer as the update doc
// says [D]; the get-tasks page says "low" | "medium" | "high", so the `priorityForm` option can make listings
// answer in that (or the "0"/"1"/"2" request) form, to exercise clients against all three.
import type { Priority, Task } from "./Model.ts"
import type { VambeStore } from "./Store.ts"

export type PriorityForm = "integer" | "string" | "word"

const WORDS = ["low", "medium", "high"] as const

const priorityWire = (priority: Priority, form: PriorityForm): number | string =>
  form === "integer" ? priority : form === "string" ? String(priority) : WORDS[priority]

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export const taskWire = (store: VambeStore, task: Task, form: PriorityForm = "integer") => {
  const status = store.status(task)
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    due_timezone: task.dueTimezone,
    due_at: iso(task.dueAt),
    is_all_day: task.isAllDay,
    created_at: iso(task.createdAt),
    ai_contact_id: task.aiContactId,
    ai_customer_id: task.aiCustomerId,
    task_status_config_id: task.statusId,
    priority: priorityWire(task.priority, form),
    creator_id: task.creatorId,
    task_responsibles: task.responsibles.map((responsible_id) => ({ responsible_id })),
    status_config:
      status === undefined
        ? null
        : { id: status.id, name: status.name, color: status.color, type: status.type, order: status.order },
  }
}
