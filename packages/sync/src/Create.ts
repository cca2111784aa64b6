// Creating a work item locally, optionally at a vendor (of the kind that vendor holds): the task and (for a vendor) one
// `create` outbox row are written in one transaction; the push sends it, and a retried attempt first looks the record
// up (`findCreated`) so a create whose answer was lost is linked, never made twice.
import { randomUUID } from "node:crypto"
import { StatusNotWritable } from "@taskbridge/domain/Errors"
import type { VendorExtension } from "@taskbridge/domain/Extension"
import { type ConnectionId, type OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import { OutboxRepository, TaskRepository, Transactor } from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { isClosed } from "@taskbridge/domain/Status"
import { resolve } from "@taskbridge/domain/StatusScheme"
import { type Subjects, Task, type TaskFields } from "@taskbridge/domain/Task"
import { DateTime, Effect, Result } from "effect"
import { creationChanges } from "./Fields.ts"
import { recordLocal } from "./History.ts"

export interface NewTask {
  readonly organizationId: OrganizationId
  readonly fields: TaskFields
  readonly subjects: Subjects
  /** Create it at this vendor connection too; the vendor's own fields (e.g. Candid's task type) in `extension`. */
  readonly connectionId?: ConnectionId | undefined
  readonly extension?: VendorExtension | null | undefined
  readonly actor: string
}

export const createTask = Effect.fn("Create.createTask")(function* (input: NewTask) {
  const now = yield* DateTime.now
  const connection = input.connectionId
  const adapter = connection === undefined ? null : yield* (yield* VendorAdapters).forConnection(connection)
  const task = Task.make({
    ...input.fields,
    id: TaskId.make(randomUUID()),
    organizationId: input.organizationId,
    kind: adapter?.manifest.recordKind ?? "task",
    closedAt: isClosed(input.fields.status) ? now : null,
    subjects: input.subjects,
    notes: [],
    links: [],
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    version: 0,
  })
  const draft =
    adapter === null
      ? null
      : yield* Effect.gen(function* () {
          const scheme = yield* adapter.statusScheme
          const status = resolve(scheme, null, input.fields.status)
          if (Result.isFailure(status)) return yield* status.failure
          if (!adapter.manifest.capabilities.canCreate) {
            const reason = "it does not accept creates through its API"
            return yield* new StatusNotWritable({
              field: "connectionId",
              target: "create",
              vendor: scheme.vendor,
              reason,
            })
          }
          const snapshot = {
            fields: input.fields,
            vendorStatus: status.success.name,
            subjects: input.subjects,
            notes: [],
            extension: input.extension ?? null,
          }
          return { key: task.id, snapshot }
        })
  return yield* (yield* Transactor).atomically(
    Effect.gen(function* () {
      yield* (yield* TaskRepository).insert(task)
      yield* recordLocal(task, input.actor, "api", creationChanges(task))
      if (draft === null || connection === undefined) return { task, queued: [] }
      const entry = {
        organizationId: task.organizationId,
        connectionId: connection,
        taskId: task.id,
        recordId: null,
        payload: { operation: "create" as const, draft },
      }
      return { task, queued: [yield* (yield* OutboxRepository).enqueue(entry)] }
    }),
  )
})
