// The Vambe adapter as the domain's VendorAdapter port for tasks: one per connection. What it learns is kept in the
// connection's memory: the organization's status configuration (from every task it sees; Vambe cannot list it) and
// the due-date windows its last listing needed (sparse ones merged, dense ones narrow). Reads list the one window a record's locator names; creates
// are never resent blindly (`findCreated` looks for the task by its content first). Nothing here retries.

import { inMemory } from "@taskbridge/adapter-kit/Memory"
import type { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { ConnectionId } from "@taskbridge/domain/Ids"
import type { ConnectionMemory, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import type { StatusScheme } from "@taskbridge/domain/StatusScheme"
import type { RecordChange, RecordDraft, RecordRef } from "@taskbridge/domain/VendorRecord"
import { Clock, Context, DateTime, Effect, Layer, Ref, Result, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { makeClient } from "./Client.ts"
import { defaults, type VambeConfig, VambeConfigFromEnv } from "./Config.ts"
import { errors } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { fromChange, fromDraft, locatorOf, priorityNumber, toRecord } from "./Mapping.ts"
import type { CreateTaskBody, Task } from "./Schema.ts"
import { factKey, Learned, learn, schemeOf } from "./Statuses.ts"
import {
  covers,
  type Dated,
  listChanges,
  mergePlan,
  type PullContext,
  requestOf,
  type Sizing,
  scan,
  uniformPlan,
  windowOfLocator,
} from "./Sync.ts"

export interface VambeContext {
  readonly connectionId: ConnectionId
  readonly memory: ConnectionMemory
}

const standalone = (): VambeContext => ({ connectionId: ConnectionId.make("standalone"), memory: inMemory() })

/** The connection's listing plan: the dated windows `[from, to]` (days since the epoch) the last listing ended with. */
export const planKey = "vambe.windows"
const Plan = Schema.Array(Schema.Tuple([Schema.Int, Schema.Int]))
const toPlan = (windows: ReadonlyArray<Dated>) => windows.map((w) => [w.from, w.to])
const fromPlan = (pairs: ReadonlyArray<readonly [number, number]>): ReadonlyArray<Dated> | null => {
  const windows = pairs.map(([from, to]): Dated => ({ _tag: "Dated", from, to }))
  return covers(windows) ? windows : null
}

const remembered = <A>(schema: Schema.Codec<A, unknown>, value: unknown, fallback: A): A => {
  const decoded = Schema.decodeUnknownResult(schema)(value)
  return Result.isSuccess(decoded) ? decoded.success : fallback
}

const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((x) => b.includes(x))

/** The created task a draft's body describes: same title, text, priority, due and responsibles. */
const matchesDraft = (body: CreateTaskBody, dueAt: string | null) => (task: Task) =>
  task.title === body.title &&
  (task.description ?? "") === (body.description ?? "") &&
  priorityNumber(task.priority) === priorityNumber(body.priority) &&
  (task.due_at === null ? null : Date.parse(task.due_at)) === (dueAt === null ? null : Date.parse(dueAt)) &&
  sameSet(
    task.task_responsibles.map((r) => r.responsible_id),
    body.responsibleIds,
  )

export const make = Effect.fnUntraced(function* (config: VambeConfig, context: VambeContext = standalone()) {
  const client = yield* makeClient(config, context.connectionId)
  const { memory } = context
  const statuses = yield* Ref.make<Learned>(remembered(Learned, memory.learned.facts[factKey], []))
  const stored = remembered(Plan, memory.learned.facts[planKey], [])
  const plan = yield* Ref.make<ReadonlyArray<Dated> | null>(fromPlan(stored))
  const answered = yield* Ref.make(new Map<number, { window: Dated; count: number }>())
  const maxTasks = config.maxTasksPerWindow ?? manifest.pageSize
  const sizing: Sizing = {
    plan: (today) =>
      Effect.map(Ref.get(plan), (known) => known ?? uniformPlan(today, config.windowDays ?? defaults.windowDays)),
    answered: (window, count) => Ref.update(answered, (m) => new Map(m).set(window.from, { window, count })),
    finished: Effect.gen(function* () {
      const next = mergePlan([...(yield* Ref.get(answered)).values()], Math.floor((maxTasks * 3) / 4))
      yield* Ref.set(answered, new Map())
      // A listing resumed after a restart saw only some windows: keep the old plan rather than leave a gap.
      if (!covers(next) || JSON.stringify(next) === JSON.stringify(yield* Ref.get(plan))) return
      yield* Ref.set(plan, next)
      yield* memory.saveFact(planKey, toPlan(next))
    }),
    maxTasks,
  }

  /** Learns the statuses `tasks` show; the scheme is saved only when the configuration really changed. */
  const observe = (tasks: ReadonlyArray<Task>) =>
    Effect.gen(function* () {
      const before = yield* Ref.get(statuses)
      const after = learn(
        before,
        tasks.flatMap((t) => (t.status_config === null ? [] : [t.status_config])),
      )
      if (JSON.stringify(after) === JSON.stringify(before)) return
      yield* Ref.set(statuses, after)
      yield* memory.saveFact(factKey, Schema.encodeSync(Learned)(after) as unknown as Schema.Json)
      const scheme = schemeOf(after)
      if (Result.isSuccess(scheme)) yield* memory.saveScheme(scheme.success)
      else yield* Effect.logWarning(`Vambe statuses do not form a scheme yet: ${scheme.failure}`)
    })
  const records = (tasks: ReadonlyArray<Task>) => Effect.as(observe(tasks), tasks.map(toRecord))
  const pull: PullContext = { client, sizing, toRecords: records }

  /** The scheme learned so far; before any listing, one call for today's window and the undated tasks teaches it. */
  const statusScheme = Effect.gen(function* () {
    if ((yield* Ref.get(statuses)).length === 0) {
      const today = new Date(yield* Clock.currentTimeMillis).toISOString().slice(0, 10)
      yield* observe(
        (yield* client.listTasks({ fromDate: today, toDate: today, includeTasksWithoutDates: true })).items,
      )
    }
    const scheme: Result.Result<StatusScheme, string> = schemeOf(yield* Ref.get(statuses))
    if (Result.isFailure(scheme)) {
      const why = `no usable status configuration seen yet (${scheme.failure}); Vambe has no endpoint that lists it`
      return yield* errors.notFound("statusScheme", why)
    }
    return scheme.success
  })

  /** One listing call for the window the locator names; a task whose due moved since is found by a scan. */
  const get = Effect.fn("Vambe.get")(function* (ref: RecordRef) {
    const id = ref.id.toLowerCase()
    const window = windowOfLocator(ref.parent)
    const near =
      window === null ? undefined : (yield* client.listTasks(requestOf(window))).items.find((t) => t.id === id)
    const task = near ?? (yield* scan(client, sizing, (tasks) => tasks.find((t) => t.id === id)))
    if (task === null) return yield* errors.notFound("get", `task ${ref.id} is not listed (deleted at Vambe?)`)
    return yield* Effect.as(observe([task]), toRecord(task))
  })

  const update = Effect.fn("Vambe.update")(function* (ref: RecordRef, change: RecordChange) {
    const body = fromChange(change)
    if (Result.isFailure(body)) return yield* body.failure
    const task = yield* client.updateTask(ref.id, body.success)
    return yield* Effect.as(observe([task]), toRecord(task))
  })

  /** Vambe has no idempotency key: the newest task with the draft's content, in the window its due falls in. */
  const findCreated = Effect.fn("Vambe.findCreated")(function* (draft: RecordDraft) {
    const body = fromDraft(draft)
    if (Result.isFailure(body)) return yield* body.failure
    const due = draft.snapshot.fields.due
    const dueAt =
      due._tag === "Instant" ? DateTime.formatIso(due.at) : due._tag === "AllDay" ? `${due.date}T00:00:00.000Z` : null
    const window = windowOfLocator(locatorOf({ due_at: dueAt }))
    const listed = window === null ? [] : (yield* client.listTasks(requestOf(window))).items
    const newest = listed
      .filter(matchesDraft(body.success, dueAt))
      .sort((a, b) => b.created_at.localeCompare(a.created_at))[0]
    return newest === undefined ? null : yield* Effect.as(observe([newest]), toRecord(newest))
  })

  /** POST, then (only when the draft asks for another status than the initial one) a PUT by status name. */
  const create = Effect.fn("Vambe.create")(function* (draft: RecordDraft) {
    const body = fromDraft(draft)
    if (Result.isFailure(body)) return yield* body.failure
    const created = yield* client.createTask(body.success)
    yield* observe([created])
    const wanted = draft.snapshot.vendorStatus
    const known = (yield* Ref.get(statuses)).some((s) => s.name === wanted)
    if (!known || created.status_config?.name === wanted) return toRecord(created)
    const moved = yield* client.updateTask(created.id, { newStatusName: wanted })
    return yield* Effect.as(observe([moved]), toRecord(moved))
  })

  const adapter: VendorAdapter = {
    manifest,
    statusScheme,
    listChanges: (checkpoint) => listChanges(pull, checkpoint),
    get,
    create,
    findCreated,
    update,
  }
  return adapter
})

/** A single Vambe connection as a service, for apps that talk to one organization. */
export class VambeAdapter extends Context.Service<VambeAdapter, VendorAdapter>()(
  "@taskbridge/adapter-vambe/VambeAdapter",
) {}

export const layer = (config: VambeConfig): Layer.Layer<VambeAdapter, never, HttpClient.HttpClient | RateBudgets> =>
  Layer.effect(VambeAdapter, make(config))

export const layerConfig = Layer.effect(
  VambeAdapter,
  Effect.gen(function* () {
    return yield* make(yield* VambeConfigFromEnv)
  }),
)
