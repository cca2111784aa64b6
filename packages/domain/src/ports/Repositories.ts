// The storage ports the sync engine needs; `@taskbridge/db` implements them on PostgreSQL / PGlite.
// Failures of the store itself are PersistenceError; domain conditions keep their own tagged errors. Every method
// joins the caller's `Transactor.atomically`, so one sync step's writes commit or roll back together. Batch methods
// take a whole pulled page in one statement, which is what keeps a pull's cost per page, not per record.
import { Context, type DateTime, type Effect, Schema } from "effect"
import type { TaskNotFound, VersionConflict } from "../Errors.ts"
import type { VendorExtension } from "../Extension.ts"
import { ConnectionId, OrganizationId, TaskId, VendorRecordId } from "../Ids.ts"
import type { Task } from "../Task.ts"
import { RecordChange, RecordDraft, type VendorRecord } from "../VendorRecord.ts"
import type { Checkpoint, QuarantinedRecord } from "./VendorAdapter.ts"

/** A store failure; `detail` is the database's masked message or where a row failed to decode, never a value. */
export class PersistenceError extends Schema.TaggedError<PersistenceError>()("PersistenceError", {
  operation: Schema.String,
  detail: Schema.String,
}) {
  override get message() {
    return `storage failed during ${this.operation}: ${this.detail}`
  }
}

type Io<A, E = never> = Effect.Effect<A, E | PersistenceError>

/** Runs `effect` in one database transaction; repository calls inside it join it, nested calls join the outer one. */
export class Transactor extends Context.Service<
  Transactor,
  { readonly atomically: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | PersistenceError, R> }
>()("@taskbridge/domain/Transactor") {}

/** A task to store at the version it was read at; the stored version becomes `expectedVersion + 1`. */
export interface VersionedTask {
  readonly task: Task
  readonly expectedVersion: number
}

export class TaskRepository extends Context.Service<
  TaskRepository,
  {
    /** Another organization's task is not found: every read is scoped by organization. */
    readonly get: (org: OrganizationId, id: TaskId) => Io<Task, TaskNotFound>
    /**
     * The tasks with these ids (missing ones are left out), locked for this transaction when `lock` is set, so a
     * pull that merges them cannot interleave with a local edit of the same task.
     */
    readonly getMany: (
      org: OrganizationId,
      ids: ReadonlyArray<TaskId>,
      options?: { readonly lock?: boolean },
    ) => Io<ReadonlyMap<TaskId, Task>>
    readonly findByRecord: (connection: ConnectionId, record: VendorRecordId) => Io<Task | null>
    /** Stores a new task with its links (each link's merge base starts empty). */
    readonly insert: (task: Task) => Io<void>
    /**
     * `insert` for many tasks in one round trip (a pulled page's new records): all are stored, or none. `bases`
     * gives links their merge base at once (by record id), so a backfilled record is written once.
     */
    readonly insertMany: (tasks: ReadonlyArray<Task>, bases?: ReadonlyMap<VendorRecordId, LinkBase>) => Io<void>
    /**
     * Stores `task` if the stored version is still `expectedVersion`; the stored version becomes
     * `expectedVersion + 1` (whatever `task.version` says) and the stored task is returned. Links are replaced by
     * `task.links`, keeping the merge base of links that stay unless `bases` gives one (by record id), as
     * `LinkRepository.record` would, in the same statement.
     */
    readonly update: (
      task: Task,
      expectedVersion: number,
      bases?: ReadonlyMap<VendorRecordId, LinkBase>,
    ) => Io<Task, TaskNotFound | VersionConflict>
    /**
     * Stores many tasks' own columns (not their links, which `LinkRepository.record` writes) in one statement, each at
     * its expected version; fails with VersionConflict, storing none, if any moved meanwhile.
     */
    readonly updateMany: (tasks: ReadonlyArray<VersionedTask>) => Io<void, VersionConflict>
    /**
     * Refreshes what the database's planner knows of the tables a pull writes (tasks, their links, assignees and history)
     * once one holds more than twice the rows it last counted: the columns statements filter, join and sort on only,
     * the full refresh being the database's own. A backfill grows them from empty faster than that background refresh
     * notices, and planned with yesterday's row counts a lookup by id scans a whole organization's index. Cheap when
     * there is nothing to do (one catalog read). A table the database is already analysing is left to it rather than
     * waited for; true when any was found stale.
     */
    readonly refreshStatistics: Io<boolean>
  }
>()("@taskbridge/domain/TaskRepository") {}

/** A vendor record's link: which task it is, its parent, the merge base (null until the first sync) and tombstone. */
export interface LinkState {
  readonly taskId: TaskId
  readonly parent: string | null
  readonly base: VendorRecord | null
  readonly hash: string | null
  readonly deletedAt: DateTime.Utc | null
  /**
   * When the merge base was stored: a pull stores when it read the record, a push when it stored the vendor's answer.
   * A record its vendor does not stamp, read before then, is not newer than the base (`Pull.readBeforeBase`).
   */
  readonly syncedAt: DateTime.Utc | null
}

/** A link's merge base: the record as synced, encoded once (`Schema.toCodecJson(VendorRecord)`), and its hash. */
export interface LinkBase {
  readonly base: Schema.Json
  readonly hash: string
  /** `base` as JSON text, when the caller already wrote it (to hash it): stored as it is, not encoded again. */
  readonly text?: string | undefined
}

/** What a sync learned about one linked record: the vendor's view of it and the new merge base. */
export interface LinkUpdate {
  readonly recordId: VendorRecordId
  readonly vendorStatus: string
  readonly extension: VendorExtension | null
  readonly parent: string | null
  readonly syncedAt: DateTime.Utc
  /** The record as synced, already encoded once with `Schema.toCodecJson(VendorRecord)`, and its content hash. */
  readonly base: Schema.Json
  readonly hash: string
  /** `base` as JSON text, when the caller already wrote it (to hash it): stored as it is, not encoded again. */
  readonly text?: string | undefined
}

export class LinkRepository extends Context.Service<
  LinkRepository,
  {
    /**
     * Holds off every other writer of the connection's links until this transaction ends. Pages of one connection can
     * be written by two processes at once (a pull whose shard moved mid-way, a push settling while a pull runs): each
     * takes this first, so each sees what the other committed instead of inserting the same record's link twice.
     */
    readonly lock: (connection: ConnectionId) => Io<void>
    readonly find: (connection: ConnectionId, record: VendorRecordId) => Io<LinkState | null>
    /** `find` for many records in one round trip (a pulled page): the linked ones, by record id. */
    readonly findMany: (
      connection: ConnectionId,
      records: ReadonlyArray<VendorRecordId>,
    ) => Io<ReadonlyMap<VendorRecordId, LinkState>>
    /**
     * Records the vendor's view and the merge base of existing links, in one statement, and clears their tombstones
     * (a record listed again is alive); fails, naming them, if any record has no link.
     */
    readonly record: (connection: ConnectionId, updates: ReadonlyArray<LinkUpdate>) => Io<void>
    /** Marks records as listed by a full listing `generation` (mark and sweep), in one statement. */
    readonly markSeen: (
      connection: ConnectionId,
      generation: string,
      records: ReadonlyArray<VendorRecordId>,
    ) => Io<void>
    /**
     * Live links of a connection a finished listing `generation` did not see (among those synced before it started),
     * and how many live links there are.
     */
    readonly unseen: (
      connection: ConnectionId,
      generation: string,
      startedAt: DateTime.Utc,
    ) => Io<{ readonly records: ReadonlyArray<VendorRecordId>; readonly live: number }>
    /** Tombstones these records' links; returns the tasks they belong to (each once). */
    readonly tombstone: (
      connection: ConnectionId,
      records: ReadonlyArray<VendorRecordId>,
      at: DateTime.Utc,
    ) => Io<ReadonlyArray<{ readonly recordId: VendorRecordId; readonly taskId: TaskId }>>
  }
>()("@taskbridge/domain/LinkRepository") {}

export class CheckpointRepository extends Context.Service<
  CheckpointRepository,
  {
    readonly get: (connection: ConnectionId) => Io<Checkpoint | null>
    readonly put: (connection: ConnectionId, checkpoint: Checkpoint) => Io<void>
  }
>()("@taskbridge/domain/CheckpointRepository") {}

export const OutboxState = Schema.Literals(["pending", "sending", "sent", "dead", "discarded", "superseded"])
export type OutboxState = typeof OutboxState.Type

/** A create carries the whole draft and is never superseded; an update carries only the changed fields. */
export const OutboxPayload = Schema.Union([
  Schema.Struct({ operation: Schema.Literal("create"), draft: RecordDraft }),
  Schema.Struct({ operation: Schema.Literal("update"), change: RecordChange }),
])
export type OutboxPayload = typeof OutboxPayload.Type

export const OutboxEntry = Schema.Struct({
  /** Ascending in enqueue order. */
  id: Schema.String,
  organizationId: OrganizationId,
  connectionId: ConnectionId,
  taskId: TaskId,
  recordId: Schema.NullOr(VendorRecordId),
  payload: OutboxPayload,
  /** Vendor-side fields an update writes (`status`, `note`, `extension.<field>`); empty for a create. */
  fields: Schema.Array(Schema.String),
  state: OutboxState,
  attempts: Schema.Int,
  lastError: Schema.NullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
})
export type OutboxEntry = typeof OutboxEntry.Type
export type NewOutboxEntry = Pick<OutboxEntry, "organizationId" | "connectionId" | "taskId" | "recordId" | "payload">

export class OutboxRepository extends Context.Service<
  OutboxRepository,
  {
    /** Queues a change; pending updates of the same task at the same connection whose fields it covers become superseded, in the same statement. */
    readonly enqueue: (entry: NewOutboxEntry) => Io<OutboxEntry>
    /** `enqueue` for many changes (a pulled page's push-backs) in one statement. */
    readonly enqueueMany: (entries: ReadonlyArray<NewOutboxEntry>) => Io<ReadonlyArray<OutboxEntry>>
    /** The oldest unfinished (pending or sending) change of a task at a connection: changes go out in order. */
    readonly next: (connection: ConnectionId, task: TaskId) => Io<OutboxEntry | null>
    /** Unfinished changes of these tasks at a connection, oldest first (a deletion turns them into conflicts). */
    readonly unfinished: (connection: ConnectionId, tasks: ReadonlyArray<TaskId>) => Io<ReadonlyArray<OutboxEntry>>
    /** Moves a pending (or interrupted sending) entry to sending and counts the attempt; null if it is no longer sendable. */
    readonly claim: (id: string) => Io<OutboxEntry | null>
    readonly mark: (id: string, state: "pending" | "sent" | "dead" | "discarded", error: string | null) => Io<void>
    /**
     * `mark(id, "sent", null)` that also answers whether the entry's task has another unsent entry at its connection
     * (as committed when the statement began), so a drain need not ask again for the next one.
     */
    readonly markSent: (id: string) => Io<boolean>
    /**
     * `markSent` of several entries in one statement (a push lane's answers stored together): by id, whether the
     * entry's task has another unsent entry at its connection besides those named.
     */
    readonly markSentMany: (ids: ReadonlyArray<string>) => Io<ReadonlyMap<string, boolean>>
    /** Oldest first: the console's pending and dead-letter views, and the engine's sweep for unsent work. */
    readonly list: (
      org: OrganizationId,
      options: { readonly state: OutboxState; readonly connection?: ConnectionId; readonly limit: number },
    ) => Io<ReadonlyArray<OutboxEntry>>
  }
>()("@taskbridge/domain/OutboxRepository") {}

/** How a change arrived: a user through the API, a vendor pull or webhook, our push's answer, or a resolution. */
export const HistoryOrigin = Schema.Literals(["api", "pull", "webhook", "push", "conflict-resolution"])
export type HistoryOrigin = typeof HistoryOrigin.Type

/** Values are JSON: callers encode with the field's codec (e.g. `Schema.toCodecJson(Due)`). */
export const FieldChange = Schema.Struct({ field: Schema.String, before: Schema.Json, after: Schema.Json })
export type FieldChange = typeof FieldChange.Type

export const HistoryRecord = Schema.Struct({
  id: Schema.String,
  organizationId: OrganizationId,
  taskId: TaskId,
  origin: HistoryOrigin,
  /** Who: the API token or user for `api` and resolutions; null for a vendor (the connection says which). */
  actor: Schema.NullOr(Schema.String),
  connectionId: Schema.NullOr(ConnectionId),
  changes: Schema.Array(FieldChange),
  at: Schema.DateTimeUtc,
})
export type HistoryRecord = typeof HistoryRecord.Type
export type HistoryEntry = Omit<HistoryRecord, "id" | "at">

export class HistoryRepository extends Context.Service<
  HistoryRepository,
  {
    /** Append-only: the database refuses to update or delete history. */
    readonly append: (entry: HistoryEntry) => Io<void>
    /** `append` for many entries in one round trip, in the order given. */
    readonly appendMany: (entries: ReadonlyArray<HistoryEntry>) => Io<void>
    /** Oldest first. */
    readonly list: (org: OrganizationId, task: TaskId) => Io<ReadonlyArray<HistoryRecord>>
  }
>()("@taskbridge/domain/HistoryRepository") {}

export const ConflictRecord = Schema.Struct({
  id: Schema.String,
  organizationId: OrganizationId,
  taskId: TaskId,
  connectionId: ConnectionId,
  /** A synced field, or `deleted` when the vendor deleted a record that has local changes waiting. */
  field: Schema.String,
  base: Schema.Json,
  local: Schema.Json,
  remote: Schema.Json,
  state: Schema.Literals(["open", "resolved"]),
  resolution: Schema.NullOr(Schema.Json),
  resolvedBy: Schema.NullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  resolvedAt: Schema.NullOr(Schema.DateTimeUtc),
})
export type ConflictRecord = typeof ConflictRecord.Type
export type NewConflict = Pick<
  ConflictRecord,
  "organizationId" | "taskId" | "connectionId" | "field" | "base" | "local" | "remote"
>

/** The conflict field a vendor-side deletion of a record with unsent local changes opens. */
export const deletedField = "deleted"

export class ConflictNotOpen extends Schema.TaggedError<ConflictNotOpen>()("ConflictNotOpen", { id: Schema.String }) {
  override get message() {
    return `conflict ${this.id} is not open`
  }
}

export class ConflictRepository extends Context.Service<
  ConflictRepository,
  {
    /** Opens a conflict, or refreshes the open one for the same task, connection and field (replays add nothing). */
    readonly record: (conflict: NewConflict) => Io<ConflictRecord>
    /** `record` for many conflicts (a pulled page's) in one statement. */
    readonly recordMany: (conflicts: ReadonlyArray<NewConflict>) => Io<void>
    /** Open conflicts of an organization, optionally of one task; oldest first. */
    readonly open: (org: OrganizationId, task?: TaskId) => Io<ReadonlyArray<ConflictRecord>>
    readonly resolve: (
      org: OrganizationId,
      id: string,
      value: Schema.Json,
      by: string | null,
    ) => Io<ConflictRecord, ConflictNotOpen>
  }
>()("@taskbridge/domain/ConflictRepository") {}

export const SyncRunKind = Schema.Literals(["backfill", "incremental", "reconcile", "webhook"])
export type SyncRunKind = typeof SyncRunKind.Type

export const SyncRun = Schema.Struct({
  id: Schema.String,
  organizationId: OrganizationId,
  connectionId: ConnectionId,
  kind: SyncRunKind,
  state: Schema.Literals(["running", "succeeded", "failed"]),
  pages: Schema.Int,
  records: Schema.Int,
  /** As the vendor last reported it; null when it does not say. */
  total: Schema.NullOr(Schema.Int),
  error: Schema.NullOr(Schema.String),
  startedAt: Schema.DateTimeUtc,
  finishedAt: Schema.NullOr(Schema.DateTimeUtc),
})
export type SyncRun = typeof SyncRun.Type

export class SyncRunRepository extends Context.Service<
  SyncRunRepository,
  {
    readonly start: (org: OrganizationId, connection: ConnectionId, kind: SyncRunKind) => Io<SyncRun>
    /** One more page: adds its record count and keeps the vendor's latest total. */
    readonly progress: (id: string, page: { readonly records: number; readonly total: number | null }) => Io<void>
    readonly finish: (id: string, outcome: { readonly error: string | null }) => Io<SyncRun>
    /** Fails runs left `running` that have not shown progress for `silentSeconds` (their process died). */
    readonly abandon: (connection: ConnectionId, reason: string, silentSeconds: number) => Io<number>
    /** Newest first. */
    readonly list: (connection: ConnectionId, limit: number) => Io<ReadonlyArray<SyncRun>>
  }
>()("@taskbridge/domain/SyncRunRepository") {}

/**
 * A mass deletion held for an operator: a complete listing that would tombstone more than the connection's allowed
 * share of its records (an empty or partial listing must never wipe data). Confirming applies it; rejecting drops it.
 */
export const HeldDeletion = Schema.Struct({
  id: Schema.String,
  organizationId: OrganizationId,
  connectionId: ConnectionId,
  generation: Schema.String,
  records: Schema.Array(VendorRecordId),
  /** Live records of the connection when it was held, so the share is visible. */
  live: Schema.Int,
  state: Schema.Literals(["held", "confirmed", "rejected"]),
  decidedBy: Schema.NullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  decidedAt: Schema.NullOr(Schema.DateTimeUtc),
})
export type HeldDeletion = typeof HeldDeletion.Type

export class HeldDeletionNotFound extends Schema.TaggedError<HeldDeletionNotFound>()("HeldDeletionNotFound", {
  id: Schema.String,
}) {
  override get message() {
    return `held deletion ${this.id} is not waiting for a decision in this organization`
  }
}

export class HeldDeletionRepository extends Context.Service<
  HeldDeletionRepository,
  {
    /** Holds a deletion, replacing a connection's earlier undecided one (the newer listing supersedes it). */
    readonly hold: (
      entry: Pick<HeldDeletion, "organizationId" | "connectionId" | "generation" | "records" | "live">,
    ) => Io<HeldDeletion>
    /** Drops a connection's undecided deletion: a newer complete listing decided differently. */
    readonly drop: (connection: ConnectionId) => Io<void>
    /** Undecided deletions of an organization, optionally of one connection. */
    readonly held: (org: OrganizationId, connection?: ConnectionId) => Io<ReadonlyArray<HeldDeletion>>
    readonly decide: (
      org: OrganizationId,
      id: string,
      state: "confirmed" | "rejected",
      by: string,
    ) => Io<HeldDeletion, HeldDeletionNotFound>
  }
>()("@taskbridge/domain/HeldDeletionRepository") {}

/** A vendor record held aside because it could not be read, as operators see it. */
export const Quarantined = Schema.Struct({
  connectionId: ConnectionId,
  /** The vendor's id, or null when the broken record did not carry a readable one. */
  recordId: Schema.NullOr(VendorRecordId),
  reason: Schema.String,
  payload: Schema.NullOr(Schema.Json),
  /** How many pulls have seen it broken since it was first held. */
  seen: Schema.Int,
  firstSeenAt: Schema.DateTimeUtc,
  lastSeenAt: Schema.DateTimeUtc,
})
export type Quarantined = typeof Quarantined.Type

export class QuarantineRepository extends Context.Service<
  QuarantineRepository,
  {
    /** Holds a page's unreadable records (again: counted, with the latest reason and payload). */
    readonly hold: (
      org: OrganizationId,
      connection: ConnectionId,
      records: ReadonlyArray<QuarantinedRecord>,
      now: DateTime.Utc,
    ) => Io<void>
    /** Records that were read fine this time leave the quarantine. */
    readonly release: (connection: ConnectionId, records: ReadonlyArray<VendorRecordId>) => Io<void>
    readonly list: (
      org: OrganizationId,
      options: { readonly connectionId?: ConnectionId | undefined; readonly limit: number },
    ) => Io<ReadonlyArray<Quarantined>>
    /** Held records per connection of the organization. */
    readonly counts: (org: OrganizationId) => Io<ReadonlyMap<ConnectionId, number>>
  }
>()("@taskbridge/domain/QuarantineRepository") {}
