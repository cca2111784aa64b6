// Pulls for Kore.ai, checkpointed per getTasks page (the kit's `checkpointed`) and idempotent on replay. getTasks has
// no updated-since filter (vendor-docs §3.6), so an incremental pull is the kit's offset scan: `sortBy {updatedAt:
// desc}` by `skip`, down to the previous watermark minus an overlap, re-reading a few rows at each page boundary so a
// write that shifts rows during the scan is neither skipped nor doubled (keys carry a content digest, so two edits in
// one millisecond are two versions). Kore.ai documents no delete signal, so a full listing — `sortBy {createdAt:
// asc}`, which no edit reorders — runs first and then every `fullEveryMillis`: its pages are one sweep generation and
// the engine tombstones what a complete one no longer holds. Each page is one request of the account's budget.

import { scanAndSweep, scanKey, scanStep, snapshotStep } from "@taskbridge/adapter-kit/Paging"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Effect, Schema, type Stream } from "effect"
import type { KoreaiClient } from "./Client.ts"
import type { Task } from "./Schema.ts"

/** One offset of the full listing. */
const Window = Schema.Struct({ skip: Schema.Int })

export interface PullOptions {
  readonly pageSize: number
  readonly overlapMillis: number
  /** Rows re-read at each page boundary of a scan. */
  readonly overlapRows: number
  readonly fullEveryMillis: number
}

/** What Sync needs from the adapter: the client and the records it builds (learning the configuration on the way). */
export interface PullContext {
  readonly client: KoreaiClient
  readonly toRecords: (tasks: ReadonlyArray<Task>) => Effect.Effect<ReadonlyArray<VendorRecord>>
}

/** When a task last changed: `updatedAt`, else `timestampValue`, else its creation. */
export const millisOf = (t: Task): number => {
  const iso = t.updatedAt ?? t.createdAt
  return iso !== undefined ? Date.parse(iso) : (t.timestampValue ?? 0)
}

/** `id@updatedAt#digest@millis`: a second edit within the same millisecond is a new key, so no overlap hides it. */
export const keyOf = (t: Task) => scanKey(t._id, t.updatedAt ?? "", millisOf(t), t)

const scan = (context: PullContext, options: PullOptions) =>
  scanStep<Task>({
    addressing: "offset",
    limit: options.pageSize,
    overlapMillis: options.overlapMillis,
    overlapRows: options.overlapRows,
    key: keyOf,
    updatedAt: millisOf,
    // https://docs.kore.ai/ai-for-service/apis/case-management-apis/get-tasks
    fetch: (skip, limit) =>
      Effect.map(context.client.getTasks({ skip, limit, sortBy: { updatedAt: "desc" } }), (page) => ({
        items: page.results,
        quarantined: page.quarantined,
        last: !page.hasMore,
        total: page.totalResults,
      })),
  })

// A page shorter than `limit` ends the listing (a last page exactly `limit` long costs one empty request more):
// `snapshotStep.next` sees only the items, and re-deciding from them keeps a resumed listing's state this small.
const fullStep = (context: PullContext, options: PullOptions) =>
  snapshotStep<typeof Window.Type, Task>({
    windows: Effect.succeed([{ skip: 0 }]),
    fetch: (w) =>
      Effect.map(
        context.client.getTasks({ skip: w.skip, limit: options.pageSize, sortBy: { createdAt: "asc" } }),
        (page) => ({ items: page.results, quarantined: page.quarantined, count: page.count }),
      ),
    next: (w, _items, count) => (count < options.pageSize ? null : { skip: w.skip + count }),
  })

export const listChanges = (
  context: PullContext,
  checkpoint: Checkpoint | null,
  options: PullOptions,
): Stream.Stream<ChangePage, SyncError> =>
  scanAndSweep({
    vendor: "koreai",
    window: Window,
    scan: scan(context, options),
    full: fullStep(context, options),
    key: keyOf,
    updatedAt: millisOf,
    toRecords: context.toRecords,
    overlapMillis: options.overlapMillis,
    fullEveryMillis: options.fullEveryMillis,
  })(checkpoint)
