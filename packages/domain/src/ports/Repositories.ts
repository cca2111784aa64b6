// The storage ports the sync engine needs; `@taskbridge/db` implements them on PostgreSQL / PGlite.
// Failures of the store itself are PersistenceError; domain conditions keep their own tagged errors.
import { Context, type Effect, Schema } from "effect"
import type { TaskNotFound, VersionConflict } from "../Errors.ts"
import type { Escalation } from "../Escalation.ts"
import type { ConnectionId, EscalationId, OrganizationId, Origin, TaskId, VendorRecordId } from "../Ids.ts"
import type { Task } from "../Task.ts"
import type { RecordChange, VendorRecord } from "../VendorRecord.ts"
import type { Checkpoint } from "./VendorAdapter.ts"

export class PersistenceError extends Schema.TaggedError<PersistenceError>()("PersistenceError", {
  operation: Schema.String,
  detail: Schema.String,
}) {}

type Io<A, E = never> = Effect.Effect<A, E | PersistenceError>

export class TaskRepository extends Context.Service<
  TaskRepository,
  {
    readonly get: (org: OrganizationId, id: TaskId) => Io<Task, TaskNotFound>
    readonly findByRecord: (connection: ConnectionId, record: VendorRecordId) => Io<Task | null>
    readonly insert: (task: Task) => Io<void>
    /** Stores `task` if the stored version is still `expectedVersion`; the stored version becomes task.version. */
    readonly update: (task: Task, expectedVersion: number) => Io<void, VersionConflict>
  }
>()("@taskbridge/domain/TaskRepository") {}

export class EscalationRepository extends Context.Service<
  EscalationRepository,
  {
    readonly get: (org: OrganizationId, id: EscalationId) => Io<Escalation | null>
    readonly findByRecord: (connection: ConnectionId, record: VendorRecordId) => Io<Escalation | null>
    readonly upsert: (escalation: Escalation, expectedVersion: number | null) => Io<void, VersionConflict>
  }
>()("@taskbridge/domain/EscalationRepository") {}

/** The merge base per link: the vendor record as last synced, and its content hash for change detection. */
export class LinkBaseRepository extends Context.Service<
  LinkBaseRepository,
  {
    readonly get: (
      connection: ConnectionId,
      record: VendorRecordId,
    ) => Io<{ record: VendorRecord; hash: string } | null>
    readonly put: (connection: ConnectionId, record: VendorRecord, hash: string) => Io<void>
  }
>()("@taskbridge/domain/LinkBaseRepository") {}

export class CheckpointRepository extends Context.Service<
  CheckpointRepository,
  {
    readonly get: (connection: ConnectionId) => Io<Checkpoint | null>
    readonly put: (connection: ConnectionId, checkpoint: Checkpoint) => Io<void>
  }
>()("@taskbridge/domain/CheckpointRepository") {}

export const OutboxState = Schema.Literals(["pending", "sending", "sent", "dead", "discarded", "superseded"])
export type OutboxState = typeof OutboxState.Type

export interface OutboxEntry {
  readonly id: string
  readonly connection: ConnectionId
  readonly record: VendorRecordId | null
  readonly subject:
    | { readonly kind: "task"; readonly id: TaskId }
    | { readonly kind: "escalation"; readonly id: EscalationId }
  readonly change: RecordChange
  readonly state: OutboxState
  readonly attempts: number
  readonly lastError: string | null
}

export class OutboxRepository extends Context.Service<
  OutboxRepository,
  {
    readonly enqueue: (entry: Omit<OutboxEntry, "state" | "attempts" | "lastError">) => Io<void>
    /** The oldest unsent change for a subject: changes to one record go out in order. */
    readonly next: (subjectId: string) => Io<OutboxEntry | null>
    readonly mark: (id: string, state: OutboxState, error: string | null) => Io<void>
  }
>()("@taskbridge/domain/OutboxRepository") {}

export interface HistoryEntry {
  readonly subjectId: string
  readonly origin: Origin | "conflict-resolution"
  readonly via: "api" | "pull" | "webhook" | "push"
  readonly changes: ReadonlyArray<{ readonly field: string; readonly before: unknown; readonly after: unknown }>
}

export class HistoryRepository extends Context.Service<
  HistoryRepository,
  {
    readonly append: (entry: HistoryEntry) => Io<void>
    readonly list: (subjectId: string) => Io<ReadonlyArray<HistoryEntry & { readonly at: Date }>>
  }
>()("@taskbridge/domain/HistoryRepository") {}

export interface ConflictRecord {
  readonly id: string
  readonly subjectId: string
  readonly field: string
  readonly base: unknown
  readonly local: unknown
  readonly remote: unknown
}

export class ConflictRepository extends Context.Service<
  ConflictRepository,
  {
    readonly record: (conflict: Omit<ConflictRecord, "id">) => Io<ConflictRecord>
    readonly open: (subjectId: string) => Io<ReadonlyArray<ConflictRecord>>
    readonly resolve: (id: string, value: unknown) => Io<void>
  }
>()("@taskbridge/domain/ConflictRepository") {}
