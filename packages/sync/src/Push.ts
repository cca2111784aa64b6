// Sending queued local changes to a vendor, oldest first per task. A change whose earlier attempt may have reached the
// vendor is reconciled before anything is sent again (a create is looked up, an update is compared with the vendor's
// current state), so a crash mid-push never writes twice. The vendor's answer is merged as a pulled record would be
// (it may carry someone else's edit made after our look) and becomes the merge base. A record the
// vendor closed meanwhile (a terminal refusal) is read again and followed, its change discarded with the reason;
// other permanent failures become dead letters carrying the vendor's words.

import { SyncError, TaskNotFound, Transient, Validation } from "@taskbridge/domain/Errors"
import type { ConnectionId, TaskId } from "@taskbridge/domain/Ids"
import {
  ConflictRepository,
  deletedField,
  HistoryRepository,
  LinkRepository,
  type LinkState,
  type OutboxEntry,
  OutboxRepository,
  TaskRepository,
  Transactor,
} from "@taskbridge/domain/ports/Repositories"
import { findStatus } from "@taskbridge/domain/StatusScheme"
import type { Task } from "@taskbridge/domain/Task"
import type { RecordChange, RecordRef, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Context, DateTime, Effect, Equal, Exit, Option } from "effect"
import { fieldChanges, fieldsOf } from "./Fields.ts"
import { encoded } from "./Hash.ts"
import { applyRecordNow, type Target } from "./Pull.ts"
import { adoptAnswer, linkCreated } from "./TaskUpdate.ts"

/** True when `record` already shows every part of `change` that can be read back. */
export const applied = (record: VendorRecord, change: RecordChange): boolean => {
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

/**
 * The record's link as this push last read it (its look before writing), or `undefined` when it has not: the send
 * names the record by it and the settle compares the answer with its base, without reading it again. A pull that
 * moves the link in between only makes the settle merge the answer in full (its base is then older than the link's),
 * which is always right.
 */
type Known = LinkState | null | undefined

/** How the engine names the entry's record to its adapter: its id, the parent the link last saw, and that link. */
const refOf = Effect.fn("Push.refOf")(function* (target: Target, entry: OutboxEntry, known: Known) {
  if (entry.recordId === null) {
    const reason = new Validation({ field: null, detail: "update queued before the record was created" })
    return yield* new SyncError({ vendor: target.connection.vendor, operation: "update", reason })
  }
  const link = known !== undefined ? known : yield* (yield* LinkRepository).find(target.connection.id, entry.recordId)
  return { ref: { id: entry.recordId, parent: link?.parent ?? null } satisfies RecordRef, link }
})

/** What a send answers: the vendor's record and the link it was sent against (null for a create). */
interface Sent {
  readonly record: VendorRecord
  readonly link: LinkState | null
}

const send = Effect.fn("Push.send")(function* (target: Target, entry: OutboxEntry, known: Known) {
  const { adapter } = target
  const retried = entry.attempts > 1
  if (entry.payload.operation === "create") {
    const earlier = retried ? yield* adapter.findCreated(entry.payload.draft) : null
    return { record: earlier ?? (yield* adapter.create(entry.payload.draft)), link: null } satisfies Sent
  }
  const { ref, link } = yield* refOf(target, entry, known)
  if (retried) {
    const current = yield* adapter.get(ref)
    if (applied(current, entry.payload.change)) return { record: current, link } satisfies Sent
    // Not there, and the record moved since our merge base: someone edited it after the earlier attempt, which may
    // even have landed and been overwritten since. Sending again would overwrite their edit unseen, so it is merged
    // first, as the look before writing merges; the drain then holds this change behind a conflict, or sends it.
    const hash = encoded(current).hash
    if (link !== null && link.hash !== hash) {
      yield* applyRecordNow({ ...target, origin: "pull" }, current)
      // Merged (the base is now this read): back to the queue. A read the merge refused (stamped before the base)
      // changes nothing, and the change is sent as it stands rather than looked at forever.
      if ((yield* (yield* LinkRepository).find(target.connection.id, ref.id))?.hash === hash) return movedMeanwhile
    }
  }
  return { record: yield* adapter.update(ref, entry.payload.change), link } satisfies Sent
})

/** `send` merged a vendor edit instead of writing: the change goes back to the queue to be looked at again. */
const movedMeanwhile = Symbol("movedMeanwhile")

/**
 * Store the vendor's answer: the merge base, the task's view of the record and history (`store` marks the rows sent,
 * all of a transaction's in one statement). Runs in a transaction that holds the connection's link lock and has read
 * `task` locked.
 */
const settle = Effect.fn("Push.settle")(function* (
  target: Target,
  entry: OutboxEntry,
  { record, link }: Sent,
  task: Task,
) {
  const tasks = yield* TaskRepository
  const now = yield* DateTime.now
  const withLink = entry.payload.operation === "create" ? linkCreated(task, target.connection, record, now) : task
  const next = adoptAnswer(withLink, target.connection.id, record, entry.payload, now)
  // The answer is the whole record; when it carries what someone changed at the vendor after our last look (a look
  // by a recent pull that began before their edit, say), it is merged exactly as a pulled record below — their edits
  // kept, an overlap a conflict — and only then the merge base; taking it as the base alone would lose their edit.
  // Otherwise it becomes the merge base in the task's own write.
  const moved = entry.payload.operation === "update" && movedBeyond(link?.base ?? null, record, entry.payload.change)
  const e = moved ? null : encoded(record)
  yield* tasks.update(
    next,
    task.version,
    e === null ? undefined : new Map([[record.id, { base: e.json, hash: e.hash, text: e.text }]]),
  )
  const changes = fieldChanges(fieldsOf(task), fieldsOf(next))
  if (changes.length > 0) {
    yield* (yield* HistoryRepository).append({
      organizationId: task.organizationId,
      taskId: task.id,
      origin: "push",
      actor: null,
      connectionId: target.connection.id,
      changes,
    })
  }
  if (moved) yield* applyRecordNow({ ...target, origin: "pull" }, record)
})

/** A push's answer waiting to be stored: the row, what the vendor answered, and the connection it went to. */
export interface Answer {
  readonly target: Target
  readonly entry: OutboxEntry
  readonly sent: Sent
}

// Pages of a pull of the connection write one after the other with an answer, never interleaved; and the tasks are
// read locked: a local edit committing between the read and the settle's write would otherwise fail it on the task's
// version (a defect), leaving the row `sending` until the sweep dispatched it again minutes later.

/**
 * Answers of one connection stored in one transaction: the link lock taken once, their tasks read and locked in one
 * statement (in id order, as every locking writer takes them), each settled, and their rows marked sent in one
 * statement. Answers, per answer and in order, whether its task has more queued at this connection.
 */
const store = (answers: ReadonlyArray<Answer>) =>
  Transactor.use((transactor) =>
    transactor.atomically(
      Effect.gen(function* () {
        const [first] = answers
        if (first === undefined) return []
        yield* (yield* LinkRepository).lock(first.target.connection.id)
        const read = yield* (yield* TaskRepository).getMany(
          first.entry.organizationId,
          answers.map((answer) => answer.entry.taskId),
          { lock: true },
        )
        for (const { target, entry, sent } of answers) {
          const task = read.get(entry.taskId)
          if (task === undefined) return yield* new TaskNotFound({ id: entry.taskId })
          yield* settle(target, entry, sent, task)
        }
        const more = yield* (yield* OutboxRepository).markSentMany(answers.map((answer) => answer.entry.id))
        return answers.map((answer) => more.get(answer.entry.id) ?? false)
      }),
    ),
  )

/** One answer in its own transaction. */
const settleAlone = (answer: Answer) => Effect.map(store([answer]), ([more]) => more ?? false)

/** What storing an answer can fail with. */
export type SettleError = Effect.Error<ReturnType<typeof settleAlone>>

/**
 * The answers of one connection that queued together (`GroupCommit`), stored in one transaction (`store`), each
 * settled exactly as alone. Under load the answers wait for the lock one behind another anyway; together they cost one transaction instead of one each. If it fails, each is settled alone, so an
 * answer meets only its own failure (a task deleted meanwhile; two answers of one task, which a lane never sends
 * together, would fail the second on its version). One exit per answer, in order.
 */
export const settleTogether = (
  answers: ReadonlyArray<Answer>,
): Effect.Effect<
  ReadonlyArray<Exit.Exit<boolean, SettleError>>,
  never,
  Effect.Services<ReturnType<typeof settleAlone>>
> => {
  const [first] = answers
  if (first === undefined) return Effect.succeed([])
  if (answers.length === 1) return Effect.map(Effect.exit(settleAlone(first)), (exit) => [exit])
  const together = store(answers)
  return Effect.flatMap(Effect.exit(together), (exit) =>
    exit._tag === "Success"
      ? Effect.succeed(exit.value.map((more) => Exit.succeed(more)))
      : Effect.forEach(answers, (answer) => Effect.exit(settleAlone(answer))),
  )
}

/**
 * Where a push stores its answer: the engine provides one that groups a connection's answers (`settleTogether`);
 * without it (a test driving `drain` directly) each answer is stored alone.
 */
export class Settles extends Context.Service<
  Settles,
  { readonly submit: (answer: Answer) => Effect.Effect<boolean, SettleError> }
>()("@taskbridge/sync/Push/Settles") {}

/**
 * The answer differs from the merge base in more than what `change` wrote: another edit reached the record. Anything
 * but plain field and status writes (a note, an extension patch) is taken as moved too, to be merged in full.
 */
const movedBeyond = (base: VendorRecord | null, answer: VendorRecord, change: RecordChange) => {
  if (base === null || change.note !== undefined || change.extension !== undefined) return true
  const written = new Set<string>(Object.keys(change.fields))
  const { fields, ...rest } = answer.snapshot
  const { fields: baseFields, ...baseRest } = base.snapshot
  const sameFields = Object.entries(fields).every(
    ([k, v]) =>
      written.has(k) ||
      (k === "status" && change.vendorStatus !== undefined) ||
      Equal.equals(v, Reflect.get(baseFields, k)),
  )
  const sameRest = Object.entries(rest).every(
    ([k, v]) =>
      (k === "vendorStatus" && change.vendorStatus !== undefined) ||
      JSON.stringify(v) === JSON.stringify(Reflect.get(baseRest, k)),
  )
  return !(sameFields && sameRest)
}

/**
 * The vendor refused because the record reached a terminal status (it closed it meanwhile): the local task follows the
 * vendor — the record is read again and merged as a pull would — and the change, which can never land, is discarded
 * with the reason instead of becoming a dead letter.
 */
const followClosed = Effect.fn("Push.followClosed")(function* (target: Target, entry: OutboxEntry, error: SyncError) {
  const { ref } = yield* refOf(target, entry, undefined)
  const current = yield* target.adapter.get(ref)
  yield* applyRecordNow({ ...target, origin: "pull" }, current)
  yield* (yield* OutboxRepository).mark(
    entry.id,
    "discarded",
    closedReason(current.snapshot.vendorStatus, error.message),
  )
})

/**
 * A write whose answer could not be read (cut off, not JSON, not the vendor's shape) may have landed: it is tried
 * again like a transient failure, and the retry reconciles with the vendor before sending (`send`), so it is written
 * once — never dead-lettered while the vendor in fact holds it.
 */
const uncertain = (error: SyncError): SyncError =>
  error.reason._tag === "InvalidResponse"
    ? new SyncError({
        vendor: error.vendor,
        operation: error.operation,
        reason: new Transient({
          detail: `the answer could not be read, so it is checked before trying again: ${error.reason.detail}`,
        }),
      })
    : error

/** How long a change may keep failing transiently before it is surfaced as a dead letter. */
const giveUpAfterHours = 24

/**
 * A change the vendor has failed transiently for a day (never a rate limit, which only says "later") is surfaced as
 * a dead letter: a vendor that answers 500 to one request forever would otherwise hold that record's later changes
 * for good. A shorter outage recovers on its own; an operator retries a dead letter once the cause is fixed.
 */
const givenUp = (entry: OutboxEntry, error: SyncError, now: DateTime.Utc) =>
  error.reason._tag !== "RateLimited" &&
  DateTime.toEpochMillis(now) - DateTime.toEpochMillis(entry.createdAt) > giveUpAfterHours * 3_600_000

/**
 * Push one entry. Retryable vendor failures put it back to pending and fail, so the caller (the connection's push
 * lane, which backs the task off) tries again; permanent ones dead-letter it (or follow a closed record) and succeed,
 * so the queue moves on. `known` is the record's link as the look before writing just read it. Answers `last` when
 * the entry was sent and its task had nothing else queued at the connection.
 */
export const pushEntry = Effect.fn("Push.pushEntry")(function* (target: Target, id: string, known?: Known) {
  const outbox = yield* OutboxRepository
  const entry = yield* outbox.claim(id)
  if (entry === null) return
  const now = yield* DateTime.now
  const answer = yield* send(target, entry, known).pipe(
    Effect.mapError((error) => (error instanceof SyncError ? uncertain(error) : error)),
    Effect.catchTag("SyncError", (error) => {
      if (error.isRetryable && givenUp(entry, error, now)) {
        const reason = `gave up after ${entry.attempts} attempts over ${giveUpAfterHours} hours: ${error.message}`
        return Effect.as(outbox.mark(id, "dead", reason), null)
      }
      if (error.isRetryable) return Effect.andThen(outbox.mark(id, "pending", error.message), Effect.fail(error))
      if (error.reason._tag === "TerminalState" && entry.payload.operation === "update") {
        return Effect.as(followClosed(target, entry, error), null)
      }
      return Effect.as(outbox.mark(id, "dead", error.message), null)
    }),
  )
  // Back in the queue with what it last met (an unread answer stays on record): the drain checks it again.
  if (answer === movedMeanwhile) return yield* outbox.mark(id, "pending", entry.lastError)
  if (answer === null) return
  const settles = yield* Effect.serviceOption(Settles)
  const stored = { target, entry, sent: answer }
  const more = yield* Option.isSome(settles) ? settles.value.submit(stored) : settleAlone(stored)
  return more ? undefined : ("last" as const)
})

/**
 * Sends a task's queued changes at one connection in order. An update that writes a field with an open conflict at
 * this connection is held, and everything after it waits too (order is kept): sending it would overwrite the vendor's
 * side of a conflict nobody has decided. A `deleted` conflict (the vendor deleted the record) holds every change. The
 * resolution queues a newer change, which supersedes it or follows it, or discards what can no longer be sent.
 * Answers `done` when nothing of the task is left to send, `held` when a row waits behind a conflict.
 */
export const drain = Effect.fn("Push.drain")(function* (target: Target, connection: ConnectionId, taskId: TaskId) {
  const outbox = yield* OutboxRepository
  const conflicts = yield* ConflictRepository
  const looked = new Set<string>()
  for (;;) {
    const next = yield* outbox.next(connection, taskId)
    if (next === null) return "done" as const
    let known: Known
    if (!looked.has(next.id)) {
      looked.add(next.id)
      // Look before writing: vendors offer no conditional writes, so a change made at the vendor since our merge
      // base would be overwritten unseen. If the record moved, it is merged first, exactly as a pull would merge it:
      // an edit of the same field becomes a conflict (and this change is held below), any other edit is kept.
      const look = yield* vendorMoved(target, next)
      if (look.moved !== null) {
        // The vendor closed the record for good meanwhile: the change can never land, so it is not even sent.
        if (yield* frozen(target, look.moved)) yield* discardClosed(next, look.moved)
        continue
      }
      known = look.link
    }
    // Checked last, right before the send, so a conflict a concurrent pull has just recorded is seen.
    const open = (yield* conflicts.open(next.organizationId, taskId)).filter((c) => c.connectionId === connection)
    if (open.some((conflict) => conflict.field === deletedField || next.fields.includes(conflict.field))) {
      return "held" as const
    }
    // Nothing else was queued when this one settled: a change queued since wakes the lane for this task again.
    if ((yield* pushEntry(target, next.id, known)) === "last") return "done" as const
  }
})

/**
 * `moved`: the vendor's status for the record when it differs from our merge base (it has now been merged in), null
 * when it has not moved; `link`: the link as last read when it has not (the send and settle use it). The manifest
 * says how to look: a read of the record, or a recent pull of the whole connection.
 */
const vendorMoved = Effect.fn("Push.vendorMoved")(function* (target: Target, entry: OutboxEntry) {
  const unmoved = (link: Known) => ({ moved: null, link })
  // A first attempt only: a retried one reconciles in `send`, and a create has no record yet.
  if (entry.payload.operation !== "update" || entry.recordId === null || entry.attempts > 0) return unmoved(undefined)
  const links = yield* LinkRepository
  const link = yield* links.find(target.connection.id, entry.recordId)
  if (link === null || link.hash === null) return unmoved(link)
  const look = target.adapter.manifest.lookBeforeWrite
  if (look.via === "pull" && target.refresh !== undefined) {
    // The pull merged whatever the vendor changed, exactly as any pull does; the link shows whether this record moved.
    yield* target.refresh(look.withinMillis)
    const after = yield* links.find(target.connection.id, entry.recordId)
    return after === null || after.hash === link.hash
      ? unmoved(after)
      : { moved: after.base?.snapshot.vendorStatus ?? null, link: undefined }
  }
  // A permanent failure here (the record is gone) is left to the send, which dead-letters it with the vendor's words.
  const current = yield* target.adapter
    .get({ id: entry.recordId, parent: link.parent })
    .pipe(Effect.catchTag("SyncError", (error) => (error.isRetryable ? Effect.fail(error) : Effect.succeed(null))))
  if (current === null || encoded(current).hash === link.hash) return unmoved(link)
  yield* applyRecordNow({ ...target, origin: "pull" }, current)
  return { moved: current.snapshot.vendorStatus, link: undefined }
})

/** The vendor status is one its vendor never leaves and refuses every change in. */
const frozen = (target: Target, vendorStatus: string) =>
  Effect.map(
    target.adapter.statusScheme,
    (scheme) => scheme.freezesOnTerminal && findStatus(scheme, { name: vendorStatus })?.terminal === true,
  )

const closedReason = (vendorStatus: string, detail: string) =>
  `the vendor closed the record (${vendorStatus}) before this change reached it: ${detail}`

const discardClosed = (entry: OutboxEntry, vendorStatus: string) =>
  OutboxRepository.use((outbox) =>
    outbox.mark(entry.id, "discarded", closedReason(vendorStatus, "it refuses every change now")),
  )
