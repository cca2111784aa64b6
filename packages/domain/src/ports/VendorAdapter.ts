// The port every vendor adapter implements, the registry the sync engine asks for a connection's adapter, and what
// an adapter learns at run time and hands the engine to keep per connection (so it survives restarts).
// Adapters answer with the vendor's new state after every write: that answer becomes the merge base.
import { Context, type Effect, Schema, type Stream } from "effect"
import { type IdentityEntry, IdentityMap } from "../Assignment.ts"
import type { VendorManifest } from "../Capabilities.ts"
import type { ConnectionNotFound, ConnectionUnusable, SyncError } from "../Errors.ts"
import { type ConnectionId, VendorRecordId } from "../Ids.ts"
import { StatusScheme } from "../StatusScheme.ts"
import { type RecordChange, type RecordDraft, type RecordRef, VendorRecord } from "../VendorRecord.ts"

/** Opaque to the engine: each adapter encodes its own position (a watermark, a page token, a window). */
export const Checkpoint = Schema.String.pipe(Schema.brand("Checkpoint"))
export type Checkpoint = typeof Checkpoint.Type

/**
 * A full listing in progress (mark and sweep): every page of one `generation` marks the records it holds as seen;
 * the page with `complete` says the listing ended, so every record of the connection not seen in it is gone.
 */
export const Sweep = Schema.Struct({
  generation: Schema.NonEmptyString,
  /** When the listing started: records linked after it (a create we pushed meanwhile) are not judged by it. */
  startedAt: Schema.DateTimeUtc,
  complete: Schema.Boolean,
})
export type Sweep = typeof Sweep.Type

/**
 * A record of a page that could not be read (a field of the wrong type, a required one missing): held aside with the
 * rule it broke so an operator sees it, while the rest of the page and the sync go on. `reason` names the path and
 * the rule, never a value; `payload` is the record as the vendor sent it (capped), for the operator who fixes it.
 */
export const QuarantinedRecord = Schema.Struct({
  /** The vendor's id when it could be read from the broken record; null when even that is missing. */
  recordId: Schema.NullOr(VendorRecordId),
  reason: Schema.String,
  payload: Schema.NullOr(Schema.Json),
})
export type QuarantinedRecord = typeof QuarantinedRecord.Type

export const ChangePage = Schema.Struct({
  records: Schema.Array(VendorRecord),
  /** Records of the page that could not be read; absent when all could. */
  quarantined: Schema.optionalKey(Schema.Array(QuarantinedRecord)),
  /** Records the vendor reports deleted. */
  deleted: Schema.Array(VendorRecordId),
  /** Set on the pages of a full listing (manifest `deletions: "sweep"`); null on an incremental page. */
  sweep: Schema.NullOr(Sweep),
  /** Where to resume after this page; storing it with the page's writes makes a replay harmless. */
  checkpoint: Checkpoint,
  /** Backfill progress as far as the vendor reveals it. */
  progress: Schema.Struct({ pages: Schema.Int, records: Schema.Int, total: Schema.NullOr(Schema.Int) }),
})
export type ChangePage = typeof ChangePage.Type

export interface VendorAdapter {
  readonly manifest: VendorManifest
  readonly statusScheme: Effect.Effect<StatusScheme, SyncError>
  /** Pages of records changed since `checkpoint` (null: a full backfill), each with its own next checkpoint. */
  readonly listChanges: (checkpoint: Checkpoint | null) => Stream.Stream<ChangePage, SyncError>
  readonly get: (ref: RecordRef) => Effect.Effect<VendorRecord, SyncError>
  /** Never retried blindly: the engine calls `findCreated` first when an earlier attempt may have landed. */
  readonly create: (draft: RecordDraft) => Effect.Effect<VendorRecord, SyncError>
  readonly findCreated: (draft: RecordDraft) => Effect.Effect<VendorRecord | null, SyncError>
  readonly update: (ref: RecordRef, change: RecordChange) => Effect.Effect<VendorRecord, SyncError>
}

/**
 * What an adapter has learned about its connection at run time: a status scheme (Candid's deprecated statuses, a
 * Vambe or Kore.ai organization's configured statuses), e-mail ⇄ user id pairs, and vendor-specific facts as JSON.
 */
export const LearnedFacts = Schema.Struct({
  statusScheme: Schema.NullOr(StatusScheme),
  identities: IdentityMap,
  facts: Schema.Record(Schema.String, Schema.Json),
})
export type LearnedFacts = typeof LearnedFacts.Type

export const noLearnedFacts: LearnedFacts = { statusScheme: null, identities: [], facts: {} }

/** Where an adapter writes what it learns; the engine persists it per connection, a standalone adapter in memory. */
export interface ConnectionMemory {
  /** What was learned before this adapter was built (after a restart: everything learned so far). */
  readonly learned: LearnedFacts
  readonly saveScheme: (scheme: StatusScheme) => Effect.Effect<void>
  readonly learnIdentity: (entry: IdentityEntry) => Effect.Effect<void>
  readonly saveFact: (key: string, value: Schema.Json) => Effect.Effect<void>
}

export class VendorAdapters extends Context.Service<
  VendorAdapters,
  {
    /**
     * The connection's adapter, rebuilt when its settings changed. `settingsVersion`, when the caller has just read
     * the connection with it, spares reading it again.
     */
    readonly forConnection: (
      id: ConnectionId,
      settingsVersion?: string,
    ) => Effect.Effect<VendorAdapter, ConnectionNotFound | ConnectionUnusable>
  }
>()("@taskbridge/domain/VendorAdapters") {}
