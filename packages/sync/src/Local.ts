// A local change to a work item of any kind (API call or conflict resolution): validated against the task's state
// machine and every live linked vendor's capabilities and scheme before it is accepted — nothing is stored or queued
// otherwise — then the task, its history and one outbox row per vendor that must hear about it are written in one
// transaction. Pushing those rows is Push.ts's job.
import { randomUUID } from "node:crypto"
import { PatchRejected, VersionConflict } from "@taskbridge/domain/Errors"
import type { OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import type { TaskPatch } from "@taskbridge/domain/Patch"
import { type AcceptedPatch, type LinkedVendor, validatePatch } from "@taskbridge/domain/PatchValidation"
import type { HistoryOrigin } from "@taskbridge/domain/ports/Repositories"
import { OutboxRepository, TaskRepository, Transactor } from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { isClosed } from "@taskbridge/domain/Status"
import { Task } from "@taskbridge/domain/Task"
import type { RecordChange } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Result } from "effect"
import { fieldChanges, fieldsOf, writableFields } from "./Fields.ts"
import { recordLocal } from "./History.ts"

const pushable = ["title", "description", "priority", "due", "assignees", "tags"] as const

/** What one linked vendor must be told: the changed fields it holds writable, its new status, a note, its fields. */
export const changeFor = (vendor: LinkedVendor, accepted: AcceptedPatch, patch: TaskPatch): RecordChange | null => {
  const writable = writableFields(vendor.capabilities)
  const fields = Object.fromEntries(
    pushable.filter((f) => accepted.changed.includes(f) && writable.includes(f)).map((f) => [f, accepted.fields[f]]),
  )
  const status = accepted.vendorStatuses.find((s) => s.link.id === vendor.link.id)?.status.name
  const note = patch.note !== undefined && writable.includes("notes") ? patch.note : undefined
  const extension = patch.extension?._tag === vendor.link.vendor ? patch.extension : undefined
  const change: RecordChange = {
    fields,
    ...(status === undefined ? {} : { vendorStatus: status }),
    ...(note === undefined ? {} : { note }),
    ...(extension === undefined ? {} : { extension }),
  }
  const empty =
    Object.keys(fields).length === 0 && status === undefined && note === undefined && extension === undefined
  return empty ? null : change
}

/** The vendors a change must reach: every link whose record the vendor has not deleted. */
export const linkedVendors = (task: Task) =>
  Effect.gen(function* () {
    const adapters = yield* VendorAdapters
    return yield* Effect.forEach(
      task.links.filter((link) => link.deletedAt === null),
      (link) =>
        Effect.gen(function* () {
          const adapter = yield* adapters.forConnection(link.connectionId)
          return { link, capabilities: adapter.manifest.capabilities, scheme: yield* adapter.statusScheme }
        }),
    )
  })

export interface LocalChange {
  readonly organizationId: OrganizationId
  readonly id: TaskId
  readonly expectedVersion: number
  readonly patch: TaskPatch
  /** Who asked: the API token's name, or the resolver of a conflict. */
  readonly actor: string
  readonly origin: Extract<HistoryOrigin, "api" | "conflict-resolution">
}

/** The task as the caller saw it: another version means someone changed it since (optimistic concurrency). */
const atVersion = Effect.fn("Local.atVersion")(function* (input: {
  readonly organizationId: OrganizationId
  readonly id: TaskId
  readonly expectedVersion: number
}) {
  const task = yield* (yield* TaskRepository).get(input.organizationId, input.id)
  if (task.version === input.expectedVersion) return task
  return yield* new VersionConflict({
    id: task.id,
    expectedVersion: input.expectedVersion,
    currentVersion: task.version,
  })
})

export const updateTask = Effect.fn("Local.updateTask")(function* (input: LocalChange) {
  const tasks = yield* TaskRepository
  const task = yield* atVersion(input)
  if (task.deletedAt !== null) {
    const message = "the vendor deleted this work item; restore it before editing"
    return yield* new PatchRejected({ violations: [{ field: "id", rule: "deleted-at-vendor", vendor: null, message }] })
  }
  const linked = yield* linkedVendors(task)
  const accepted = validatePatch(task, input.patch, linked)
  if (Result.isFailure(accepted)) return yield* accepted.failure
  const now = yield* DateTime.now
  const fields = accepted.success.fields
  const note = input.patch.note
  const next = Task.make({
    ...task,
    ...fields,
    closedAt: isClosed(fields.status) ? (task.closedAt ?? now) : null,
    notes:
      note === undefined
        ? task.notes
        : [...task.notes, { id: randomUUID(), author: input.actor, at: now, text: note, origin: "local" }],
    updatedAt: now,
  })
  return yield* (yield* Transactor).atomically(
    Effect.gen(function* () {
      const stored = yield* tasks.update(next, input.expectedVersion)
      const changes = fieldChanges(fieldsOf(task), fieldsOf(stored))
      const noteChange = note === undefined ? [] : [{ field: "notes", before: null, after: note }]
      yield* recordLocal(task, input.actor, input.origin, [...changes, ...noteChange])
      // One row per vendor that must hear about it, all in one statement (a task linked to three vendors is one
      // round trip, not three).
      const entries = linked.flatMap((vendor) => {
        const change = changeFor(vendor, accepted.success, input.patch)
        if (change === null) return []
        return [
          {
            organizationId: task.organizationId,
            connectionId: vendor.link.connectionId,
            taskId: task.id,
            recordId: vendor.link.recordId,
            payload: { operation: "update" as const, change },
          },
        ]
      })
      const queued = yield* (yield* OutboxRepository).enqueueMany(entries)
      return { task: stored, queued }
    }),
  )
})

export interface Restore {
  readonly organizationId: OrganizationId
  readonly id: TaskId
  readonly expectedVersion: number
  readonly actor: string
}

/** An operator brings back a work item the vendor deleted: it lives on locally (its vendor links stay tombstoned). */
export const restoreTask = Effect.fn("Local.restoreTask")(function* (input: Restore) {
  const tasks = yield* TaskRepository
  const task = yield* atVersion(input)
  if (task.deletedAt === null) return task
  const now = yield* DateTime.now
  return yield* (yield* Transactor).atomically(
    Effect.gen(function* () {
      const stored = yield* tasks.update(Task.make({ ...task, deletedAt: null, updatedAt: now }), input.expectedVersion)
      yield* recordLocal(task, input.actor, "api", [{ field: "deleted", before: true, after: false }])
      return stored
    }),
  )
})
