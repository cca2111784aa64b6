// The storage ports the sync engine needs; `@taskbridge/db` implements them on PostgreSQL / PGlite.
// Failures of the store itself are PersistenceError; domain conditions keep their own tagged errors. Every method
// joins the caller's `Transactor.atomically`, so one sync step's writes commit or roll back together.
import { Context, type Effect, Schema } from "effect"
import type { EscalationNotFound, TaskNotFound, VersionConflict } from "../Errors.ts"
import type { Escalation } from "../Escalation.ts"
import { ConnectionId, EscalationId, OrganizationId, TaskId, VendorRecordId } from "../Ids.ts"
import type { Task } from "../Task.ts"
import { RecordChange, RecordDraft, type VendorRecord } from "../VendorRecord.ts"
import type { Checkpoint } from "./VendorAdapter.ts"

export class PersistenceError extends Schema.TaggedError<PersistenceError>()("PersistenceError", {
  operation: Schema.String,
  detail: Schema.String,
}) {}

type Io<A, E = never> = Effect.Effect<A, E | PersistenceError>

/** Runs `effect` in one database transaction; repository calls inside it join it, nested calls join the outer one. */
export class Transactor extends Context.Service<
  Transactor,
  { readonly atomically: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | PersistenceError, R> }
>()("@taskbridge/domain/Transactor") {}

/** What a sync change, a conflict or a history entry is about. */
export const SubjectKey = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("task"), id: TaskId }),
  Schema.Struct({ kind: Schema.Literal("escalation"), id: EscalationId }),
])
export type SubjectKey = typeof SubjectKey.Type

export class TaskRepository extends Context.Service<
  TaskRepository,
  {
    /** Another organization's task is not found: every read is scoped by organization. */
    readonly get: (org: OrganizationId, id: TaskId) => Io<Task, TaskNotFound>
    readonly findByRecord: (connection: ConnectionId, record: VendorRecordId) => Io<Task | null>
    /** Stores a new task with its links (each link's merge base starts empty). */
    readonly insert: (task: Task) => Io<void>
    /** `insert` for many tasks in one round trip (a pulled page's new records): all are stored, or none. */
    readonly insertMany: (tasks: ReadonlyArray<Task>) => Io<void>
    /**
     * Stores `task` if the stored version is still `expectedVersion`; the stored version becomes
     * `expectedVersion + 1` (whatever `task.version` says) and the stored task is returned. Links are replaced by
     * `task.links`, keeping the merge base of links that stay.
     */
    readonly update: (task: Task, expectedVersion: number) => Io<Task, TaskNotFound | VersionConflict>
  }
>()("@taskbridge/domain/TaskRepository") {}

export class EscalationRepository extends Context.Service<
  EscalationRepository,
  {
    readonly get: (org: OrganizationId, id: EscalationId) => Io<Escalation, EscalationNotFound>
    readonly findByRecord: (connection: ConnectionId, record: VendorRecordId) => Io<Escalation | null>
    /** Stores a new escalation and the link that carries its merge base. */
    readonly insert: (escalation: Escalation) => Io<void>
    /** Optimistic update, as TaskRepository.update. */
    readonly update: (
      escalation: Escalation,
      expectedVersion: number,
    ) => Io<Escalation, EscalationNotFound | VersionConflict>
  }
>()("@taskbridge/domain/EscalationRepository") {}

/** A vendor record's link: which canonical subject it is, and the merge base (null until the first sync). */
export interface LinkState {
  readonly subject: SubjectKey
  readonly base: VendorRecord | null
  readonly hash: string | null
}

export class LinkRepository extends Context.Service<
  LinkRepository,
  {
    readonly find: (connection: ConnectionId, record: VendorRecordId) => Io<LinkState | null>
    /** `find` for many records in one round trip (a pulled page): the linked ones, by record id. */
    readonly findMany: (
      connection: ConnectionId,
      records: ReadonlyArray<VendorRecordId>,
    ) => Io<ReadonlyMap<VendorRecordId, LinkState>>
    /** Records `record` as the last synced state (the merge base) of its existing link; fails if there is no link. */
    readonly putBase: (connection: ConnectionId, record: VendorRecord, hash: string) => Io<void>
    /** `putBase` for many records in one round trip; fails, naming them, if any has no link. */
    readonly putBases: (
      connection: ConnectionId,
      bases: ReadonlyArray<{ readonly record: VendorRecord; readonly hash: string }>,
    ) => Io<void>
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
  subject: SubjectKey,
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
export type NewOutboxEntry = Pick<OutboxEntry, "organizationId" | "connectionId" | "subject" | "recordId" | "payload">

export class OutboxRepository extends Context.Service<
  OutboxRepository,
  {
    /** Queues a change; pending updates of the same subject at the same connection whose fields it covers become superseded, in the same statement. */
    readonly enqueue: (entry: NewOutboxEntry) => Io<OutboxEntry>
    /** The oldest unfinished (pending or sending) change of a subject at a connection: changes go out in order. */
    readonly next: (connection: ConnectionId, subject: SubjectKey) => Io<OutboxEntry | null>
    /** Moves a pending (or interrupted sending) entry to sending and counts the attempt; null if it is no longer sendable. */
    readonly claim: (id: string) => Io<OutboxEntry | null>
    readonly mark: (id: string, state: "pending" | "sent" | "dead" | "discarded", error: string | null) => Io<void>
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
  subject: SubjectKey,
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
    readonly list: (org: OrganizationId, subject: SubjectKey) => Io<ReadonlyArray<HistoryRecord>>
  }
>()("@taskbridge/domain/HistoryRepository") {}

export const ConflictRecord = Schema.Struct({
  id: Schema.String,
  organizationId: OrganizationId,
  subject: SubjectKey,
  connectionId: ConnectionId,
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
  "organizationId" | "subject" | "connectionId" | "field" | "base" | "local" | "remote"
>

export class ConflictNotOpen extends Schema.TaggedError<ConflictNotOpen>()("ConflictNotOpen", { id: Schema.String }) {
  override get message() {
    return `conflict ${this.id} is not open`
  }
}

export class ConflictRepository extends Context.Service<
  ConflictRepository,
  {
    /** Opens a conflict, or refreshes the open one for the same subject, connection and field (replays add nothing). */
    readonly record: (conflict: NewConflict) => Io<ConflictRecord>
    /** Open conflicts of an organization, optionally of one subject; oldest first. */
    readonly open: (org: OrganizationId, subject?: SubjectKey) => Io<ReadonlyArray<ConflictRecord>>
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
    /** Newest first. */
    readonly list: (connection: ConnectionId, limit: number) => Io<ReadonlyArray<SyncRun>>
  }
>()("@taskbridge/domain/SyncRunRepository") {}
