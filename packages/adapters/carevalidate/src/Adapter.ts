// The CareValidate adapter as the domain's VendorAdapter port for case escalations: one per connection. It keeps
// the escalation → case pairs it learns (writes go to the case) and the e-mail ⇄ user id pairs its writes confirm.
// It never retries, least of all a create.

import { canonicalAssignee, type IdentityMap, learnIdentity } from "@taskbridge/domain/Assignment"
import type { VendorRecordId } from "@taskbridge/domain/Ids"
import type { VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { careValidateEscalationScheme } from "@taskbridge/domain/schemes/CareValidate"
import { type RecordChange, type RecordDraft, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Context, Effect, Layer, Option, Ref, Result } from "effect"
import type { HttpClient } from "effect/http"
import { makeClient } from "./Client.ts"
import { type CareValidateConfig, CareValidateConfigFromEnv, defaults } from "./Config.ts"
import { notFound } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { fromChange, fromDraft, toRecord } from "./Mapping.ts"
import type { Escalation } from "./Schema.ts"
import { findCase, listChanges, type PullContext } from "./Sync.ts"

export const make = Effect.fnUntraced(function* (config: CareValidateConfig) {
  const client = yield* makeClient(config)
  const identities = yield* Ref.make<IdentityMap>(config.identities ?? [])
  const caseOf = yield* Ref.make(new Map<string, string>())
  const options = {
    sinceMillis: config.since === undefined ? defaults.sinceMillis : Date.now() - config.since.getTime(),
    pageSize: config.pageSize ?? defaults.pageSize,
    detailConcurrency: config.detailConcurrency ?? defaults.detailConcurrency,
  }

  const context: PullContext = {
    client,
    toRecord: (caseId, e) => Effect.map(Ref.get(identities), (map) => toRecord(map, caseId, e)),
    learn: (caseId, escalations) =>
      Ref.update(caseOf, (map) => {
        const next = new Map(map)
        for (const e of escalations) next.set(e.id, caseId)
        return next
      }),
  }

  /** The escalation's case: learned, told by the caller, or found by searching recent cases. */
  const caseFor = (operation: string, id: string) =>
    Effect.gen(function* () {
      const known = (yield* Ref.get(caseOf)).get(id.toLowerCase()) ?? config.caseRefOf?.(id)
      if (known !== undefined) return known
      const found = yield* findCase(context, id, options)
      if (Option.isNone(found)) return yield* notFound(operation, `no case holds escalation ${id}`)
      return found.value
    })

  const answerFor = (operation: string, caseId: string, id: string, escalations: ReadonlyArray<Escalation>) =>
    Effect.gen(function* () {
      yield* context.learn(caseId, escalations)
      const found = escalations.find((e) => e.id === id.toLowerCase())
      if (found === undefined) return yield* notFound(operation, `escalation ${id} is not on case ${caseId}`)
      return yield* context.toRecord(caseId, found)
    })

  const get = Effect.fn("CareValidate.get")(function* (id: VendorRecordId) {
    const caseId = yield* caseFor("get", id)
    const detail = yield* client.caseDetail(caseId)
    return yield* answerFor("get", detail.id, id, detail.escalations)
  })

  /** A write answer names the assignee by id: pair it with the e-mail we sent, so reads show that e-mail. */
  const confirm = (email: string | undefined, record: VendorRecord) =>
    Effect.gen(function* () {
      const assignee = record._tag === "Escalation" ? record.snapshot.assignee : null
      if (email === undefined || assignee?._tag !== "User" || record._tag !== "Escalation") return record
      const map = learnIdentity(yield* Ref.get(identities), { email, userId: assignee.id })
      yield* Ref.set(identities, map)
      return VendorRecord.cases.Escalation.make({
        ...record,
        snapshot: { ...record.snapshot, assignee: canonicalAssignee(map, assignee.id) },
      })
    })

  const update = Effect.fn("CareValidate.update")(function* (id: VendorRecordId, change: RecordChange) {
    const body = fromChange(yield* Ref.get(identities), change)
    if (Result.isFailure(body)) return yield* body.failure
    const caseId = yield* caseFor("update", id)
    const escalations = yield* client.updateEscalation(caseId, {
      action: "UPDATE_ESCALATION",
      escalations: [{ escalationId: id, ...body.success }],
    })
    return yield* confirm(body.success.assignedToEmail, yield* answerFor("update", caseId, id, escalations))
  })

  /** CareValidate has no idempotency key: find an active escalation on the case with the same type, title and note. */
  const findCreated = Effect.fn("CareValidate.findCreated")(function* (draft: RecordDraft) {
    const body = fromDraft(yield* Ref.get(identities), draft)
    if (Result.isFailure(body)) return yield* body.failure
    const { caseId, item } = body.success
    const detail = yield* client.caseDetail(caseId)
    yield* context.learn(detail.id, detail.escalations)
    const matches = detail.escalations.filter(
      (e) => !e.isCompleted && e.type === item.type && e.title === item.title && (e.note ?? undefined) === item.note,
    )
    const newest = matches.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
    return newest === undefined ? null : yield* context.toRecord(detail.id, newest)
  })

  const create = Effect.fn("CareValidate.create")(function* (draft: RecordDraft) {
    const body = fromDraft(yield* Ref.get(identities), draft)
    if (Result.isFailure(body)) return yield* body.failure
    const { caseId, item } = body.success
    const escalations = yield* client.addEscalation(caseId, { action: "ADD_ESCALATION", escalations: [item] })
    yield* context.learn(caseId, escalations)
    // The answer lists every active escalation: the new one is the newest with the same type and title.
    const fresh = escalations
      .filter((e) => e.type === item.type && e.title === item.title)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
    if (fresh === undefined) return yield* notFound("create", `the new escalation is missing from case ${caseId}`)
    return yield* confirm(item.assignedToEmail, yield* context.toRecord(caseId, fresh))
  })

  const adapter: VendorAdapter = {
    manifest,
    statusScheme: Effect.succeed(careValidateEscalationScheme()),
    listChanges: (checkpoint) => listChanges(context, checkpoint, options),
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

export const layer = (config: CareValidateConfig): Layer.Layer<CareValidateAdapter, never, HttpClient.HttpClient> =>
  Layer.effect(CareValidateAdapter, make(config))

export const layerConfig = Layer.effect(
  CareValidateAdapter,
  Effect.gen(function* () {
    return yield* make(yield* CareValidateConfigFromEnv)
  }),
)
