// Pulls for CareValidate, checkpointed per case-list page and idempotent on replay. Cases are listed by creation
// date only (windows ≤ 60 days, `after` cursor), so every pull walks the windows from the backfill start and fetches
// the detail of each case whose `updatedAt` moved; it emits the escalations whose version moved since the last pull.
// Also the newest-first case search `get` falls back on when no escalation → case pair is known.

import { InvalidResponse, SyncError } from "@taskbridge/domain/Errors"
import { type ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Clock, Effect, Option, Schema, Stream } from "effect"
import type { CareValidateClient } from "./Client.ts"
import { versionOf } from "./Mapping.ts"
import type { CasePage, Escalation } from "./Schema.ts"

const WINDOW_MS = 60 * 86_400_000
const Versions = Schema.Record(Schema.String, Schema.String)
const State = Schema.Struct({
  v: Schema.Literal(1),
  /** Creation-date floor of every pull, fixed by the first one. */
  start: Schema.String,
  /** Set while a pull is under way: the window being listed, the cursor inside it and where the pull ends. */
  windowStart: Schema.NullOr(Schema.String),
  after: Schema.NullOr(Schema.String),
  end: Schema.NullOr(Schema.String),
  /** caseId → `updatedAt` and escalationId → version, as of the records already delivered. */
  cases: Versions,
  escalations: Versions,
})
type State = typeof State.Type
const StateJson = Schema.fromJsonString(State)

export interface PullOptions {
  readonly sinceMillis: number
  readonly pageSize: number
  readonly detailConcurrency: number
}

/** What Sync needs from the adapter: the records it builds, and the escalation → case pairs it learns. */
export interface PullContext {
  readonly client: CareValidateClient
  readonly toRecord: (caseId: string, e: Escalation) => Effect.Effect<VendorRecord>
  readonly learn: (caseId: string, escalations: ReadonlyArray<Escalation>) => Effect.Effect<void>
}

const iso = (ms: number) => new Date(ms).toISOString()
const millis = (text: string) => new Date(text).getTime()

const decodeCheckpoint = (checkpoint: Checkpoint | null, nowMillis: number, options: PullOptions) =>
  checkpoint === null
    ? Effect.succeed<State>({
        v: 1,
        start: iso(nowMillis - options.sinceMillis),
        windowStart: null,
        after: null,
        end: null,
        cases: {},
        escalations: {},
      })
    : Schema.decodeUnknownEffect(StateJson)(checkpoint).pipe(
        Effect.mapError((e) => {
          const reason = new InvalidResponse({ detail: `unreadable checkpoint: ${e.message}` })
          return new SyncError({ vendor: "carevalidate", operation: "list", reason })
        }),
      )

/** A pull not resuming mid-way starts at the first window and ends at the current time. */
const begin = (state: State, nowMillis: number): State =>
  state.windowStart !== null ? state : { ...state, windowStart: state.start, after: null, end: iso(nowMillis) }

const windowOf = (state: State) => {
  const start = millis(state.windowStart ?? state.start)
  const end = Math.min(start + WINDOW_MS, millis(state.end ?? state.start))
  return { startTime: iso(start), endTime: iso(end), last: end >= millis(state.end ?? state.start) }
}

export const listChanges = (
  context: PullContext,
  checkpoint: Checkpoint | null,
  options: PullOptions,
): Stream.Stream<ChangePage, SyncError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const start = begin(yield* decodeCheckpoint(checkpoint, now, options), now)
      return Stream.paginate({ state: start, pages: 0, records: 0 }, ({ state, pages, records }) =>
        Effect.gen(function* () {
          const window = windowOf(state)
          const page = yield* context.client.listCases({
            ...window,
            after: state.after,
            recordsPerPage: options.pageSize,
          })
          // Windows share their boundary instant, so a case can be listed twice; the case map skips the repeat.
          const moved = page.cases.filter((c) => state.cases[c.id] !== c.updatedAt)
          const details = yield* Effect.forEach(moved, (c) => context.client.caseDetail(c.id), {
            concurrency: options.detailConcurrency,
          })
          const cases = { ...state.cases }
          const escalations = { ...state.escalations }
          const out: Array<VendorRecord> = []
          for (const detail of details) {
            cases[detail.id] = detail.updatedAt
            yield* context.learn(detail.id, detail.escalations)
            for (const e of detail.escalations) {
              if (escalations[e.id] === versionOf(e)) continue
              escalations[e.id] = versionOf(e)
              out.push(yield* context.toRecord(detail.id, e))
            }
          }
          const next: State = page.pageInfo.hasNextPage
            ? { ...state, after: page.pageInfo.cursor.end, cases, escalations }
            : window.last
              ? { ...state, windowStart: null, after: null, end: null, cases, escalations }
              : { ...state, windowStart: window.endTime, after: null, cases, escalations }
          const progress = { pages: pages + 1, records: records + out.length, total: null }
          const result: ChangePage = {
            records: out,
            deleted: [],
            checkpoint: Checkpoint.make(Schema.encodeSync(StateJson)(next)),
            progress,
          }
          const more = next.windowStart === null ? Option.none() : Option.some({ state: next, ...progress })
          return [[result], more] as const
        }),
      )
    }),
  )

/**
 * The case holding an escalation, searched newest window first (recent escalations are the ones written to), down
 * to `sinceMillis` ago; every case detail read on the way teaches the adapter its escalation → case pairs.
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
        for (const detail of details) yield* context.learn(detail.id, detail.escalations)
        const found = details.find((d) => d.escalations.some((e) => e.id === escalationId.toLowerCase()))
        if (found !== undefined) return Option.some(found.id)
        after = page.pageInfo.hasNextPage ? page.pageInfo.cursor.end : null
      } while (after !== null)
    }
    return Option.none<string>()
  })
