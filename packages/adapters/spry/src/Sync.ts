// Pulls for Spry, checkpointed per vendor page (the kit's `checkpointed`) and idempotent on replay. Spry has no
// `updated_since` (vendor-docs §4.5), so an incremental pull is a newest-first scan, `sort_by=updated_at&sort_dir=desc`
// by page number, down to the previous watermark minus an overlap (the kit's `scanStep`; keys carry a content digest,
// so two edits in one second are two versions). Page-number paging under concurrent writes can repeat a row (dropped
// by key) or skip one; and deletions never show up in a scan. So a full listing — `sort_by=created_at&sort_dir=asc`,
// which an edit never reorders — runs first and then whenever `fullEveryMillis` has passed since the last one began
// (the checkpoint carries when): its pages are one sweep generation, and the engine tombstones what a complete one no
// longer holds (mark and sweep). It also sets the scan's watermark, so the scan after it starts where it began.

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
import type { SpryClient } from "./Client.ts"
import type { WaitlistRequest } from "./Schema.ts"

/** One page number of the full listing. */
const Window = Schema.Struct({ page: Schema.Int })
type Window = typeof Window.Type

const Full = snapshotState(Window)

const State = Schema.Struct({
  v: Schema.Literal(1),
  /** When the last complete full listing started (epoch ms, our clock); null before the first. */
  lastFullAt: Schema.NullOr(Schema.Number),
  scan: ScanState,
  /** The full listing under way, the newest `updated_at` it has seen, and its keys inside the overlap window. */
  full: Schema.Struct({ listing: Full, newest: Schema.NullOr(Schema.Number), recent: Schema.Array(Schema.String) }),
})
type State = typeof State.Type

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
export const keyOf = (r: WaitlistRequest) => {
  return scanKey(r.id, r.updated_at, millis(r.updated_at), r)
}

const emptyFull = { listing: { v: 1 as const, run: null }, newest: null, recent: [] }

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

/** One page of the full listing; when it completes, the scan continues from where the listing began. */
const listFully = (context: PullContext, options: PullOptions, state: State) =>
  Effect.gen(function* () {
    const page = yield* fullStep(context, options)(state.full.listing)
    const startedAt = page.sweep.startedAt.epochMilliseconds
    const newest = page.items.reduce<number | null>(
      (m, r) => Math.max(m ?? Number.NEGATIVE_INFINITY, millis(r.updated_at)),
      state.full.newest,
    )
    // The scan after this listing re-reads from its start (or its newest row, if earlier) minus the overlap: an edit
    // made while it ran, to a page already listed, is found then. Only keys that re-read can bring back are kept.
    const watermark = newest === null ? startedAt : Math.min(startedAt, newest)
    const keep = watermark - options.overlapMillis
    const recent = [...state.full.recent, ...page.items.map(keyOf)].filter((k) => keyTime(k) >= keep)
    const records = page.items.map(context.toRecord)
    if (!page.done) {
      const next: State = { ...state, full: { listing: page.next, newest, recent } }
      return { records, quarantined: page.quarantined, sweep: page.sweep, next, done: false }
    }
    const next: State = {
      v: 1,
      lastFullAt: startedAt,
      scan: { v: 1, watermark, recent, run: null },
      full: emptyFull,
    }
    return { records, quarantined: page.quarantined, sweep: page.sweep, next, done: true }
  })

const scanOnce = (context: PullContext, options: PullOptions, state: State) =>
  Effect.map(scan(context, options)(state.scan), (page) => ({
    records: page.items.map(context.toRecord),
    quarantined: page.quarantined,
    next: { ...state, scan: page.next } satisfies State,
    done: page.done,
  }))

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
    vendor: "spry",
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
