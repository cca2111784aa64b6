// Pulls for Kore.ai, checkpointed per getTasks page (the kit's `checkpointed`) and idempotent on replay. getTasks has
// no updated-since filter (vendor-docs §3.6), so an incremental pull is the kit's offset scan: `sortBy {updatedAt:
// desc}` by `skip`, down to the previous watermark minus an overlap, re-reading a few rows at each page boundary so a
// write that shifts rows during the scan is neither skipped nor doubled (keys carry a content digest, so two edits in
// one millisecond are two versions). Kore.ai documents no delete signal, so a full listing — `sortBy {createdAt:
// asc}`, which no edit reorders — runs first and then every `fullEveryMillis`: its pages are one sweep generation and
// the engine tombstones what a complete one no longer holds. Each page is one request of the account's budget.

import {
  checkpointed,
  keyTime,
  ScanState,
  scanKey,
  scanStep,
  snapshotState,
  snapshotStep,
} from "@taskbridge/adapter-kit/Paging"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Clock, Effect, Schema, type Stream } from "effect"
import type { KoreaiClient } from "./Client.ts"
import type { Task } from "./Schema.ts"

/** One offset of the full listing. */
const Window = Schema.Struct({ skip: Schema.Int })

const Full = snapshotState(Window)

const State = Schema.Struct({
  v: Schema.Literal(1),
  /** When the last complete full listing started (epoch ms, our clock); null before the first. */
  lastFullAt: Schema.NullOr(Schema.Number),
  scan: ScanState,
  /** The full listing under way, the newest `updatedAt` it has seen, and its keys inside the overlap window. */
  full: Schema.Struct({ listing: Full, newest: Schema.NullOr(Schema.Number), recent: Schema.Array(Schema.String) }),
})
type State = typeof State.Type

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

const emptyFull = { listing: { v: 1 as const, run: null }, newest: null, recent: [] }

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

/** One page of the full listing; when it completes, the scan continues from where the listing began. */
const listFully = (context: PullContext, options: PullOptions, state: State) =>
  Effect.gen(function* () {
    const page = yield* fullStep(context, options)(state.full.listing)
    const items = page.items
    const startedAt = page.sweep.startedAt.epochMilliseconds
    const newest = items.reduce<number | null>(
      (m, t) => Math.max(m ?? Number.NEGATIVE_INFINITY, millisOf(t)),
      state.full.newest,
    )
    // The scan after this listing re-reads from its start (or its newest row, if earlier) minus the overlap: an edit
    // made while it ran, to a page already listed, is found then. Only keys that re-read can bring back are kept.
    const watermark = newest === null ? startedAt : Math.min(startedAt, newest)
    const keep = watermark - options.overlapMillis
    const recent = [...state.full.recent, ...items.map(keyOf)].filter((k) => keyTime(k) >= keep)
    const records = yield* context.toRecords(items)
    if (!page.done) {
      const next: State = { ...state, full: { listing: page.next, newest, recent } }
      return { records, quarantined: page.quarantined, sweep: page.sweep, next, done: false }
    }
    const next: State = { v: 1, lastFullAt: startedAt, scan: { v: 1, watermark, recent, run: null }, full: emptyFull }
    return { records, quarantined: page.quarantined, sweep: page.sweep, next, done: true }
  })

const scanOnce = (context: PullContext, options: PullOptions, state: State) =>
  Effect.gen(function* () {
    const page = yield* scan(context, options)(state.scan)
    const records = yield* context.toRecords(page.items)
    return {
      records,
      quarantined: page.quarantined,
      total: page.total,
      next: { ...state, scan: page.next } satisfies State,
      done: page.done,
    }
  })

/** A full listing is due before the first scan and once `fullEveryMillis` has passed since the last one began. */
const fullDue = (state: State, now: number, options: PullOptions) =>
  state.full.listing.run !== null ||
  (state.scan.run === null && (state.lastFullAt === null || now - state.lastFullAt >= options.fullEveryMillis))

export const listChanges = (
  context: PullContext,
  checkpoint: Checkpoint | null,
  options: PullOptions,
): Stream.Stream<ChangePage, SyncError> =>
  checkpointed({
    vendor: "koreai",
    state: State,
    initial: Effect.succeed<State>({
      v: 1,
      lastFullAt: null,
      scan: { v: 1, watermark: null, recent: [], run: null },
      full: emptyFull,
    }),
    step: (state) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        return fullDue(state, now, options)
          ? yield* listFully(context, options, state)
          : yield* scanOnce(context, options, state)
      }),
  })(checkpoint)
