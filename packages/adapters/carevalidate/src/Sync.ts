// Pulls for CareValidate, checkpointed per case-list page (the kit's `checkpointed`) and idempotent on replay. Cases are
// listed by creation date only (windows ≤ 60 days, `after` cursor), so every pull walks the windows from the backfill
// start and fetches the detail of each case whose `updatedAt` (which moves with its escalations) is newer than the
// last pull's watermark minus an overlap, emitting the escalations that changed. The state holds a watermark and the
// keys of the overlap window only — never every case or escalation seen. Also the newest-first case search `get` falls
// back on when a record's case (its parent) is not known.

import { checkpointed, keyTime, scanKey } from "@taskbridge/adapter-kit/Paging"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Clock, Effect, Option, Schema, type Stream } from "effect"
import type { CareValidateClient } from "./Client.ts"
import { versionOf } from "./Mapping.ts"
import type { CasePage, Escalation } from "./Schema.ts"

const WINDOW_MS = 60 * 86_400_000

const State = Schema.Struct({
  v: Schema.Literal(2),
  /** Creation-date floor of every pull, fixed by the first one. */
  start: Schema.String,
  /** Newest case `updatedAt` (epoch ms) a finished pull saw; null before the first pull ends. */
  watermark: Schema.NullOr(Schema.Number),
  /** Escalation keys delivered within the overlap window behind the watermark. */
  recent: Schema.Array(Schema.String),
  /** The pull under way: the window being listed, the cursor inside it, where it ends, what it has seen. */
  run: Schema.NullOr(
    Schema.Struct({
      windowStart: Schema.String,
      after: Schema.NullOr(Schema.String),
      end: Schema.String,
      newest: Schema.NullOr(Schema.Number),
      delivered: Schema.Array(Schema.String),
    }),
  ),
})
type State = typeof State.Type
type Run = NonNullable<State["run"]>

export interface PullOptions {
  readonly sinceMillis: number
  readonly pageSize: number
  readonly detailConcurrency: number
  readonly overlapMillis: number
}

/** What Sync needs from the adapter: the records it builds. */
export interface PullContext {
  readonly client: CareValidateClient
  readonly toRecord: (caseId: string, e: Escalation) => Effect.Effect<VendorRecord>
}

const iso = (ms: number) => new Date(ms).toISOString()
const millis = (text: string) => new Date(text).getTime()
const keyOf = (e: Escalation) => scanKey(e.id, versionOf(e), millis(versionOf(e)), e)

const windowOf = (run: Run) => {
  const start = millis(run.windowStart)
  const end = Math.min(start + WINDOW_MS, millis(run.end))
  return { startTime: iso(start), endTime: iso(end), last: end >= millis(run.end) }
}

/** One case-list page: the escalations of moved cases that changed since the watermark, and the next state. */
const step = (context: PullContext, options: PullOptions) => (state: State) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const run: Run = state.run ?? { windowStart: state.start, after: null, end: iso(now), newest: null, delivered: [] }
    const window = windowOf(run)
    const page = yield* context.client.listCases({ ...window, after: run.after, recordsPerPage: options.pageSize })
    const floor = state.watermark === null ? Number.NEGATIVE_INFINITY : state.watermark - options.overlapMillis
    // Windows share their boundary instant (both ends are inclusive): a case created exactly there was listed already.
    const fresh = page.cases.filter(
      (c) => run.windowStart === state.start || millis(c.createdAt) !== millis(window.startTime),
    )
    const moved = fresh.filter((c) => millis(c.updatedAt) >= floor)
    const details = yield* Effect.forEach(moved, (c) => context.client.caseDetail(c.id), {
      concurrency: options.detailConcurrency,
    })
    const quarantined = details.flatMap((d) => d.quarantined)
    const known = new Set([...state.recent, ...run.delivered])
    const records: Array<VendorRecord> = []
    const keys: Array<string> = []
    for (const detail of details) {
      for (const e of detail.escalations) {
        const key = keyOf(e)
        if (keyTime(key) < floor || known.has(key)) continue
        keys.push(key)
        records.push(yield* context.toRecord(detail.id, e))
      }
    }
    const newest = fresh.reduce<number | null>(
      (m, c) => Math.max(m ?? Number.NEGATIVE_INFINITY, millis(c.updatedAt)),
      run.newest,
    )
    // Only keys the overlap can bring back again are kept, so the state stays small however many cases there are.
    const keepFrom = (newest ?? Number.NEGATIVE_INFINITY) - options.overlapMillis
    const delivered = [...run.delivered, ...keys].filter((k) => keyTime(k) >= keepFrom)
    const moreInWindow = page.pageInfo.hasNextPage
    if (moreInWindow || !window.last) {
      const next: Run = moreInWindow
        ? { ...run, after: page.pageInfo.cursor.end, newest, delivered }
        : { ...run, windowStart: window.endTime, after: null, newest, delivered }
      return { records, quarantined, next: { ...state, run: next }, done: false }
    }
    const watermark = newest === null ? state.watermark : Math.max(newest, state.watermark ?? newest)
    const trim = (watermark ?? Number.NEGATIVE_INFINITY) - options.overlapMillis
    const recent = [...new Set([...state.recent, ...delivered])].filter((k) => keyTime(k) >= trim)
    return { records, quarantined, next: { ...state, watermark, recent, run: null }, done: true }
  })

export const listChanges = (
  context: PullContext,
  checkpoint: Checkpoint | null,
  options: PullOptions,
): Stream.Stream<ChangePage, SyncError> =>
  checkpointed({
    vendor: "carevalidate",
    state: State,
    initial: Effect.map(Clock.currentTimeMillis, (now) => ({
      v: 2 as const,
      start: iso(now - options.sinceMillis),
      watermark: null,
      recent: [],
      run: null,
    })),
    step: step(context, options),
  })(checkpoint)

/**
 * The case holding an escalation, searched newest window first (recent escalations are the ones written to), down
 * to `sinceMillis` ago. Only for a record whose case is not known; the engine keeps each record's case on its link.
 */
export const findCase = (context: PullContext, escalationId: string, options: PullOptions) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const floor = now - options.sinceMillis
    for (let end = now; end > floor; end -= WINDOW_MS) {
      const window = { startTime: iso(Math.max(floor, end - WINDOW_MS)), endTime: iso(end) }
      let after: string | null = null
      do {
        const page: CasePage["data"] = yield* context.client.listCases({
          ...window,
          after,
          recordsPerPage: options.pageSize,
        })
        const newestFirst = [...page.cases].reverse()
        const details = yield* Effect.forEach(newestFirst, (c) => context.client.caseDetail(c.id), {
          concurrency: options.detailConcurrency,
        })
        const found = details.find((d) => d.escalations.some((e) => e.id === escalationId.toLowerCase()))
        if (found !== undefined) return Option.some(found.id)
        after = page.pageInfo.hasNextPage ? page.pageInfo.cursor.end : null
      } while (after !== null)
    }
    return Option.none<string>()
  })
