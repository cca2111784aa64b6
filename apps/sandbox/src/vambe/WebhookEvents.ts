// Vambe's outgoing webhooks for tasks: the topics a subscription may name and the body Vambe POSTs. The update doc
// says updates "may trigger" `task.updated`, `task.completed` and `task.reassigned` [D], while the documented topic
// list has no task topics [D: conflict, vendor-docs §2.7]; [I] the emulator accepts both sets and sends the three
// task events, in the documented payload shape `{event, timestamp, data}` with the task as `data`.
import type { WebhookHub } from "../framework/WebhookHub.ts"
import type { Task } from "./Model.ts"
import type { TaskEvent, VambeStore } from "./Store.ts"
import { taskWire } from "./Wire.ts"

export const TASK_TOPICS: ReadonlyArray<TaskEvent> = ["task.updated", "task.completed", "task.reassigned"]

/** [D: docs.vambe.me/docs/webhooks] plus the update doc's task events; `ticket.opened` is in the example answer. */
export const TOPICS: ReadonlyArray<string> = [
  "message.received",
  "message.sent",
  "ticket.created",
  "ticket.opened",
  "ticket.updated",
  "ticket.closed",
  "contact.created",
  "contact.updated",
  "stage.changed",
  ...TASK_TOPICS,
]

export type TaskSubject = { readonly taskId: string }

/** One delivery per event to every active subscription of the task's organization for that topic. */
export const announce = (
  hub: WebhookHub<TaskSubject>,
  store: VambeStore,
  task: Task,
  events: ReadonlyArray<TaskEvent>,
): void => {
  const organizationId = store.orgs[task.org]?.organizationId ?? ""
  for (const event of events) {
    hub.publish({ event, organizationId, subject: { taskId: task.id } }, () =>
      JSON.stringify({ event, timestamp: new Date(store.now()).toISOString(), data: taskWire(store, task) }),
    )
  }
}
