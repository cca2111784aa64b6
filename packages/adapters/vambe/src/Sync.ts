// Pulls for Vambe: the listing has no paging and tasks have no `updated_at` (vendor-docs §2.3–2.4), so every pull is a
// full snapshot (the kit's `snapshotStep`: one sweep generation over several pages, the last one complete) that the
// engine compares by content hash and sweeps for deletions. Each response stays bounded: tasks without a date are
// fetched once, and dated ones in due-date windows of `width` days that together cover every date from 0001 to
// 9999; a window answering more than `maxTasks` tasks, or more than the body cap, is bisected, and the narrower width
// is remembered for the connection. Also the one-window read by locator that `get` uses, and the scan behind it.
import { isTooLarge } from "@taskbridge/adapter-kit/Http"
import { checkpointed, snapshotState, snapshotStep } from "@taskbridge/adapter-kit/Paging"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Clock, Effect, Schema, type Stream } from "effect"
import type { ListWindow, VambeClient } from "./Client.ts"
import type { Task } from "./Schema.ts"

const DAY_MS = 86_400_000
const dayOf = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** The first and last dates a listing asks about: every due Vambe can hold falls between them. */
export const FIRST_DAY = dayOf("0001-01-01")
export const LAST_DAY = dayOf("9999-12-31")
/** Windows of `width` days cover this many days either side of today; beyond them two open-ended windows do. */
const NEAR_DAYS = 366
/**
 * Undated tasks come with any window when `includeTasksWithoutDates` is true, so they are listed once with a window
 * of one day long past, and only the undated ones kept (that day's tasks come with their own dated window).
 */
const UNDATED_DAY = "1970-01-01"

export const Window = Schema.Union([
  Schema.TaggedStruct("Undated", {}),
  /** Days since the epoch, both inclusive. */
  Schema.TaggedStruct("Dated", { from: Schema.Int, to: Schema.Int }),
])
export type Window = typeof Window.Type

export const State = snapshotState(Window)
export type State = typeof State.Type

export interface Sizing {
  /** The current window width in days (the connection's memory, narrowed when a window is too large). */
  readonly width: () => Effect.Effect<number>
  readonly narrow: (width: number) => Effect.Effect<void>
  readonly maxTasks: number
}

/** The windows of one full listing, undated tasks first. */
export const windowsAt = (today: number, width: number): Array<Window> => {
  const start = today - NEAR_DAYS
  const end = today + NEAR_DAYS
  const near: Array<Window> = []
  for (let from = start; from <= end; from += width) {
    near.push({ _tag: "Dated", from, to: Math.min(end, from + width - 1) })
  }
  return [
    { _tag: "Undated" },
    { _tag: "Dated", from: FIRST_DAY, to: start - 1 },
    ...near,
    { _tag: "Dated", from: end + 1, to: LAST_DAY },
  ]
}

/** The listing call for a window. */
export const requestOf = (window: Window): ListWindow =>
  window._tag === "Undated"
    ? { fromDate: UNDATED_DAY, toDate: UNDATED_DAY, includeTasksWithoutDates: true }
    : { fromDate: dateOf(window.from), toDate: dateOf(window.to), includeTasksWithoutDates: false }

/** A window that answered too much, in two halves; null when it cannot be narrowed (one day, or the undated list). */
export const halves = (window: Window): [Window, Window] | null => {
  if (window._tag === "Undated" || window.from >= window.to) return null
  const mid = Math.floor((window.from + window.to) / 2)
  return [
    { _tag: "Dated", from: window.from, to: mid },
    { _tag: "Dated", from: mid + 1, to: window.to },
  ]
}

/** What one listing call gave: its tasks, or "too large" when it must be bisected. */
export type Answer = { readonly tasks: ReadonlyArray<Task> } | { readonly tooLarge: true }

/**
 * One window's tasks. An answer over the body cap, or over `maxTasks` when the window can still be halved, is
 * "too large" (and narrows the remembered width); one that cannot be narrowed fails with the cap's error.
 */
export const fetchWindow = (client: VambeClient, sizing: Sizing) => (window: Window) =>
  Effect.gen(function* () {
    const splittable = halves(window) !== null
    const answer: Answer = yield* client.listTasks(requestOf(window)).pipe(
      Effect.map((tasks) => ({ tasks })),
      Effect.catchIf(
        (error: SyncError) => splittable && isTooLarge(error),
        () => Effect.succeed({ tooLarge: true as const }),
      ),
    )
    const over = "tooLarge" in answer || answer.tasks.length > sizing.maxTasks
    if (over && splittable && window._tag === "Dated") {
      const width = yield* sizing.width()
      const span = window.to - window.from + 1
      if (span <= width && width > 1) yield* sizing.narrow(Math.max(1, Math.floor(span / 2)))
      return { tooLarge: true } as Answer
    }
    if ("tooLarge" in answer) return answer
    return { tasks: window._tag === "Undated" ? answer.tasks.filter((t) => t.due_at === null) : answer.tasks }
  })

/** What a pull needs from the adapter: the client, the window sizing, and the records (learning statuses) it builds. */
export interface PullContext {
  readonly client: VambeClient
  readonly sizing: Sizing
  readonly toRecords: (tasks: ReadonlyArray<Task>) => Effect.Effect<ReadonlyArray<VendorRecord>>
}

/** One page per window of a full listing (nothing on a page whose window had to be bisected); the last sweeps. */
export const listChanges = (
  context: PullContext,
  checkpoint: Checkpoint | null,
): Stream.Stream<ChangePage, SyncError> => {
  const snapshot = snapshotStep<Window, Answer>({
    windows: Effect.gen(function* () {
      const today = Math.floor((yield* Clock.currentTimeMillis) / DAY_MS)
      return windowsAt(today, yield* context.sizing.width())
    }),
    fetch: (window) => Effect.map(fetchWindow(context.client, context.sizing)(window), (answer) => [answer]),
    split: (window, [answer]) => (answer !== undefined && "tooLarge" in answer ? halves(window) : null),
  })
  return checkpointed({
    vendor: "vambe",
    state: State,
    initial: Effect.succeed({ v: 1 as const, run: null }),
    step: (state: State) =>
      Effect.gen(function* () {
        const page = yield* snapshot(state)
        const tasks = page.items.flatMap((answer) => ("tasks" in answer ? answer.tasks : []))
        return { records: yield* context.toRecords(tasks), sweep: page.sweep, next: page.next, done: page.done }
      }),
  })(checkpoint)
}

/** The window a locator (`due:YYYY-MM-DD` or `undated`, see Mapping) names; null for anything else. */
export const windowOfLocator = (locator: string | null): Window | null => {
  if (locator === "undated") return { _tag: "Undated" }
  const match = locator === null ? null : /^due:(\d{4}-\d{2}-\d{2})$/.exec(locator)
  if (match?.[1] === undefined) return null
  const day = dayOf(match[1])
  return { _tag: "Dated", from: day, to: day }
}

/** Walks every window of a listing (bisecting as a pull does) until `found` picks a task; null when none does. */
export const scan = (client: VambeClient, sizing: Sizing, found: (tasks: ReadonlyArray<Task>) => Task | undefined) =>
  Effect.gen(function* () {
    const today = Math.floor((yield* Clock.currentTimeMillis) / DAY_MS)
    const pending = windowsAt(today, yield* sizing.width())
    const fetch = fetchWindow(client, sizing)
    while (pending.length > 0) {
      const window = pending.shift() as Window
      const answer = yield* fetch(window)
      if ("tooLarge" in answer) {
        pending.unshift(...(halves(window) ?? []))
        continue
      }
      const hit = found(answer.tasks)
      if (hit !== undefined) return hit
    }
    return null
  })
