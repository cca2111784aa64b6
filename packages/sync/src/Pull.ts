// Applying one pulled page: each record is matched to its link, compared with the merge base by content hash
// (a replay or the echo of our own push changes nothing), merged three ways into the local task, and the task,
// conflicts, history, merge base, any push-back and the page's checkpoint are written in one transaction.

import type { ConnectionSummary } from "@taskbridge/db/ConnectionRepository"
import { merge } from "@taskbridge/domain/Merge"
import {
  CheckpointRepository,
  ConflictRepository,
  HistoryRepository,
  LinkRepository,
  type LinkState,
  OutboxRepository,
  TaskRepository,
  Transactor,
} from "@taskbridge/domain/ports/Repositories"
import type { ChangePage, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { resolve } from "@taskbridge/domain/StatusScheme"
import type { RecordChange, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Equal, Result } from "effect"
import { insertEscalation, mergeEscalation } from "./Escalations.ts"
import {
  creationChanges,
  encodeConflict,
  fieldChanges,
  fieldsOf,
  mergeOptions,
  policyOverrides,
  writableFields,
} from "./Fields.ts"
import { recordHash } from "./Hash.ts"
import { newTaskFromRecord, withRemote } from "./TaskUpdate.ts"

type TaskRecord = Extract<VendorRecord, { _tag: "Task" }>

export interface Target {
  readonly connection: ConnectionSummary
  readonly adapter: VendorAdapter
  /** How the records arrived, for history: a scheduled or manual pull, or one a vendor webhook asked for. */
  readonly origin?: "pull" | "webhook" | undefined
}

/** New vendor records become tasks, with their creation in the history, in one statement each for the lot. */
const insertRecords = Effect.fn("Pull.insertRecords")(function* (target: Target, records: ReadonlyArray<TaskRecord>) {
  if (records.length === 0) return
  const now = yield* DateTime.now
  const tasks = yield* Effect.forEach(records, (record) => newTaskFromRecord(target.connection, record, now))
  yield* (yield* TaskRepository).insertMany(tasks)
  yield* (yield* HistoryRepository).appendMany(
    tasks.map((task) => ({
      organizationId: task.organizationId,
      subject: { kind: "task" as const, id: task.id },
      origin: target.origin ?? "pull",
      actor: null,
      connectionId: target.connection.id,
      changes: creationChanges(task),
    })),
  )
})

/** What the merged task still needs at the vendor: writable fields whose merged value differs from the vendor's. */
const pushBack = (
  target: Target,
  record: TaskRecord,
  merged: TaskRecord["snapshot"]["fields"],
  conflicted: ReadonlySet<string>,
) =>
  Effect.gen(function* () {
    const writable = writableFields(target.adapter.manifest.capabilities)
    const remote = record.snapshot.fields
    const change: { -readonly [K in keyof RecordChange]: RecordChange[K] } = { fields: {} }
    const fields: Record<string, unknown> = {}
    for (const field of ["title", "description", "priority", "due", "assignees", "tags"] as const) {
      if (writable.includes(field) && !conflicted.has(field) && !Equal.equals(merged[field], remote[field])) {
        fields[field] = merged[field]
      }
    }
    change.fields = fields as RecordChange["fields"]
    if (writable.includes("status") && !conflicted.has("status") && merged.status !== remote.status) {
      const scheme = yield* target.adapter.statusScheme
      const moved = resolve(scheme, record.snapshot.vendorStatus, merged.status)
      if (Result.isSuccess(moved)) change.vendorStatus = moved.success.name
    }
    return Object.keys(change.fields).length > 0 || change.vendorStatus !== undefined ? change : null
  })

const mergeRecord = Effect.fn("Pull.mergeRecord")(function* (target: Target, link: LinkState, record: TaskRecord) {
  if (link.subject.kind !== "task") return
  const { connection } = target
  const tasks = yield* TaskRepository
  const task = yield* tasks.get(connection.organizationId, link.subject.id)
  const base = link.base?._tag === "Task" ? link.base.snapshot.fields : task
  const local = fieldsOf(task)
  const overrides = policyOverrides(connection.options)
  const options = {
    ...mergeOptions(target.adapter.manifest.capabilities, overrides),
    localUpdatedAt: task.updatedAt,
    ...(record.updatedAt === null ? {} : { remoteUpdatedAt: record.updatedAt }),
  }
  const { merged, conflicts } = merge(base, local, record.snapshot.fields, options)
  const now = yield* DateTime.now
  const next = withRemote(task, merged, target.connection.id, record, now)
  if (!Equal.equals(next, task)) yield* tasks.update(next, task.version)
  const changes = fieldChanges(local, merged)
  if (changes.length > 0) {
    const subject = { kind: "task" as const, id: task.id }
    yield* (yield* HistoryRepository).append({
      organizationId: task.organizationId,
      subject,
      origin: target.origin ?? "pull",
      actor: null,
      connectionId: connection.id,
      changes,
    })
  }
  const conflictsRepo = yield* ConflictRepository
  for (const c of conflicts) {
    const subject = { kind: "task" as const, id: task.id }
    yield* conflictsRepo.record({
      organizationId: task.organizationId,
      subject,
      connectionId: connection.id,
      ...encodeConflict(c),
    })
  }
  const back = yield* pushBack(target, record, merged, new Set(conflicts.map((c) => c.field)))
  if (back !== null) {
    yield* (yield* OutboxRepository).enqueue({
      organizationId: task.organizationId,
      connectionId: connection.id,
      subject: { kind: "task", id: task.id },
      recordId: record.id,
      payload: { operation: "update", change: back },
    })
  }
})

/** Applies one record given its link as it stands (null: not linked yet). */
const applyRecord = Effect.fn("Pull.applyRecord")(function* (
  target: Target,
  record: VendorRecord,
  link: LinkState | null,
) {
  const hash = recordHash(record)
  if (link !== null && link.hash === hash) return
  if (record._tag === "Task") {
    yield* link === null ? insertRecords(target, [record]) : mergeRecord(target, link, record)
  } else {
    yield* link === null ? insertEscalation(target, record) : mergeEscalation(target, link, record)
  }
  yield* (yield* LinkRepository).putBase(target.connection.id, record, hash)
})

/** One record read outside a listing (the push's look before it writes), merged exactly as a pulled one would be. */
export const applyRecordNow = Effect.fn("Pull.applyRecordNow")(function* (target: Target, record: VendorRecord) {
  const links = yield* LinkRepository
  yield* (yield* Transactor).atomically(
    Effect.flatMap(links.find(target.connection.id, record.id), (link) => applyRecord(target, record, link)),
  )
})

/**
 * One page, all or nothing: if anything fails, neither the tasks nor the checkpoint move. The page's links are read
 * in one query and its new task records inserted together (what makes a backfill fast); every other record is
 * merged in page order. A record listed twice reads its link again, since its first copy may have just made it.
 */
export const applyPage = Effect.fn("Pull.applyPage")(function* (target: Target, page: ChangePage) {
  const transactor = yield* Transactor
  const checkpoints = yield* CheckpointRepository
  const links = yield* LinkRepository
  const connection = target.connection.id
  yield* transactor.atomically(
    Effect.gen(function* () {
      const known = yield* links.findMany(
        connection,
        page.records.map((record) => record.id),
      )
      const seen = new Set<string>()
      const fresh: Array<TaskRecord> = []
      const rest: Array<VendorRecord> = []
      for (const record of page.records) {
        if (record._tag === "Task" && !known.has(record.id) && !seen.has(record.id)) fresh.push(record)
        else rest.push(record)
        seen.add(record.id)
      }
      yield* insertRecords(target, fresh)
      yield* links.putBases(
        connection,
        fresh.map((record) => ({ record, hash: recordHash(record) })),
      )
      const applied = new Set<string>(fresh.map((record) => record.id))
      for (const record of rest) {
        const link = applied.has(record.id) ? yield* links.find(connection, record.id) : (known.get(record.id) ?? null)
        applied.add(record.id)
        yield* applyRecord(target, record, link)
      }
      yield* checkpoints.put(connection, page.checkpoint)
    }),
  )
})
