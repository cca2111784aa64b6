// The Candid adapter as the domain's VendorAdapter port: one per connection. It learns Candid's deprecated statuses
// from 422s and keeps them in the connection's memory (so the next write is refused before any HTTP call, also after
// a restart), and never retries a create blindly.

import { inMemory } from "@taskbridge/adapter-kit/Memory"
import type { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import type { SyncError } from "@taskbridge/domain/Errors"
import { ConnectionId } from "@taskbridge/domain/Ids"
import type { ConnectionMemory, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { forbidWrites } from "@taskbridge/domain/StatusScheme"
import { candidScheme } from "@taskbridge/domain/schemes/Candid"
import type { RecordChange, RecordDraft, RecordRef } from "@taskbridge/domain/VendorRecord"
import { Context, Effect, Layer, Ref, Result } from "effect"
import type { HttpClient } from "effect/http"
import { makeClient } from "./Client.ts"
import { type CandidConfig, CandidConfigFromEnv, defaults } from "./Config.ts"
import { manifest } from "./Manifest.ts"
import { fromChange, fromDraft, toRecord } from "./Mapping.ts"
import { listChanges } from "./Sync.ts"

export interface CandidContext {
  readonly connectionId: ConnectionId
  readonly memory: ConnectionMemory
}

const standalone = (): CandidContext => ({ connectionId: ConnectionId.make("standalone"), memory: inMemory() })

export const make = Effect.fnUntraced(function* (config: CandidConfig, context: CandidContext = standalone()) {
  const client = yield* makeClient(config, context.connectionId)
  const learned = context.memory.learned.statusScheme
  const scheme = yield* Ref.make(
    learned?.vendor === "candid" ? learned : candidScheme({ deprecated: config.deprecatedStatuses }),
  )
  const options = {
    pageSize: config.pageSize ?? manifest.pageSize,
    overlapMillis: config.overlapMillis ?? defaults.overlapMillis,
  }
  const record = Effect.map(Ref.get(scheme), (s) => (task: Parameters<typeof toRecord>[1]) => toRecord(s, task))

  // A 422 TaskUpdatedToDeprecatedStatusError names a status never to write again for this connection.
  const learn = ({ reason }: SyncError) =>
    reason._tag === "DeprecatedValue"
      ? Effect.flatMap(
          Ref.updateAndGet(scheme, (s) => forbidWrites(s, reason.value)),
          context.memory.saveScheme,
        )
      : Effect.void

  const update = Effect.fn("Candid.update")(function* (ref: RecordRef, change: RecordChange) {
    const body = fromChange(yield* Ref.get(scheme), change)
    if (Result.isFailure(body)) return yield* body.failure
    const task = yield* client.updateTask(ref.id, body.success).pipe(Effect.tapError(learn))
    return (yield* record)(task)
  })

  const create = Effect.fn("Candid.create")(function* (draft: RecordDraft) {
    const body = fromDraft(draft, config.workQueueId)
    if (Result.isFailure(body)) return yield* body.failure
    return (yield* record)(yield* client.createTask(body.success))
  })

  /** Candid has no idempotency key: find a task on the same encounter, of the same type, with the same text. */
  const findCreated = Effect.fn("Candid.findCreated")(function* (draft: RecordDraft) {
    const body = fromDraft(draft, config.workQueueId)
    if (Result.isFailure(body)) return yield* body.failure
    const { encounter_id, task_type, description } = body.success
    const page = yield* client.listTasks({ encounter_id, task_types: task_type, limit: "100", sort: "updated_at:desc" })
    const match = page.items.find((t) => t.task_type === task_type && t.description === description)
    return match === undefined ? null : (yield* record)(match)
  })

  const adapter: VendorAdapter = {
    manifest,
    statusScheme: Ref.get(scheme),
    listChanges: (checkpoint) => listChanges(client, Ref.get(scheme), checkpoint, options),
    get: (ref) => Effect.flatMap(client.getTask(ref.id), (task) => Effect.map(record, (f) => f(task))),
    create,
    findCreated,
    update,
  }
  return adapter
})

/** A single Candid connection as a service, for apps that talk to one tenant. */
export class CandidAdapter extends Context.Service<CandidAdapter, VendorAdapter>()(
  "@taskbridge/adapter-candid/CandidAdapter",
) {}

export const layer = (config: CandidConfig): Layer.Layer<CandidAdapter, never, HttpClient.HttpClient | RateBudgets> =>
  Layer.effect(CandidAdapter, make(config))

export const layerConfig = Layer.effect(
  CandidAdapter,
  Effect.gen(function* () {
    return yield* make(yield* CandidConfigFromEnv)
  }),
)
