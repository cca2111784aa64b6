// Pulls for Vambe: the listing has no paging and tasks have no `updated_at` (vendor-docs §2.3–2.4), so every pull is a
// full snapshot (the kit's `snapshotStep`: one sweep generation over several pages, the last one complete) that the
// engine compares by content hash and sweeps for deletions. Each response stays bounded: tasks without a date are
// fetched once, and dated ones in due-date windows that together cover every date from 0001 to 9999; a window
// answering more than `maxTasks` tasks, or more than the body cap, is bisected, and the windows a complete listing
// ended with (sparse neighbours merged) are remembered as the connection's plan for the next one. Also the one-window read by locator that `get` uses, and the scan behind it.
import { isTooLarge } from "@taskbridge/adapter-kit/Http"
import { checkpointed, snapshotState, snapshotStep } from "@taskbridge/adapter-kit/Paging"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { ChangePage, Checkpoint, QuarantinedRecord } from "@taskbridge/domain/ports/VendorAdapter"
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
/** A first plan's `width`-day windows cover this many days either side of today; two open-ended windows the rest. */
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

/**
 * How a listing is cut: the dated windows a fresh listing starts from (the last complete listing's plan, else
 * `width`-day windows), what each window answered (so the next plan merges sparse windows and keeps dense ones
 * narrow), and the most tasks one window may answer before it is bisected.
 */
export interface Sizing {
  readonly plan: (today: number) => Effect.Effect<ReadonlyArray<Dated>>
  readonly answered: (window: Dated, count: number) => Effect.Effect<void>
  /** A complete listing ended: the windows it answered become the next plan. */
  readonly finished: Effect.Effect<void>
  readonly maxTasks: number
}

export type Dated = Extract<Window, { readonly _tag: "Dated" }>

/** `width`-day windows near today, and one open-ended window on either side: together every date Vambe can hold. */
export const uniformPlan = (today: number, width: number): Array<Dated> => {
  const start = today - NEAR_DAYS
  const end = today + NEAR_DAYS
  const near: Array<Dated> = []
  for (let from = start; from <= end; from += width) {
    near.push({ _tag: "Dated", from, to: Math.min(end, from + width - 1) })
  }
  return [{ _tag: "Dated", from: FIRST_DAY, to: start - 1 }, ...near, { _tag: "Dated", from: end + 1, to: LAST_DAY }]
}

/** Whether windows cover every day from FIRST_DAY to LAST_DAY exactly once, in order (or a sweep would delete). */
export const covers = (plan: ReadonlyArray<Dated>): boolean =>
  plan.length > 0 &&
  plan[0]?.from === FIRST_DAY &&
  plan.at(-1)?.to === LAST_DAY &&
  plan.every((w, i) => w.from <= w.to && (i === 0 || plan[i - 1]?.to === w.from - 1))

/**
 * The next listing's plan from what each window answered: neighbours are merged while together they hold at most
 * `limit` tasks (a share of maxTasks, so a little growth does not overflow them at once). Any two neighbouring windows
 * of the result hold more than `limit` together, so the plan has fewer than 2·tasks/limit + 1 windows.
 */
export const mergePlan = (answered: ReadonlyArray<{ window: Dated; count: number }>, limit: number): Array<Dated> => {
  const sorted = [...answered].sort((a, b) => a.window.from - b.window.from)
  const plan: Array<{ window: Dated; count: number }> = []
  for (const next of sorted) {
    const last = plan.at(-1)
    if (last !== undefined && last.count + next.count <= limit) {
      plan[plan.length - 1] = { window: { ...last.window, to: next.window.to }, count: last.count + next.count }
    } else plan.push(next)
  }
  return plan.map((p) => p.window)
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
export type Answer =
  | { readonly tasks: ReadonlyArray<Task>; readonly quarantined: ReadonlyArray<QuarantinedRecord> }
  | { readonly tooLarge: true }

/**
 * One window's tasks. An answer over the body cap, or over `maxTasks` when the window can still be halved, is
 * "too large"; one that cannot be narrowed fails with the cap's error. A dated answer is reported to the sizing.
 */
export const fetchWindow = (client: VambeClient, sizing: Sizing) => (window: Window) =>
  Effect.gen(function* () {
    const splittable = halves(window) !== null
    const answer: Answer = yield* client.listTasks(requestOf(window)).pipe(
      Effect.map((page) => ({ tasks: page.items, quarantined: page.quarantined })),
      Effect.catchIf(
        (error: SyncError) => splittable && isTooLarge(error),
        () => Effect.succeed({ tooLarge: true as const }),
      ),
    )
    const over = "tooLarge" in answer || answer.tasks.length > sizing.maxTasks
    if (over && splittable) return { tooLarge: true } as Answer
    if ("tooLarge" in answer) return answer
    if (window._tag === "Undated")
      return { tasks: answer.tasks.filter((t) => t.due_at === null), quarantined: answer.quarantined }
    yield* sizing.answered(window, answer.tasks.length)
    return answer
  })

/** The windows of one full listing, undated tasks first. */
const windowsOf = (sizing: Sizing) =>
  Effect.gen(function* () {
    const today = Math.floor((yield* Clock.currentTimeMillis) / DAY_MS)
    return [{ _tag: "Undated" } as Window, ...(yield* sizing.plan(today))]
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
    windows: windowsOf(context.sizing),
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
        if (page.done) yield* context.sizing.finished
        const tasks = page.items.flatMap((answer) => ("tasks" in answer ? answer.tasks : []))
        const quarantined = page.items.flatMap((answer) => ("tasks" in answer ? answer.quarantined : []))
        return {
          records: yield* context.toRecords(tasks),
          quarantined,
          sweep: page.sweep,
          next: page.next,
          done: page.done,
        }
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
    const pending = [...(yield* windowsOf(sizing))]
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
