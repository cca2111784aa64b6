// Sending queued local changes to a vendor, oldest first per record. A change whose earlier attempt may have
// reached the vendor is reconciled before anything is sent again (a create is looked up, an update is compared with
// the vendor's current state), so a crash mid-push never writes twice. The vendor's answer becomes the merge base;
// permanent failures become dead letters carrying the vendor's words.

import { SyncError, Validation } from "@taskbridge/domain/Errors"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import {
  ConflictRepository,
  HistoryRepository,
  LinkRepository,
  type OutboxEntry,
  OutboxRepository,
  type SubjectKey,
  TaskRepository,
  Transactor,
} from "@taskbridge/domain/ports/Repositories"
import type { RecordChange, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Equal } from "effect"
import { settleEscalation } from "./Escalations.ts"
import { fieldChanges, fieldsOf } from "./Fields.ts"
import { recordHash } from "./Hash.ts"
import { applyRecordNow, type Target } from "./Pull.ts"
import { adoptAnswer, linkCreated } from "./TaskUpdate.ts"

/** True when `record` already shows every part of `change` that can be read back. */
export const applied = (record: VendorRecord, change: RecordChange): boolean => {
  if (record._tag === "Escalation") {
    const wanted = change.escalation ?? {}
    return Object.entries(wanted).every(([k, v]) => Equal.equals(Reflect.get(record.snapshot, k), v))
  }
  const { fields, vendorStatus, extension } = record.snapshot
  const sameFields = Object.entries(change.fields).every(([k, v]) => Equal.equals(fields[k as keyof typeof fields], v))
  const sameStatus = change.vendorStatus === undefined || change.vendorStatus === vendorStatus
  const sameExtension =
    change.extension === undefined ||
    (extension !== null &&
      extension._tag === change.extension._tag &&
      Object.entries(change.extension).every(([k, v]) => Equal.equals(Reflect.get(extension, k), v)))
  return change.note === undefined && sameFields && sameStatus && sameExtension
}

const send = Effect.fn("Push.send")(function* (target: Target, entry: OutboxEntry) {
  const { adapter } = target
  const retried = entry.attempts > 1
  if (entry.payload.operation === "create") {
    const earlier = retried ? yield* adapter.findCreated(entry.payload.draft) : null
    return earlier ?? (yield* adapter.create(entry.payload.draft))
  }
  if (entry.recordId === null) {
    const reason = new Validation({ field: null, detail: "update queued before the record was created" })
    return yield* new SyncError({ vendor: target.connection.vendor, operation: "update", reason })
  }
  if (retried) {
    const current = yield* adapter.get(entry.recordId)
    if (applied(current, entry.payload.change)) return current
  }
  return yield* adapter.update(entry.recordId, entry.payload.change)
})

/** Store the vendor's answer: the merge base, the task's view of the record, the outbox state and history. */
const settle = Effect.fn("Push.settle")(function* (target: Target, entry: OutboxEntry, record: VendorRecord) {
  const tasks = yield* TaskRepository
  if (entry.subject.kind === "task" && record._tag === "Task") {
    const task = yield* tasks.get(entry.organizationId, entry.subject.id)
    const now = yield* DateTime.now
    const withLink = entry.payload.operation === "create" ? linkCreated(task, target.connection, record, now) : task
    const next = adoptAnswer(withLink, target.connection.id, record, entry.payload, now)
    yield* tasks.update(next, task.version)
    const changes = fieldChanges(fieldsOf(task), fieldsOf(next))
    if (changes.length > 0) {
      yield* (yield* HistoryRepository).append({
        organizationId: task.organizationId,
        subject: entry.subject,
        origin: "push",
        actor: null,
        connectionId: target.connection.id,
        changes,
      })
    }
  }
  if (entry.subject.kind === "escalation" && record._tag === "Escalation") {
    yield* settleEscalation(entry.organizationId, entry.subject.id, record)
  }
  yield* (yield* LinkRepository).putBase(target.connection.id, record, recordHash(record))
  yield* (yield* OutboxRepository).mark(entry.id, "sent", null)
})

/**
 * Push one entry. Retryable vendor failures put it back to pending and fail, so the caller's schedule (a durable
 * activity's retry) tries again; permanent ones dead-letter it and succeed, so the queue moves on.
 */
export const pushEntry = Effect.fn("Push.pushEntry")(function* (target: Target, id: string) {
  const outbox = yield* OutboxRepository
  const entry = yield* outbox.claim(id)
  if (entry === null) return
  const answer = yield* send(target, entry).pipe(
    Effect.catchTag("SyncError", (error) =>
      error.isRetryable
        ? Effect.andThen(outbox.mark(id, "pending", error.message), Effect.fail(error))
        : Effect.as(outbox.mark(id, "dead", error.message), null),
    ),
  )
  if (answer !== null) yield* (yield* Transactor).atomically(settle(target, entry, answer))
})

/** Push every unsent change of one record at one connection, in order. */
/** The fields an update writes, by the names conflicts use (an escalation's edit names its own fields). */
const writes = (entry: OutboxEntry): ReadonlyArray<string> =>
  entry.payload.operation === "create" ? [] : [...entry.fields, ...Object.keys(entry.payload.change.escalation ?? {})]

/**
 * Sends a record's queued changes in order. An update that writes a field with an open conflict at this connection
 * is held, and everything after it waits too (order is kept): sending it would overwrite the vendor's side of a
 * conflict nobody has decided. The resolution queues a newer change, which supersedes it or follows it.
 */
export const drain = Effect.fn("Push.drain")(function* (target: Target, connection: ConnectionId, subject: SubjectKey) {
  const outbox = yield* OutboxRepository
  const conflicts = yield* ConflictRepository
  const looked = new Set<string>()
  for (;;) {
    const next = yield* outbox.next(connection, subject)
    if (next === null) return
    if (!looked.has(next.id)) {
      looked.add(next.id)
      // Look before writing: vendors offer no conditional writes, so a change made at the vendor since our merge
      // base would be overwritten unseen. If the record moved, it is merged first, exactly as a pull would merge it:
      // an edit of the same field becomes a conflict (and this change is held below), any other edit is kept.
      if (yield* vendorMoved(target, next)) continue
    }
    // Checked last, right before the send, so a conflict a concurrent pull has just recorded is seen.
    const open = (yield* conflicts.open(next.organizationId, subject)).filter((c) => c.connectionId === connection)
    const fields = writes(next)
    if (open.some((conflict) => fields.includes(conflict.field))) return
    yield* pushEntry(target, next.id)
  }
})

/** True when the vendor's record differs from our merge base (and has now been merged in). */
const vendorMoved = Effect.fn("Push.vendorMoved")(function* (target: Target, entry: OutboxEntry) {
  // A first attempt only: a retried one reconciles in `send`, and a create has no record yet.
  if (entry.payload.operation !== "update" || entry.recordId === null || entry.attempts > 0) return false
  const link = yield* (yield* LinkRepository).find(target.connection.id, entry.recordId)
  if (link === null || link.hash === null) return false
  // A permanent failure here (the record is gone) is left to the send, which dead-letters it with the vendor's words.
  const current = yield* target.adapter
    .get(entry.recordId)
    .pipe(Effect.catchTag("SyncError", (error) => (error.isRetryable ? Effect.fail(error) : Effect.succeed(null))))
  if (current === null || recordHash(current) === link.hash) return false
  yield* applyRecordNow({ ...target, origin: "pull" }, current)
  return true
})
