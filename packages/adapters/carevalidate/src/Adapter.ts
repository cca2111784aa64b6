// The CareValidate adapter as the domain's VendorAdapter port for case escalations: one per connection. Writes go to
// the escalation's case, which every record carries as its parent (the engine keeps it on the link, so no search is
// needed, also after a restart); the e-mail ⇄ user id pairs its writes confirm go to the connection's memory. It
// never retries, least of all a create.

import { inMemory } from "@taskbridge/adapter-kit/Memory"
import type { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { canonicalAssignee, type IdentityEntry, type IdentityMap, learnIdentity } from "@taskbridge/domain/Assignment"
import { ConnectionId } from "@taskbridge/domain/Ids"
import type { ConnectionMemory, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { careValidateEscalationScheme } from "@taskbridge/domain/schemes/CareValidate"
import { type RecordChange, type RecordDraft, type RecordRef, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Context, Effect, Layer, Option, Ref, Result } from "effect"
import type { HttpClient } from "effect/http"
import { makeClient } from "./Client.ts"
import { type CareValidateConfig, CareValidateConfigFromEnv, defaults } from "./Config.ts"
import { errors } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { fromChange, fromDraft, toRecord } from "./Mapping.ts"
import type { Escalation } from "./Schema.ts"
import { findCase, listChanges, type PullContext } from "./Sync.ts"

export interface CareValidateContext {
  readonly connectionId: ConnectionId
  readonly memory: ConnectionMemory
}

const standalone = (): CareValidateContext => ({ connectionId: ConnectionId.make("standalone"), memory: inMemory() })

export const make = Effect.fnUntraced(function* (
  config: CareValidateConfig,
  context: CareValidateContext = standalone(),
) {
  const client = yield* makeClient(config, context.connectionId)
  const identities = yield* Ref.make<IdentityMap>(context.memory.learned.identities)
  const options = {
    sinceMillis: (config.sinceDays ?? defaults.sinceDays) * 86_400_000,
    pageSize: config.pageSize ?? manifest.pageSize,
    detailConcurrency: config.detailConcurrency ?? defaults.detailConcurrency,
    overlapMillis: config.overlapMillis ?? defaults.overlapMillis,
  }
  const pull: PullContext = {
    client,
    toRecord: (caseId, e) => Effect.map(Ref.get(identities), (map) => toRecord(map, caseId, e)),
  }

  /** The escalation's case: its parent as the engine knows it, else found by searching recent cases. */
  const caseFor = (operation: string, ref: RecordRef) =>
    Effect.gen(function* () {
      if (ref.parent !== null) return ref.parent
      const found = yield* findCase(pull, ref.id, options)
      if (Option.isNone(found)) return yield* errors.notFound(operation, `no case holds escalation ${ref.id}`)
      return found.value
    })

  const answerFor = (operation: string, caseId: string, id: string, escalations: ReadonlyArray<Escalation>) =>
    Effect.gen(function* () {
      const found = escalations.find((e) => e.id === id.toLowerCase())
      if (found === undefined) return yield* errors.notFound(operation, `escalation ${id} is not on case ${caseId}`)
      return yield* pull.toRecord(caseId, found)
    })

  const get = Effect.fn("CareValidate.get")(function* (ref: RecordRef) {
    const caseId = yield* caseFor("get", ref)
    const detail = yield* client.caseDetail(caseId)
    return yield* answerFor("get", detail.id, ref.id, detail.escalations)
  })

  /** A write answer names the assignee by id: pair it with the e-mail we sent, so reads show that e-mail. */
  const confirm = (email: string | undefined, record: VendorRecord) =>
    Effect.gen(function* () {
      const [assignee] = record.snapshot.fields.assignees
      if (email === undefined || assignee?._tag !== "User") return record
      const entry: IdentityEntry = { email, userId: assignee.id }
      const map = learnIdentity(yield* Ref.get(identities), entry)
      yield* Ref.set(identities, map)
      yield* context.memory.learnIdentity(entry)
      const fields = { ...record.snapshot.fields, assignees: [canonicalAssignee(map, assignee.id)] }
      return VendorRecord.make({ ...record, snapshot: { ...record.snapshot, fields } })
    })

  const update = Effect.fn("CareValidate.update")(function* (ref: RecordRef, change: RecordChange) {
    const body = fromChange(yield* Ref.get(identities), change)
    if (Result.isFailure(body)) return yield* body.failure
    const caseId = yield* caseFor("update", ref)
    const escalations = yield* client.updateEscalation(caseId, {
      action: "UPDATE_ESCALATION",
      escalations: [{ escalationId: ref.id, ...body.success }],
    })
    return yield* confirm(body.success.assignedToEmail, yield* answerFor("update", caseId, ref.id, escalations))
  })

  /** CareValidate has no idempotency key: find an active escalation on the case with the same type, title and note. */
  const findCreated = Effect.fn("CareValidate.findCreated")(function* (draft: RecordDraft) {
    const body = fromDraft(yield* Ref.get(identities), draft)
    if (Result.isFailure(body)) return yield* body.failure
    const { caseId, item } = body.success
    const detail = yield* client.caseDetail(caseId)
    const matches = detail.escalations.filter(
      (e) => !e.isCompleted && e.type === item.type && e.title === item.title && (e.note ?? undefined) === item.note,
    )
    const newest = matches.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
    return newest === undefined ? null : yield* pull.toRecord(detail.id, newest)
  })

  const create = Effect.fn("CareValidate.create")(function* (draft: RecordDraft) {
    const body = fromDraft(yield* Ref.get(identities), draft)
    if (Result.isFailure(body)) return yield* body.failure
    const { caseId, item } = body.success
    const escalations = yield* client.addEscalation(caseId, { action: "ADD_ESCALATION", escalations: [item] })
    // The answer lists every active escalation: the new one is the newest with the same type and title.
    const fresh = escalations
      .filter((e) => e.type === item.type && e.title === item.title)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
    if (fresh === undefined)
      return yield* errors.notFound("create", `the new escalation is missing from case ${caseId}`)
    return yield* confirm(item.assignedToEmail, yield* pull.toRecord(caseId, fresh))
  })

  const adapter: VendorAdapter = {
    manifest,
    statusScheme: Effect.succeed(careValidateEscalationScheme()),
    listChanges: (checkpoint) => listChanges(pull, checkpoint, options),
    get,
    create,
    findCreated,
    update,
  }
  return adapter
})

/** A single CareValidate connection as a service, for apps that talk to one organization. */
export class CareValidateAdapter extends Context.Service<CareValidateAdapter, VendorAdapter>()(
  "@taskbridge/adapter-carevalidate/CareValidateAdapter",
) {}

export const layer = (
  config: CareValidateConfig,
): Layer.Layer<CareValidateAdapter, never, HttpClient.HttpClient | RateBudgets> =>
  Layer.effect(CareValidateAdapter, make(config))

export const layerConfig = Layer.effect(
  CareValidateAdapter,
  Effect.gen(function* () {
    return yield* make(yield* CareValidateConfigFromEnv)
  }),
)
