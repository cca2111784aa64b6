// Pulls for Spry, checkpointed per vendor page (the kit's `checkpointed`) and idempotent on replay. Spry has no
// `updated_since` (vendor-docs §4.5), so an incremental pull is a newest-first scan, `sort_by=updated_at&sort_dir=desc`
// by page number, down to the previous watermark minus an overlap (the kit's `scanStep`; keys carry a content digest,
// so two edits in one second are two versions). Page-number paging under concurrent writes can repeat a row (dropped
// by key) or skip one; and deletions never show up in a scan. So a full listing — `sort_by=created_at&sort_dir=asc`,
// which an edit never reorders — runs first and then whenever `fullEveryMillis` has passed since the last one began
// (the checkpoint carries when): its pages are one sweep generation, and the engine tombstones what a complete one no
// longer holds (mark and sweep). It also sets the scan's watermark, so the scan after it starts where it began.

import { scanAndSweep, scanKey, scanStep, snapshotStep } from "@taskbridge/adapter-kit/Paging"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Effect, Schema, type Stream } from "effect"
import type { SpryClient } from "./Client.ts"
import type { WaitlistRequest } from "./Schema.ts"

/** One page number of the full listing. */
const Window = Schema.Struct({ page: Schema.Int })
type Window = typeof Window.Type

export interface PullOptions {
  readonly pageSize: number
  readonly overlapMillis: number
  readonly fullEveryMillis: number
}

/** What Sync needs from the adapter: the client and the records it builds. */
export interface PullContext {
  readonly client: SpryClient
  readonly toRecord: (wire: WaitlistRequest) => VendorRecord
}

const millis = (iso: string) => Date.parse(iso)

/** `id@updated_at#digest@millis`: a second edit within the same second is a new key, so the overlap never hides it. */
export const keyOf = (r: WaitlistRequest) => scanKey(r.id, r.updated_at, millis(r.updated_at), r)

const scan = (context: PullContext, options: PullOptions) =>
  scanStep<WaitlistRequest>({
    addressing: "page",
    limit: options.pageSize,
    overlapMillis: options.overlapMillis,
    overlapRows: 0,
    key: keyOf,
    updatedAt: (r) => millis(r.updated_at),
    // https://api-docs.spryhealth.care/api/waitlist/list/ — a short page is the last [I: no paging metadata is documented].
    fetch: (skip, limit) =>
      Effect.map(
        context.client.list({ page: skip / limit + 1, pageSize: limit, sortBy: "updated_at", sortDir: "desc" }),
        (page) => ({ items: page.items, quarantined: page.quarantined, last: page.count < limit }),
      ),
  })

const fullStep = (context: PullContext, options: PullOptions) =>
  snapshotStep<Window, WaitlistRequest>({
    windows: Effect.succeed([{ page: 1 }]),
    fetch: (w) =>
      context.client.list({ page: w.page, pageSize: options.pageSize, sortBy: "created_at", sortDir: "asc" }),
    next: (w, _items, count) => (count < options.pageSize ? null : { page: w.page + 1 }),
  })

export const listChanges = (
  context: PullContext,
  checkpoint: Checkpoint | null,
  options: PullOptions,
): Stream.Stream<ChangePage, SyncError> =>
  scanAndSweep({
    vendor: "spry",
    window: Window,
    scan: scan(context, options),
    full: fullStep(context, options),
    key: keyOf,
    updatedAt: (r: WaitlistRequest) => millis(r.updated_at),
    toRecords: (items) => Effect.succeed(items.map(context.toRecord)),
    overlapMillis: options.overlapMillis,
    fullEveryMillis: options.fullEveryMillis,
  })(checkpoint)
