// Deletions at the vendor, safely: a record the adapter reports deleted, or that a complete listing no longer holds
// (mark and sweep), gets a tombstone on its link; a task none of whose links is alive is soft-deleted with a history
// entry (it stays readable and restorable); a deleted record with local changes still waiting opens a `deleted`
// conflict instead of losing them. A listing that would delete more than the connection's allowed share is held for an
// operator, who confirms or rejects it — an empty or partial listing must never wipe data.
import type { ConnectionSummary } from "@taskbridge/db/ConnectionRepository"
import type { TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import {
  ConflictRepository,
  deletedField,
  HeldDeletionRepository,
  HistoryRepository,
  LinkRepository,
  OutboxRepository,
  TaskRepository,
} from "@taskbridge/domain/ports/Repositories"
import type { Sweep } from "@taskbridge/domain/ports/VendorAdapter"
import { Task } from "@taskbridge/domain/Task"
import { type DateTime, Effect } from "effect"
import { deletionGuard } from "./Fields.ts"

type Origin = "pull" | "webhook"

/** Tombstones `records` of `connection` (the vendor deleted them) and soft-deletes the tasks left with no live link. */
export const tombstone = Effect.fn("Deletions.tombstone")(function* (
  connection: ConnectionSummary,
  origin: Origin,
  records: ReadonlyArray<VendorRecordId>,
  now: DateTime.Utc,
) {
  const gone = yield* (yield* LinkRepository).tombstone(connection.id, records, now)
  if (gone.length === 0) return
  const goneRecords = new Set<string>(gone.map((g) => g.recordId))
  const taskIds = [...new Set(gone.map((g) => g.taskId))]
  const tasks = yield* TaskRepository
  const current = yield* tasks.getMany(connection.organizationId, taskIds, { lock: true })
  const updates = [...current.values()].map((task) => {
    const links = task.links.map((l) =>
      l.connectionId === connection.id && goneRecords.has(l.recordId) ? { ...l, deletedAt: now } : l,
    )
    const alive = links.some((l) => l.deletedAt === null)
    const next = Task.make({
      ...task,
      links,
      deletedAt: alive ? task.deletedAt : (task.deletedAt ?? now),
      updatedAt: now,
    })
    return { task: next, expectedVersion: task.version, deleted: !alive && task.deletedAt === null }
  })
  yield* tasks.updateMany(updates)
  yield* (yield* HistoryRepository).appendMany(
    updates.map(({ task, deleted }) => ({
      organizationId: task.organizationId,
      taskId: task.id,
      origin,
      actor: null,
      connectionId: connection.id,
      changes: deleted
        ? [{ field: deletedField, before: false, after: true }]
        : [{ field: "vendorRecord", before: connection.vendor, after: null }],
    })),
  )
  yield* pendingBecomeConflicts(connection, taskIds)
})

/** Local changes still waiting for a record the vendor deleted cannot be sent: they become a conflict to decide. */
const pendingBecomeConflicts = Effect.fn("Deletions.pendingBecomeConflicts")(function* (
  connection: ConnectionSummary,
  taskIds: ReadonlyArray<TaskId>,
) {
  const waiting = yield* (yield* OutboxRepository).unfinished(connection.id, taskIds)
  if (waiting.length === 0) return
  const byTask = new Map<TaskId, Array<string>>()
  for (const entry of waiting) byTask.set(entry.taskId, [...(byTask.get(entry.taskId) ?? []), ...entry.fields])
  yield* (yield* ConflictRepository).recordMany(
    [...byTask.entries()].map(([taskId, fields]) => ({
      organizationId: connection.organizationId,
      taskId,
      connectionId: connection.id,
      field: deletedField,
      base: false,
      local: { unsent: [...new Set(fields)] },
      remote: true,
    })),
  )
})

/**
 * The end of a complete listing: what it did not see (among the records linked before it started) is gone at the
 * vendor. Within the connection's allowed share it is tombstoned now; beyond it, it is held for an operator.
 */
export const finishSweep = Effect.fn("Deletions.finishSweep")(function* (
  connection: ConnectionSummary,
  origin: Origin,
  sweep: Sweep,
  now: DateTime.Utc,
) {
  const { records, live } = yield* (yield* LinkRepository).unseen(connection.id, sweep.generation, sweep.startedAt)
  const held = yield* HeldDeletionRepository
  if (records.length === 0) return yield* held.drop(connection.id)
  const share = records.length / Math.max(live, 1)
  const allowed = deletionGuard(connection.options)
  if (share > allowed) {
    yield* held.hold({
      organizationId: connection.organizationId,
      connectionId: connection.id,
      generation: sweep.generation,
      records,
      live,
    })
    return yield* Effect.logWarning(
      `held a deletion of ${records.length} of ${live} records at connection ${connection.id}: more than ` +
        `${Math.round(allowed * 100)}% of them; an operator must confirm it`,
    )
  }
  yield* held.drop(connection.id)
  yield* tombstone(connection, origin, records, now)
})
