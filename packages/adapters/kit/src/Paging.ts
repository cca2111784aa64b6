// Checkpointed listings: `checkpointed` turns an adapter's page step into the engine's stream of ChangePages, each
// carrying the encoded state to resume from (so a replayed page changes nothing), and the paginators for the paging
// styles the vendors use are steps built on it: a page-token cursor (Candid, CareValidate's case windows), a
// descending scan by update time down to a watermark with overlap and de-duplication, by offset (Kore.ai) or page
// number (Spry), and a full snapshot in windows (each listed whole or page by page) that sweeps what it no longer sees
// (Vambe; Spry's periodic full listing). Every state stays the size of one page plus its overlap window, never of
// everything seen.
import { hash } from "node:crypto"
import { InvalidResponse, SyncError } from "@taskbridge/domain/Errors"
import type { Vendor, VendorRecordId } from "@taskbridge/domain/Ids"
import { type ChangePage, Checkpoint, type QuarantinedRecord, type Sweep } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Clock, DateTime, Effect, Option, Schema, Stream } from "effect"
import { describeIssue } from "./Http.ts"
import type { Salvaged } from "./Salvage.ts"

export interface Step<S> {
  readonly records: ReadonlyArray<VendorRecord>
  /** Records of the vendor page that could not be read (see Salvage.ts). */
  readonly quarantined?: ReadonlyArray<QuarantinedRecord> | undefined
  readonly deleted?: ReadonlyArray<VendorRecordId> | undefined
  readonly sweep?: Sweep | null | undefined
  /** The vendor's total, where it tells (a backfill's progress bar). */
  readonly total?: number | null | undefined
  /** Where to resume after this page; once `done`, the state the next pull starts from. */
  readonly next: S
  readonly done: boolean
}

export interface Checkpointed<S, I> {
  readonly vendor: Vendor
  /** The state's JSON form; its encoding is the checkpoint. */
  readonly state: Schema.Codec<S, I>
  /** Where a first pull (no checkpoint) starts. */
  readonly initial: Effect.Effect<S>
  readonly step: (state: S) => Effect.Effect<Step<S>, SyncError>
}

/** The engine's page stream for `checkpoint`, one vendor page per ChangePage, ending with the run. */
export const checkpointed =
  <S, I>(options: Checkpointed<S, I>) =>
  (checkpoint: Checkpoint | null): Stream.Stream<ChangePage, SyncError> => {
    const json = Schema.fromJsonString(Schema.toCodecJson(options.state))
    const encode = Schema.encodeSync(json)
    const start =
      checkpoint === null
        ? options.initial
        : Schema.decodeUnknownEffect(json)(checkpoint).pipe(
            Effect.mapError(
              (e) =>
                new SyncError({
                  vendor: options.vendor,
                  operation: "list",
                  reason: new InvalidResponse({ detail: `unreadable checkpoint: ${describeIssue(e)}` }),
                }),
            ),
          )
    return Stream.unwrap(
      Effect.map(start, (first) =>
        Stream.paginate({ state: first, pages: 0, records: 0 }, ({ state, pages, records }) =>
          Effect.map(options.step(state), (step) => {
            const progress = { pages: pages + 1, records: records + step.records.length, total: step.total ?? null }
            const page: ChangePage = {
              records: step.records,
              ...(step.quarantined !== undefined && step.quarantined.length > 0
                ? { quarantined: step.quarantined }
                : {}),
              deleted: step.deleted ?? [],
              sweep: step.sweep ?? null,
              checkpoint: Checkpoint.make(encode(step.next)),
              progress,
            }
            const more = step.done ? Option.none() : Option.some({ state: step.next, ...progress })
            return [[page], more] as const
          }),
        ),
      ),
    )
  }

// ---------------------------------------------------------------------------------------------------------------
// Page-token cursor

export const TokenState = Schema.Struct({ token: Schema.NullOr(Schema.String) })
export type TokenState = typeof TokenState.Type

/** One page of a page-token listing; `next` null ends it. */
export const tokenStep =
  <T, E>(
    fetch: (token: string | null) => Effect.Effect<
      {
        readonly items: ReadonlyArray<T>
        readonly quarantined?: ReadonlyArray<QuarantinedRecord> | undefined
        readonly next: string | null
      },
      E
    >,
  ) =>
  (state: TokenState) =>
    Effect.map(fetch(state.token), (page) => ({
      items: page.items,
      quarantined: page.quarantined ?? [],
      next: { token: page.next },
      done: page.next === null,
    }))

// ---------------------------------------------------------------------------------------------------------------
// Descending scan down to a watermark (offset or page number)

export const ScanState = Schema.Struct({
  v: Schema.Literal(1),
  /** Newest update time (epoch ms) of the last finished scan; null before the first one (a backfill). */
  watermark: Schema.NullOr(Schema.Number),
  /** `id@version` delivered at or after `watermark − overlap`, so the overlap re-read repeats nothing. */
  recent: Schema.Array(Schema.String),
  /** The scan under way: how far it is, the newest time it saw, and the previous page's keys (writes shift rows). */
  run: Schema.NullOr(
    Schema.Struct({ skip: Schema.Int, newest: Schema.NullOr(Schema.Number), previous: Schema.Array(Schema.String) }),
  ),
})
export type ScanState = typeof ScanState.Type

export const emptyScan: ScanState = { v: 1, watermark: null, recent: [], run: null }

export interface ScanPage<T> {
  readonly items: ReadonlyArray<T>
  /** Records of the page that could not be read; they count towards the page's size. */
  readonly quarantined?: ReadonlyArray<QuarantinedRecord> | undefined
  /** The vendor says there is nothing after this page (`hasMore: false`, a short page). */
  readonly last: boolean
  readonly total?: number | null | undefined
}

export interface ScanOptions<T> {
  /** `skip`: any offset; `page`: page numbers, so the next offset is always a whole page on. */
  readonly addressing: "offset" | "page"
  readonly limit: number
  /** Time re-read behind the watermark: writes commit out of order and clocks differ. */
  readonly overlapMillis: number
  /** With offsets, rows re-read at each page boundary, so a row deleted meanwhile does not make one skipped. */
  readonly overlapRows: number
  readonly key: (item: T) => string
  readonly updatedAt: (item: T) => number
  /** One page, newest update first, starting at `skip` (a multiple of `limit` with page addressing). */
  readonly fetch: (skip: number, limit: number) => Effect.Effect<ScanPage<T>, SyncError>
}

/** One page of a newest-first scan: the items changed since the last scan, and the next state. */
export const scanStep =
  <T>(options: ScanOptions<T>) =>
  (
    state: ScanState,
  ): Effect.Effect<
    {
      readonly items: ReadonlyArray<T>
      readonly quarantined: ReadonlyArray<QuarantinedRecord>
      readonly next: ScanState
      readonly done: boolean
      readonly total: number | null
    },
    SyncError
  > =>
    Effect.gen(function* () {
      const run = state.run ?? { skip: 0, newest: null, previous: [] }
      const page = yield* options.fetch(run.skip, options.limit)
      const floor = state.watermark === null ? Number.NEGATIVE_INFINITY : state.watermark - options.overlapMillis
      const known = new Set([...state.recent, ...run.previous])
      const items = page.items.filter((item) => options.updatedAt(item) >= floor && !known.has(options.key(item)))
      const newest = page.items.reduce<number | null>(
        (m, i) => Math.max(m ?? Number.NEGATIVE_INFINITY, options.updatedAt(i)),
        run.newest,
      )
      const reachedFloor = page.items.some((item) => options.updatedAt(item) < floor)
      const quarantined = page.quarantined ?? []
      // Unreadable records still took their places on the vendor's page: offsets move past them too.
      const count = page.items.length + quarantined.length
      const done = page.last || count === 0 || reachedFloor
      const advance = options.addressing === "page" ? count : Math.max(1, count - options.overlapRows)
      const keys = page.items.map(options.key)
      if (!done) {
        const next: ScanState = { ...state, run: { skip: run.skip + advance, newest, previous: keys } }
        return { items, quarantined, next, done, total: page.total ?? null }
      }
      const watermark = newest === null ? state.watermark : Math.max(newest, state.watermark ?? newest)
      const keep = watermark === null ? Number.NEGATIVE_INFINITY : watermark - options.overlapMillis
      // Only keys inside the next scan's overlap window can be read again; older ones would only grow the checkpoint.
      const recent = [...new Set([...state.recent, ...keys])].filter((k) => timeOf(k) >= keep)
      return { items, quarantined, next: { v: 1, watermark, recent, run: null }, done, total: page.total ?? null }
    })

// Keys carry their time so the overlap window can be trimmed without keeping the items: `id@version#digest@millis`.
/** The update time a `scanKey` carries (NaN for a key of another shape, which trimming then drops). */
export const keyTime = (key: string) => Number(key.slice(key.lastIndexOf("@") + 1))
const timeOf = keyTime

/**
 * The key an overlap de-duplicates by: the id, the vendor's version, a digest of the item as listed and its update
 * time. The digest matters because vendors stamp versions coarsely (Candid and Spry to the second): a second edit
 * within the same stamp is a new key, so the overlap never hides it as "already delivered".
 */
export const scanKey = (id: string, version: string, updatedAtMillis: number, item: unknown) =>
  `${id}@${version}#${hash("sha256", JSON.stringify(item)).slice(0, 12)}@${updatedAtMillis}`

// ---------------------------------------------------------------------------------------------------------------
// Full snapshot in windows (mark and sweep)

export const snapshotState = <W, WI>(window: Schema.Codec<W, WI>) =>
  Schema.Struct({
    v: Schema.Literal(1),
    /** The listing under way: when it started (its sweep generation) and the windows still to list, next first. */
    run: Schema.NullOr(Schema.Struct({ startedAt: Schema.Number, pending: Schema.Array(window) })),
  })

export interface SnapshotOptions<W, T> {
  /** The windows a fresh listing covers; together they must cover every record, or the sweep would delete it. */
  readonly windows: Effect.Effect<ReadonlyArray<W>>
  /** A window's items, or its items read one by one (Salvage.ts) with those that could not be read. */
  readonly fetch: (window: W) => Effect.Effect<ReadonlyArray<T> | Salvaged<T>, SyncError>
  /** A window whose answer was too large is split into narrower ones (listed instead of it); null keeps it. */
  readonly split?: ((window: W, items: ReadonlyArray<T>) => ReadonlyArray<W> | null) | undefined
  /**
   * A window the vendor lists in pages (Spry's page numbers): the next page of the same window after `items`, listed
   * next while this page's items are kept, or null when the window is complete. Each page is one step, so the listing
   * is checkpointed per vendor page and stays one sweep generation. `count` is how many the vendor sent, readable or
   * not (a page short only of readable records is not the last page).
   */
  readonly next?: ((window: W, items: ReadonlyArray<T>, count: number) => W | null) | undefined
}

type SnapshotState<W> = {
  readonly v: 1
  readonly run: { readonly startedAt: number; readonly pending: ReadonlyArray<W> } | null
}

interface SnapshotStep<W, T> {
  readonly items: ReadonlyArray<T>
  readonly quarantined: ReadonlyArray<QuarantinedRecord>
  readonly next: SnapshotState<W>
  readonly done: boolean
  readonly sweep: Sweep
}

const sweepOf = (startedAt: number, complete: boolean): Sweep => ({
  generation: `snapshot-${startedAt}`,
  startedAt: DateTime.makeUnsafe(startedAt),
  complete,
})

/** One window of a full listing; the last one completes the sweep, so what it did not list is tombstoned. */
export const snapshotStep =
  <W, T>(options: SnapshotOptions<W, T>) =>
  (state: SnapshotState<W>): Effect.Effect<SnapshotStep<W, T>, SyncError> =>
    Effect.gen(function* () {
      const run =
        state.run !== null && state.run.pending.length > 0
          ? state.run
          : { startedAt: yield* Clock.currentTimeMillis, pending: yield* options.windows }
      const [window, ...rest] = run.pending
      if (window === undefined)
        return {
          items: [],
          quarantined: [],
          next: { v: 1, run: null },
          done: true,
          sweep: sweepOf(run.startedAt, true),
        }
      const answer = yield* options.fetch(window)
      const { items, quarantined, count } =
        "count" in answer ? answer : { items: answer, quarantined: [], count: answer.length }
      const narrower = options.split?.(window, items) ?? null
      if (narrower !== null && narrower.length > 0) {
        const next = { v: 1 as const, run: { startedAt: run.startedAt, pending: [...narrower, ...rest] } }
        return { items: [], quarantined: [], next, done: false, sweep: sweepOf(run.startedAt, false) }
      }
      const more = options.next?.(window, items, count) ?? null
      const pending = more === null ? rest : [more, ...rest]
      const done = pending.length === 0
      const next = { v: 1 as const, run: done ? null : { startedAt: run.startedAt, pending } }
      return { items, quarantined, next, done, sweep: sweepOf(run.startedAt, done) }
    })

// ---------------------------------------------------------------------------------------------------------------
// Newest-first scans with periodic full listings (vendors with no updated-since filter and no delete signal)

export interface ScanAndSweepOptions<W, WI, T> {
  readonly vendor: Vendor
  /** A window of the full listing (a page number, an offset); part of the checkpoint. */
  readonly window: Schema.Codec<W, WI>
  /** One page of the incremental scan (a `scanStep`). */
  readonly scan: (state: ScanState) => Effect.Effect<ScanStepResult<T>, SyncError>
  /** One page of the full listing (a `snapshotStep` over an order no edit changes, such as creation time). */
  readonly full: (state: SnapshotState<W>) => Effect.Effect<SnapshotStep<W, T>, SyncError>
  /** The scan's key and update time of an item (as given to `scanStep`). */
  readonly key: (item: T) => string
  readonly updatedAt: (item: T) => number
  readonly toRecords: (items: ReadonlyArray<T>) => Effect.Effect<ReadonlyArray<VendorRecord>>
  readonly overlapMillis: number
  /** A full listing runs first and then once this long has passed since the last one began. */
  readonly fullEveryMillis: number
}

/** What one `scanStep` page gives. */
interface ScanStepResult<T> {
  readonly items: ReadonlyArray<T>
  readonly quarantined: ReadonlyArray<QuarantinedRecord>
  readonly next: ScanState
  readonly done: boolean
  readonly total: number | null
}

/**
 * Incremental newest-first scans (`scanStep`), with a full listing (`snapshotStep`) first and then every
 * `fullEveryMillis` (the checkpoint carries when the last one began): its pages are one sweep generation, so the
 * engine tombstones what a complete one no longer holds, and it sets the scan's watermark, so the scan after it
 * starts where it began — an edit made while it ran, to a page already listed, is found then.
 */
export const scanAndSweep = <W, WI, T>(options: ScanAndSweepOptions<W, WI, T>) => {
  const State = Schema.Struct({
    v: Schema.Literal(1),
    /** When the last complete full listing started (epoch ms, our clock); null before the first. */
    lastFullAt: Schema.NullOr(Schema.Number),
    scan: ScanState,
    /** The full listing under way, the newest update time it has seen, and its keys inside the overlap window. */
    full: Schema.Struct({
      listing: snapshotState(options.window),
      newest: Schema.NullOr(Schema.Number),
      recent: Schema.Array(Schema.String),
    }),
  })
  type State = typeof State.Type
  const emptyFull: State["full"] = { listing: { v: 1, run: null }, newest: null, recent: [] }

  const listFully = (state: State) =>
    Effect.gen(function* () {
      const page = yield* options.full(state.full.listing)
      const startedAt = page.sweep.startedAt.epochMilliseconds
      const newest = page.items.reduce<number | null>(
        (m, item) => Math.max(m ?? Number.NEGATIVE_INFINITY, options.updatedAt(item)),
        state.full.newest,
      )
      // Only keys the next scan's re-read can bring back are kept.
      const watermark = newest === null ? startedAt : Math.min(startedAt, newest)
      const keep = watermark - options.overlapMillis
      const recent = [...state.full.recent, ...page.items.map(options.key)].filter((k) => timeOf(k) >= keep)
      const records = yield* options.toRecords(page.items)
      const next: State = page.done
        ? { v: 1, lastFullAt: startedAt, scan: { v: 1, watermark, recent, run: null }, full: emptyFull }
        : { ...state, full: { listing: page.next, newest, recent } }
      return { records, quarantined: page.quarantined, sweep: page.sweep, next, done: page.done }
    })

  const scanOnce = (state: State) =>
    Effect.gen(function* () {
      const page = yield* options.scan(state.scan)
      const next: State = { ...state, scan: page.next }
      const records = yield* options.toRecords(page.items)
      return { records, quarantined: page.quarantined, total: page.total, next, done: page.done }
    })

  const fullDue = (state: State, now: number) =>
    state.full.listing.run !== null ||
    (state.scan.run === null && (state.lastFullAt === null || now - state.lastFullAt >= options.fullEveryMillis))

  return checkpointed({
    vendor: options.vendor,
    state: State,
    initial: Effect.succeed<State>({ v: 1, lastFullAt: null, scan: emptyScan, full: emptyFull }),
    step: (state: State) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now): Effect.Effect<Step<State>, SyncError> => (fullDue(state, now) ? listFully(state) : scanOnce(state)),
      ),
  })
}
