// The Kore.ai adapter as the domain's VendorAdapter port for case-management tasks: one per connection, every call
// spending its account's one shared budget. What it learns — the account's statuses and priorities, which Kore.ai
// cannot list — is kept in the connection's memory. There is no get-by-id, so a read is one getTasks search by the
// task's human ref (the locator its record carries); creates are never resent blindly (`findCreated` searches for
// the task by its content first). Nothing here retries.

import { inMemory } from "@taskbridge/adapter-kit/Memory"
import type { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { ConnectionId } from "@taskbridge/domain/Ids"
import type { ConnectionMemory, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import type { StatusScheme } from "@taskbridge/domain/StatusScheme"
import type { RecordChange, RecordDraft, RecordRef } from "@taskbridge/domain/VendorRecord"
import { Context, Effect, Layer, Ref, Result, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { type KoreaiClient, makeClient } from "./Client.ts"
import { defaults, type KoreaiConfig, KoreaiConfigFromEnv } from "./Config.ts"
import { errors } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { fromChange, fromDraft, isCreatedFrom, toRecord, type WriteContext } from "./Mapping.ts"
import type { Task } from "./Schema.ts"
import { empty, factKey, initial, Learned, learn, schemeOf } from "./Statuses.ts"
import { listChanges, type PullOptions } from "./Sync.ts"

export interface KoreaiContext {
  readonly connectionId: ConnectionId
  readonly memory: ConnectionMemory
}

const standalone = (): KoreaiContext => ({ connectionId: ConnectionId.make("standalone"), memory: inMemory() })

const remembered = (value: unknown): Learned => {
  const decoded = Schema.decodeUnknownResult(Learned)(value)
  return Result.isSuccess(decoded) ? decoded.success : empty
}

/** Every page of a listing until `found` answers (a task whose ref search missed it); null when none does. */
const searchAll = (client: KoreaiClient, pageSize: number, found: (tasks: ReadonlyArray<Task>) => Task | undefined) =>
  Effect.gen(function* () {
    for (let skip = 0; ; skip += pageSize) {
      const page = yield* client.getTasks({ skip, limit: pageSize, sortBy: { createdAt: "asc" } })
      const hit = found(page.results)
      if (hit !== undefined) return hit
      if (!page.hasMore || page.results.length === 0) return null
    }
  })

export const make = Effect.fnUntraced(function* (config: KoreaiConfig, context: KoreaiContext = standalone()) {
  const client = yield* makeClient(config, context.connectionId)
  const { memory } = context
  const declared = {
    ...(config.statuses === undefined ? {} : { statuses: config.statuses }),
    ...(config.priorities === undefined ? {} : { priorities: config.priorities }),
  }
  const configuration = yield* Ref.make<Learned>(initial(remembered(memory.learned.facts[factKey]), declared))
  const pageSize = config.pageSize ?? manifest.pageSize
  const options: PullOptions = {
    pageSize,
    overlapMillis: config.overlapMillis ?? defaults.overlapMillis,
    overlapRows: Math.min(5, Math.max(0, pageSize - 1)),
    fullEveryMillis: (config.fullListingEveryHours ?? defaults.fullListingEveryHours) * 3_600_000,
  }

  /** Learns the configuration `tasks` show; saved only when it really changed. */
  const observe = (tasks: ReadonlyArray<Task>) =>
    Effect.gen(function* () {
      const before = yield* Ref.get(configuration)
      const after = learn(before, tasks)
      if (JSON.stringify(after) === JSON.stringify(before)) return
      yield* Ref.set(configuration, after)
      yield* memory.saveFact(factKey, Schema.encodeSync(Learned)(after) as unknown as Schema.Json)
      const scheme = schemeOf(after)
      if (Result.isSuccess(scheme)) yield* memory.saveScheme(scheme.success)
      else yield* Effect.logWarning(`Kore.ai statuses do not form a scheme yet: ${scheme.failure}`)
    })
  const records = (tasks: ReadonlyArray<Task>) => Effect.as(observe(tasks), tasks.map(toRecord))
  const one = (task: Task) => Effect.as(observe([task]), toRecord(task))

  const writeContext: Effect.Effect<WriteContext> = Effect.map(Ref.get(configuration), (learned) => {
    const scheme = schemeOf(learned)
    return { learned, scheme: Result.isSuccess(scheme) ? scheme.success : null }
  })

  /** The scheme known so far; before anything was seen, one getTasks page teaches it. */
  const statusScheme = Effect.gen(function* () {
    if ((yield* Ref.get(configuration)).statuses.length === 0) {
      yield* observe((yield* client.getTasks({ skip: 0, limit: pageSize, sortBy: { updatedAt: "desc" } })).results)
    }
    const scheme: Result.Result<StatusScheme, string> = schemeOf(yield* Ref.get(configuration))
    if (Result.isFailure(scheme)) {
      const why = `no usable status configuration known (${scheme.failure}); Kore.ai has no endpoint that lists it`
      return yield* errors.notFound("statusScheme", why)
    }
    return scheme.success
  })

  /** One getTasks search by the task's ref (`TS…`); a task the search misses is looked for page by page. */
  const get = Effect.fn("Koreai.get")(function* (ref: RecordRef) {
    const isIt = (tasks: ReadonlyArray<Task>) => tasks.find((t) => t._id === ref.id)
    const searched = yield* client.getTasks({ skip: 0, limit: pageSize, searchText: ref.parent ?? ref.id })
    const task = isIt(searched.results) ?? (yield* searchAll(client, pageSize, isIt))
    if (task === null) return yield* errors.notFound("get", `task ${ref.id} is not listed at Kore.ai`)
    return yield* one(task)
  })

  const update = Effect.fn("Koreai.update")(function* (ref: RecordRef, change: RecordChange) {
    const body = fromChange(yield* writeContext, change)
    if (Result.isFailure(body)) return yield* body.failure
    return yield* one(yield* client.updateTask(ref.id, body.success))
  })

  /** Kore.ai has no idempotency key: the newest task of the draft's case with its template, name and text. */
  const findCreated = Effect.fn("Koreai.findCreated")(function* (draft: RecordDraft) {
    const planned = fromDraft(yield* writeContext, config.creatorUserId, draft)
    if (Result.isFailure(planned)) return yield* planned.failure
    const { body } = planned.success
    const listed = yield* client.getTasks({
      skip: 0,
      limit: pageSize,
      searchText: body.name,
      sortBy: { createdAt: "desc" },
    })
    const match = listed.results.find((t) => isCreatedFrom(body, t))
    return match === undefined ? null : yield* one(match)
  })

  /** createTask, then one updateTask for what createTask does not take (status, priority, due, tags), if any. */
  const create = Effect.fn("Koreai.create")(function* (draft: RecordDraft) {
    const planned = fromDraft(yield* writeContext, config.creatorUserId, draft)
    if (Result.isFailure(planned)) return yield* planned.failure
    const created = yield* client.createTask(planned.success.body)
    yield* observe([created])
    const { then } = planned.success
    const change: RecordChange = {
      fields: then.fields,
      ...(then.vendorStatus === undefined || then.vendorStatus === created.status?.name
        ? {}
        : { vendorStatus: then.vendorStatus }),
    }
    if (Object.keys(change.fields).length === 0 && change.vendorStatus === undefined) return toRecord(created)
    const body = fromChange(yield* writeContext, change)
    if (Result.isFailure(body)) return yield* body.failure
    return yield* one(yield* client.updateTask(created._id, body.success))
  })

  const adapter: VendorAdapter = {
    manifest,
    statusScheme,
    listChanges: (checkpoint) => listChanges({ client, toRecords: records }, checkpoint, options),
    get,
    create,
    findCreated,
    update,
  }
  return adapter
})

/** A single Kore.ai connection as a service, for apps that talk to one account. */
export class KoreaiAdapter extends Context.Service<KoreaiAdapter, VendorAdapter>()(
  "@taskbridge/adapter-koreai/KoreaiAdapter",
) {}

export const layer = (config: KoreaiConfig): Layer.Layer<KoreaiAdapter, never, HttpClient.HttpClient | RateBudgets> =>
  Layer.effect(KoreaiAdapter, make(config))

export const layerConfig = Layer.effect(
  KoreaiAdapter,
  Effect.gen(function* () {
    return yield* make(yield* KoreaiConfigFromEnv)
  }),
)
