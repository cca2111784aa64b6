// The port every vendor adapter implements, and the registry the sync engine asks for a connection's adapter.
// Adapters answer with the vendor's new state after every write: that answer becomes the merge base.
import { Context, type Effect, Schema, type Stream } from "effect"
import type { VendorManifest } from "../Capabilities.ts"
import type { ConnectionNotFound, ConnectionUnusable, SyncError } from "../Errors.ts"
import { type ConnectionId, VendorRecordId } from "../Ids.ts"
import type { StatusScheme } from "../StatusScheme.ts"
import { type RecordChange, type RecordDraft, VendorRecord } from "../VendorRecord.ts"

/** Opaque to the engine: each adapter encodes its own position (a watermark, a page token, a snapshot hash set). */
export const Checkpoint = Schema.String.pipe(Schema.brand("Checkpoint"))
export type Checkpoint = typeof Checkpoint.Type

export const ChangePage = Schema.Struct({
  records: Schema.Array(VendorRecord),
  /** Records the vendor no longer returns (Vambe's deletion by disappearance). */
  deleted: Schema.Array(VendorRecordId),
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
  readonly get: (id: VendorRecordId) => Effect.Effect<VendorRecord, SyncError>
  /** Never retried blindly: the engine calls `findCreated` first when an earlier attempt may have landed. */
  readonly create: (draft: RecordDraft) => Effect.Effect<VendorRecord, SyncError>
  readonly findCreated: (draft: RecordDraft) => Effect.Effect<VendorRecord | null, SyncError>
  readonly update: (id: VendorRecordId, change: RecordChange) => Effect.Effect<VendorRecord, SyncError>
}

export class VendorAdapters extends Context.Service<
  VendorAdapters,
  {
    readonly forConnection: (id: ConnectionId) => Effect.Effect<VendorAdapter, ConnectionNotFound | ConnectionUnusable>
  }
>()("@taskbridge/domain/VendorAdapters") {}
