// Applying one pulled page, set-based: every record is encoded and hashed once, the page's links are read in one
// query, records whose content equals the merge base (a replay, or the echo of our own push) change nothing, new ones
// become tasks in one statement, and the changed ones' tasks are read (locked) and merged in memory, then written back
// with their history, conflicts, push-backs and new merge bases in one statement each — a constant number of
// statements per page, whatever its size. Deletions the adapter reports, a full listing's marks and its sweep, and the
// page's checkpoint commit in the same transaction, so a replayed page changes nothing.

import type { ConnectionSummary, CredentialsUnreadable } from "@taskbridge/db/ConnectionRepository"
import type { ConnectionNotFound, ConnectionPaused, ConnectionUnusable, SyncError } from "@taskbridge/domain/Errors"
import type { TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import {
  CheckpointRepository,
  ConflictRepository,
  type HistoryEntry,
  HistoryRepository,
  LinkRepository,
  type LinkState,
  type LinkUpdate,
  type NewConflict,
  type NewOutboxEntry,
  type OutboxEntry,
  OutboxRepository,
  type PersistenceError,
  QuarantineRepository,
  TaskRepository,
  Transactor,
  type VersionedTask,
} from "@taskbridge/domain/ports/Repositories"
import type {
  ChangePage,
  Checkpoint,
  QuarantinedRecord,
  Sweep,
  VendorAdapter,
} from "@taskbridge/domain/ports/VendorAdapter"
import type { Task, TaskFields } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Equal } from "effect"
import { finishSweep, tombstone } from "./Deletions.ts"
import { creationChanges, policyOverrides } from "./Fields.ts"
import { type Encoded, encoded } from "./Hash.ts"
import { reconcile } from "./Reconcile.ts"
import { newTaskFromRecord, storedUnchanged } from "./TaskUpdate.ts"

export interface Target {
  readonly connection: ConnectionSummary
  readonly adapter: VendorAdapter
  /** How the records arrived, for history: a scheduled or manual pull, or one a vendor webhook asked for. */
  readonly origin?: "pull" | "webhook" | undefined
  /**
   * Makes sure a pull of the connection started within `withinMillis` has merged what the vendor changed: the push's
   * look before writing when the manifest says `pull`. The engine provides it to pushes.
   */
  readonly refresh?: ((withinMillis: number) => Effect.Effect<void, RefreshError>) | undefined
}

/** What the refresh can fail with: the pull's vendor failure, or reading the connection. */
export type RefreshError =
  | SyncError
  | PersistenceError
  | ConnectionNotFound
  | ConnectionUnusable
  | ConnectionPaused
  | CredentialsUnreadable

export interface Batch {
  readonly records: ReadonlyArray<VendorRecord>
  /** `records` already encoded and de-duplicated (`prepare`), when the caller did it ahead of the transaction. */
  readonly encoded?: ReadonlyArray<Encoded> | undefined
  readonly deleted: ReadonlyArray<VendorRecordId>
  /** Records of the page that could not be read: held for operators, the rest of the page goes on. */
  readonly quarantined?: ReadonlyArray<QuarantinedRecord> | undefined
  readonly sweep: Sweep | null
  /** Stored with the batch's writes; null for a record read outside a listing (the push's look before it writes). */
  readonly checkpoint: Checkpoint | null
  /** When the records were read, if the batch waited after that (a page prepared ahead): see `readBeforeBase`. */
  readonly readAt?: DateTime.Utc | undefined
}

const linkUpdate = (e: Encoded, now: DateTime.Utc): LinkUpdate => ({
  recordId: e.record.id,
  vendorStatus: e.record.snapshot.vendorStatus,
  extension: e.record.snapshot.extension,
  parent: e.record.parent,
  syncedAt: now,
  base: e.json,
  hash: e.hash,
  text: e.text,
})

/** A record listed twice in one page is one record: its later copy stands. Each is encoded (and hashed) once. */
export const distinct = (records: ReadonlyArray<VendorRecord>): ReadonlyArray<Encoded> => {
  const byId = new Map<string, Encoded>()
  for (const record of records) {
    byId.delete(record.id)
    byId.set(record.id, encoded(record))
  }
  return [...byId.values()]
}

/** New vendor records become tasks of the vendor's kind, with their creation in the history. */
const insertNew = Effect.fn("Pull.insertNew")(function* (
  target: Target,
  fresh: ReadonlyArray<Encoded>,
  now: DateTime.Utc,
  readAt: DateTime.Utc | undefined,
) {
  if (fresh.length === 0) return
  const kind = target.adapter.manifest.recordKind
  const tasks = fresh.map((e) => newTaskFromRecord(target.connection, kind, e.record, now, readAt))
  // Each new link is written with its merge base in the same statement.
  yield* (yield* TaskRepository).insertMany(
    tasks,
    new Map(fresh.map((e) => [e.record.id, { base: e.json, hash: e.hash, text: e.text }])),
  )
  yield* (yield* HistoryRepository).appendMany(
    tasks.map((task) => ({
      organizationId: task.organizationId,
      taskId: task.id,
      origin: target.origin ?? "pull",
      actor: null,
      connectionId: target.connection.id,
      changes: creationChanges(task),
    })),
  )
})

/**
 * The merge base with the echo of our own in-flight writes folded in. A vendor that announces a write before it
 * answers it (Vambe's sandbox starts its webhook delivery inside our request, and a webhook is a hint to pull) lets a
 * pull read our value before the push has stored the answer as the new base. Against the older base that value looks like a
 * vendor edit, and a newer local edit of the same field then becomes a false conflict that holds every later push
 * of the task. A field the vendor shows with exactly the value a `sending` update is writing is that update's echo,
 * so it is merged against that value. A field that shows anything else is merged against the base as always.
 */
export const withEchoes = (
  base: TaskFields | null,
  remote: TaskFields,
  sending: ReadonlyArray<OutboxEntry>,
): TaskFields | null => {
  if (base === null || sending.length === 0) return base
  let echoed = base
  for (const entry of sending) {
    if (entry.payload.operation !== "update") continue
    for (const [field, value] of Object.entries(entry.payload.change.fields) as Array<[keyof TaskFields, unknown]>)
      if (value !== undefined && Equal.equals(remote[field], value)) echoed = { ...echoed, [field]: value }
  }
  return echoed
}

/** Changed records merged into their tasks in memory; a task linked twice in the page takes both records in order. */
const mergeChanged = Effect.fn("Pull.mergeChanged")(function* (
  target: Target,
  changed: ReadonlyArray<{ readonly e: Encoded; readonly taskId: TaskId; readonly base: VendorRecord | null }>,
  now: DateTime.Utc,
) {
  if (changed.length === 0) return
  const { connection, adapter } = target
  const taskIds = [...new Set(changed.map((c) => c.taskId))]
  const read = yield* (yield* TaskRepository).getMany(connection.organizationId, taskIds, { lock: true })
  const sending = (yield* (yield* OutboxRepository).unfinished(connection.id, taskIds)).filter(
    (entry) => entry.state === "sending",
  )
  const scheme = yield* adapter.statusScheme
  const overrides = policyOverrides(connection.options)
  const working = new Map<TaskId, Task>(read)
  const history: Array<HistoryEntry> = []
  const conflicts: Array<NewConflict> = []
  const pushBacks: Array<NewOutboxEntry> = []
  for (const { e, taskId, base } of changed) {
    const task = working.get(taskId)
    // A link always has its task (ON DELETE CASCADE); a missing one is another organization's, which cannot happen.
    if (task === undefined)
      return yield* Effect.die(new Error(`link of ${e.record.id} names no task of its organization`))
    const out = reconcile({
      task,
      base: withEchoes(
        base?.snapshot.fields ?? null,
        e.record.snapshot.fields,
        sending.filter((entry) => entry.taskId === taskId),
      ),
      record: e.record,
      connection,
      capabilities: adapter.manifest.capabilities,
      scheme,
      overrides,
      now,
    })
    working.set(taskId, out.next)
    if (out.changes.length > 0) {
      history.push({
        organizationId: task.organizationId,
        taskId,
        origin: target.origin ?? "pull",
        actor: null,
        connectionId: connection.id,
        changes: out.changes,
      })
    }
    conflicts.push(...out.conflicts)
    if (out.pushBack !== null) {
      pushBacks.push({
        organizationId: task.organizationId,
        connectionId: connection.id,
        taskId,
        recordId: e.record.id,
        payload: { operation: "update", change: out.pushBack },
      })
    }
  }
  const updates: Array<VersionedTask> = [...working.entries()].flatMap(([id, task]) => {
    const before = read.get(id)
    return before === undefined || storedUnchanged(before, task) ? [] : [{ task, expectedVersion: before.version }]
  })
  yield* (yield* TaskRepository).updateMany(updates)
  yield* (yield* HistoryRepository).appendMany(history)
  yield* (yield* ConflictRepository).recordMany(conflicts)
  yield* (yield* OutboxRepository).enqueueMany(pushBacks)
})

/** Unknown vendor values were kept with an explicit fallback; say so once per batch, without any record's content. */
const warnUnknown = (target: Target, records: ReadonlyArray<VendorRecord>) => {
  const seen = new Map<string, number>()
  for (const r of records)
    for (const u of r.unknownValues)
      seen.set(`${u.field} → ${u.fallback}`, (seen.get(`${u.field} → ${u.fallback}`) ?? 0) + 1)
  if (seen.size === 0) return Effect.void
  const summary = [...seen.entries()].map(([what, n]) => `${what} (${n})`).join(", ")
  return Effect.logWarning(`${target.connection.vendor} sent values we do not know, kept with fallbacks: ${summary}`)
}

/**
 * The record was read before the version the link already holds: the vendor stamped the base later. Only a strictly
 * earlier stamp counts (vendors stamp coarsely, so an equal one may be a newer edit), and a vendor without stamps never
 * is; the newer state was already merged, so merging this one would undo it until the next pull.
 */
const olderThanBase = (e: Encoded, base: VendorRecord | null) =>
  base !== null &&
  base.updatedAt !== null &&
  e.record.updatedAt !== null &&
  DateTime.toEpochMillis(e.record.updatedAt) < DateTime.toEpochMillis(base.updatedAt)

/**
 * A record its vendor does not stamp was read before its link's merge base was stored: a page read ahead waited
 * while a push stored the vendor's answer to our write. Merged, the older read would undo our own edit locally (seen
 * with Vambe under a push load: the local value went back, the vendor kept ours, and the next pull saw a conflict
 * that held the task's later pushes). A stamped record is left to `olderThanBase`, which can tell an older read from
 * a vendor edit made between our write and the read; an unstamped one cannot be told apart, and is skipped. The
 * vendors that stamp nothing are listed whole by every pull (Vambe: `snapshot-hash`), so such an edit is merged by
 * the next pull. Pulls store their pages' read time as `synced_at` too, so a record listed again by a later page of
 * the same pull is never skipped.
 */
const readBeforeBase = (e: Encoded, readAt: DateTime.Utc | undefined, link: LinkState) =>
  e.record.updatedAt === null &&
  readAt !== undefined &&
  link.syncedAt !== null &&
  DateTime.toEpochMillis(readAt) < DateTime.toEpochMillis(link.syncedAt)

/** One batch, all or nothing: if anything fails, neither the tasks nor the checkpoint move. */
export const applyBatch = Effect.fn("Pull.applyBatch")(function* (target: Target, batch: Batch) {
  const { connection } = target
  const origin = target.origin ?? "pull"
  yield* (yield* Transactor).atomically(
    Effect.gen(function* () {
      const now = yield* DateTime.now
      const links = yield* LinkRepository
      yield* links.lock(connection.id)
      const all = batch.encoded ?? distinct(batch.records)
      const known = yield* links.findMany(
        connection.id,
        all.map((e) => e.record.id),
      )
      const fresh = all.filter((e) => !known.has(e.record.id))
      const changed = all.flatMap((e) => {
        const link = known.get(e.record.id)
        // Equal content is a replay or our own echo — unless the record was tombstoned and is listed again. A record
        // older than the merge base is a stale read (listed before a push's answer or a newer pull was stored).
        return link === undefined ||
          (link.deletedAt === null &&
            (link.hash === e.hash || olderThanBase(e, link.base) || readBeforeBase(e, batch.readAt, link)))
          ? []
          : [{ e, taskId: link.taskId, base: link.base }]
      })
      yield* insertNew(target, fresh, now, batch.readAt)
      yield* mergeChanged(target, changed, now)
      yield* links.record(
        connection.id,
        changed.map((c) => linkUpdate(c.e, batch.readAt ?? now)),
      )
      const quarantine = yield* QuarantineRepository
      const unreadable = batch.quarantined ?? []
      // Read fine this time: whatever was held of these records is resolved.
      yield* quarantine.release(
        connection.id,
        all.map((e) => e.record.id),
      )
      if (unreadable.length > 0) yield* quarantine.hold(connection.organizationId, connection.id, unreadable, now)
      if (batch.sweep !== null) {
        // A record listed but unreadable still exists at the vendor: the sweep must not take it for deleted.
        const held = unreadable.flatMap((q) => (q.recordId === null ? [] : [q.recordId]))
        yield* links.markSeen(connection.id, batch.sweep.generation, [...all.map((e) => e.record.id), ...held])
      }
      if (batch.deleted.length > 0) yield* tombstone(connection, origin, batch.deleted, now)
      if (batch.sweep?.complete === true) yield* finishSweep(connection, origin, batch.sweep, now)
      if (batch.checkpoint !== null) yield* (yield* CheckpointRepository).put(connection.id, batch.checkpoint)
    }),
  )
  yield* warnUnknown(target, batch.records)
  yield* warnQuarantined(target, batch.quarantined ?? [])
})

/** Says which records were held and why (path and rule only, never a value). */
const warnQuarantined = (target: Target, held: ReadonlyArray<QuarantinedRecord>) =>
  held.length === 0
    ? Effect.void
    : Effect.logWarning(
        `${target.connection.vendor} sent ${held.length} record(s) that could not be read; quarantined: ${held
          .slice(0, 3)
          .map((q) => q.reason)
          .join("; ")}`,
      )

/** A pulled page with its records encoded and hashed: work done ahead, while the previous page is being written. */
export interface PreparedPage {
  readonly page: ChangePage
  readonly encoded: ReadonlyArray<Encoded>
  /** When the page had been read (it may wait for the pages before it). */
  readonly readAt?: DateTime.Utc | undefined
}

export const prepare = (page: ChangePage, readAt?: DateTime.Utc): PreparedPage => ({
  page,
  encoded: distinct(page.records),
  readAt,
})

/** One pulled page with its checkpoint (prepared ahead or not). */
export const applyPage = (target: Target, page: ChangePage | PreparedPage) => {
  const prepared = "encoded" in page ? page : prepare(page)
  const { records, deleted, sweep, checkpoint, quarantined } = prepared.page
  return applyBatch(target, {
    records,
    encoded: prepared.encoded,
    deleted,
    quarantined,
    sweep,
    checkpoint,
    readAt: prepared.readAt,
  })
}

/** One record read outside a listing (the push's look before it writes), merged exactly as a pulled one would be. */
export const applyRecordNow = (target: Target, record: VendorRecord) =>
  applyBatch(target, { records: [record], deleted: [], sweep: null, checkpoint: null })
