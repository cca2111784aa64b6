// Incremental pull for Candid, checkpointed per page (the kit's `checkpointed`) and idempotent on replay. Phase 1:
// `updated_since` (watermark minus an overlap) + `page_token`, oldest first. Phase 2: newest-first by
// `agg_updated_at` down to the previous watermark, because the docs leave open whether `updated_since` sees note-only
// edits (vendor-docs §1.7). Both phases de-duplicate by task id + `agg_updated_at` + a content digest, keeping only the keys an overlap
// can bring back (by `updated_at` for phase 1's window, by `agg_updated_at` for phase 2's), so the checkpoint stays the
// size of the overlap windows however large the backfill.

import { checkpointed, keyTime, scanKey } from "@taskbridge/adapter-kit/Paging"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import type { StatusScheme } from "@taskbridge/domain/StatusScheme"
import { DateTime, Effect, Schema, type Stream } from "effect"
import type { CandidClient } from "./Client.ts"
import { toRecord } from "./Mapping.ts"

const Mark = Schema.NullOr(Schema.String)
const State = Schema.Struct({
  v: Schema.Literal(1),
  /** Latest `updated_at` / `agg_updated_at` of finished pulls. */
  updatedMark: Mark,
  aggMark: Mark,
  phase: Schema.Literals(["since", "notes"]),
  pageToken: Mark,
  /** Fixed for one pull: phase 1's `updated_since`, and the `agg_updated_at` where phase 2 stops. */
  since: Mark,
  floor: Mark,
  /** Latest timestamps seen so far in the pull under way. */
  runUpdated: Mark,
  runAgg: Mark,
  /**
   * Keys (`scanKey`) of tasks already delivered that an overlap can bring back: the key's time is the task's
   * `updated_at`, its version the task's `agg_updated_at` in epoch milliseconds (`keyAgg`).
   */
  seen: Schema.Array(Schema.String),
})
type State = typeof State.Type

const empty: State = {
  v: 1,
  updatedMark: null,
  aggMark: null,
  phase: "since",
  pageToken: null,
  since: null,
  floor: null,
  runUpdated: null,
  runAgg: null,
  seen: [],
}

export interface PullOptions {
  readonly pageSize: number
  readonly overlapMillis: number
}

/**
 * An instant's epoch milliseconds. Candid writes UTC with a `Z`, which `Date.parse` reads exactly as `DateTime` does
 * (and a page compares thousands of stamps); any other form, or one that does not parse, goes through `DateTime`.
 */
const millis = (iso: string) => {
  const parsed = iso.endsWith("Z") ? Date.parse(iso) : Number.NaN
  return Number.isNaN(parsed) ? DateTime.toEpochMillis(DateTime.makeUnsafe(iso)) : parsed
}
const later = (a: string | null, b: string | null) => (a === null ? b : b === null || millis(a) >= millis(b) ? a : b)
const minus = (iso: string | null, ms: number) =>
  iso === null ? null : DateTime.formatIso(DateTime.subtract(DateTime.makeUnsafe(iso), { milliseconds: ms }))
/**
 * What the listing needs of an item before decoding it: its id, its two times and (on demand, once) its key. Most
 * items of a phase-2 page were delivered before (the overlap re-reads them every pull), so an item is decoded only
 * once it is known to be fresh (measured: decoding every listed item was the adapter's largest CPU cost of an
 * incremental pull). An item whose stamps are not text cannot pass the schema either: it is decoded, and quarantined.
 */
interface Listed {
  readonly raw: unknown
  readonly id: string
  readonly updatedAt: string
  readonly aggUpdatedAt: string
  readonly updated: number
  readonly agg: number
  key?: string
}

const listedOf = (raw: unknown): Listed | null => {
  if (typeof raw !== "object" || raw === null) return null
  const { task_id: id, updated_at: updatedAt, agg_updated_at: aggUpdatedAt } = raw as Record<string, unknown>
  if (typeof id !== "string" || typeof updatedAt !== "string" || typeof aggUpdatedAt !== "string") return null
  const updated = instant(updatedAt)
  const agg = instant(aggUpdatedAt)
  return updated === null || agg === null ? null : { raw, id, updatedAt, aggUpdatedAt, updated, agg }
}

/** `millis` of text not yet checked by the schema: null for one that is not an instant (the schema will say why). */
const instant = (iso: string) => {
  try {
    const at = millis(iso)
    return Number.isNaN(at) ? null : at
  } catch {
    return null
  }
}

/**
 * Task id, `agg_updated_at` and a digest of the item as Candid sent it: Candid stamps to the second, so two edits
 * within one second differ here. The key's time is `updated_at` and its version `agg_updated_at` (epoch ms): phase 1
 * re-reads by the one, phase 2 by the other, and a task whose notes changed long after its fields (`agg_updated_at`
 * far ahead) is kept only as long as either can bring it back. Keeping it by `agg_updated_at` alone held ≈ 9% of a
 * 100,000-task backfill in every checkpoint (750 KB, written with each page). Made once per listed item: the step
 * asks whether it was delivered, and `advance` keeps it.
 */
const key = (item: Listed) => {
  item.key ??= scanKey(item.id, String(item.agg), item.updated, item.raw)
  return item.key
}
/** The `agg_updated_at` a key carries (NaN for a key of an earlier form, which no task matches any more). */
const keyAgg = (k: string) => Number(k.slice(k.lastIndexOf("@", k.lastIndexOf("#")) + 1, k.lastIndexOf("#")))

/** A pull that is not resuming mid-way fixes its `updated_since` and phase-2 floor from the finished watermarks. */
const begin = (state: State, options: PullOptions): State =>
  state.pageToken !== null || state.phase === "notes"
    ? state
    : {
        ...state,
        since: minus(state.updatedMark, options.overlapMillis),
        floor: minus(state.aggMark, options.overlapMillis),
      }

/** Where a kept key's two times must reach: `updated` (its time) or `agg` (its version), either one. */
interface Kept {
  readonly updated: number
  readonly agg: number
}
const keeps = (kept: Kept) => (k: string) => keyTime(k) >= kept.updated || keyAgg(k) >= kept.agg

const finish = (state: State, options: PullOptions): State => {
  const aggMark = later(state.aggMark, state.runAgg)
  const updatedMark = later(state.updatedMark, state.runUpdated)
  // The next pull's phase 1 re-reads everything updated since `updatedMark - overlap`, its phase 2 everything whose
  // agg_updated_at is at least `aggMark - overlap`: keys either can bring back must stay to be recognised.
  const from = (mark: string | null) => (mark === null ? 0 : millis(mark) - options.overlapMillis)
  const seen = state.seen.filter(keeps({ updated: from(updatedMark), agg: from(aggMark) }))
  return { ...empty, updatedMark, aggMark, seen }
}

/**
 * Keys that can come back: this pull's phase 2 re-reads down to `floor`; the next pull's phase 1 re-reads the last
 * overlap window of this one's `updated_at`, its phase 2 that of its `agg_updated_at` (marks that only move on, so
 * today's windows hold whatever the last ones will). Other keys are dropped as the pull moves on, so a backfill's
 * checkpoint stays small.
 */
const keptFrom = (state: State, options: PullOptions): Kept => {
  const phase2 = state.floor === null ? Number.POSITIVE_INFINITY : millis(state.floor)
  const from = (mark: string | null) =>
    mark === null ? Number.NEGATIVE_INFINITY : millis(mark) - options.overlapMillis
  return { updated: from(state.runUpdated), agg: Math.min(phase2, from(state.runAgg)) }
}

/** The state after one vendor page (its readable items), and whether the pull goes on. */
const advance = (state: State, items: ReadonlyArray<Listed>, next: string | null, options: PullOptions) => {
  const moved: State = {
    ...state,
    runUpdated: items.reduce<string | null>((m, t) => later(m, t.updatedAt), state.runUpdated),
    runAgg: items.reduce<string | null>((m, t) => later(m, t.aggUpdatedAt), state.runAgg),
  }
  // Only items inside the kept windows are keyed (and digested) at all.
  const kept = keptFrom(moved, options)
  const recent = items.filter((t) => t.updated >= kept.updated || t.agg >= kept.agg).map(key)
  const ran: State = { ...moved, seen: [...new Set([...state.seen.filter(keeps(kept)), ...recent])] }
  if (state.phase === "since") {
    if (next !== null) return { state: { ...ran, pageToken: next }, done: false }
    return state.floor === null
      ? { state: finish(ran, options), done: true }
      : { state: { ...ran, phase: "notes" as const, pageToken: null }, done: false }
  }
  const floor = state.floor === null ? 0 : millis(state.floor)
  const reachedFloor = items.some((t) => t.agg < floor)
  return next === null || reachedFloor
    ? { state: finish(ran, options), done: true }
    : { state: { ...ran, pageToken: next }, done: false }
}

const paramsFor = (state: State, options: PullOptions): Record<string, string> => {
  const params: Record<string, string> = { limit: String(options.pageSize) }
  params.sort = state.phase === "since" ? "updated_at:asc" : "agg_updated_at:desc"
  if (state.phase === "since" && state.since !== null) params.updated_since = state.since
  if (state.pageToken !== null) params.page_token = state.pageToken
  return params
}

export const listChanges = (
  client: CandidClient,
  scheme: Effect.Effect<StatusScheme>,
  checkpoint: Checkpoint | null,
  options: PullOptions,
): Stream.Stream<ChangePage, SyncError> =>
  checkpointed({
    vendor: "candid",
    state: State,
    initial: Effect.succeed(empty),
    step: (resumed) =>
      Effect.gen(function* () {
        const state = begin(resumed, options)
        const page = yield* client.listRawTasks(paramsFor(state, options))
        const current = yield* scheme
        const seen = new Set(state.seen)
        // Only an item updated as late as the oldest kept key can be one of them: the others are not keyed (digested).
        const oldestSeen = state.seen.reduce((m, k) => Math.min(m, keyTime(k)), Number.POSITIVE_INFINITY)
        const floor = state.phase === "notes" && state.floor !== null ? millis(state.floor) : Number.NEGATIVE_INFINITY
        const listed = page.items.map(listedOf)
        const fresh = listed.flatMap((t, i) =>
          t === null || (t.agg >= floor && (t.updated < oldestSeen || !seen.has(key(t)))) ? [i] : [],
        )
        const decoded = client.decodeTasks(
          fresh.map((i) => page.items[i]),
          fresh,
        )
        // An item that could not be read is quarantined, and neither moves the marks nor counts as delivered.
        const unread = new Set(decoded.quarantined.flatMap((q) => (q.recordId === null ? [] : [q.recordId as string])))
        const readable = listed.filter((t): t is Listed => t !== null && !unread.has(t.id))
        const next = advance(state, readable, page.next_page_token ?? null, options)
        return {
          records: decoded.items.map((t) => toRecord(current, t)),
          quarantined: decoded.quarantined,
          next: next.state,
          done: next.done,
        }
      }),
  })(checkpoint)
