// Escalations through the engine (CareValidate's synced object): a pulled escalation is created or merged three
// ways (note, follow-up due, assignee), completion arrives only from the vendor and freezes it, a push's answer is
// adopted, and a local edit is refused once the escalation is completed.
import { randomUUID } from "node:crypto"
import { VersionConflict } from "@taskbridge/domain/Errors"
import { Escalation, transitionEscalation } from "@taskbridge/domain/Escalation"
import { EscalationId, type OrganizationId } from "@taskbridge/domain/Ids"
import { type FieldConflict, merge } from "@taskbridge/domain/Merge"
import {
  ConflictRepository,
  EscalationRepository,
  type FieldChange,
  HistoryRepository,
  type LinkState,
  OutboxRepository,
  Transactor,
} from "@taskbridge/domain/ports/Repositories"
import { EscalationSnapshot, type RecordChange, type VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Equal, Result, Schema } from "effect"
import type { Target } from "./Pull.ts"

type EscalationRecord = Extract<VendorRecord, { _tag: "Escalation" }>
type Editable = "note" | "followUpDue" | "assignee"
type Fields = { readonly [K in Editable]: EscalationSnapshot[K] }
const fieldNames = ["note", "followUpDue", "assignee", "state"] as const
type Tracked = (typeof fieldNames)[number]

const codecs = Object.fromEntries(
  fieldNames.map((f) => [f, Schema.encodeSync(Schema.toCodecJson(EscalationSnapshot.fields[f]))]),
) as { readonly [K in Tracked]: (value: EscalationSnapshot[K]) => Schema.Json }

const json = <K extends Tracked>(field: K, value: EscalationSnapshot[K]) => codecs[field](value)
const change = <K extends Tracked>(
  field: K,
  before: EscalationSnapshot | null,
  after: EscalationSnapshot,
): FieldChange => ({
  field,
  before: before === null ? null : json(field, before[field]),
  after: json(field, after[field]),
})
const changes = (before: EscalationSnapshot | null, after: EscalationSnapshot) =>
  fieldNames.filter((f) => before === null || !Equal.equals(before[f], after[f])).map((f) => change(f, before, after))

/** Conflict values as JSON; the field is only known at run time here, so the codec checks the value as it encodes. */
const conflictJson = (c: FieldConflict<Fields>) => {
  const encode = Schema.encodeUnknownSync(Schema.toCodecJson(EscalationSnapshot.fields[c.field]))
  return { field: c.field, base: encode(c.base), local: encode(c.local), remote: encode(c.remote) }
}

const snapshotOf = (e: Escalation): EscalationSnapshot => ({
  caseRef: e.caseRef,
  type: e.type,
  title: e.title,
  note: e.note,
  followUpDue: e.followUpDue,
  assignee: e.assignee,
  state: e.state,
})

const subjectOf = (e: Escalation) => ({ kind: "escalation" as const, id: e.id })

const appendHistory = (
  e: Escalation,
  origin: "pull" | "webhook" | "push" | "api",
  actor: string | null,
  connection: Escalation["connectionId"] | null,
  fieldChanges: ReadonlyArray<FieldChange>,
) =>
  fieldChanges.length === 0
    ? Effect.void
    : Effect.gen(function* () {
        const entry = {
          organizationId: e.organizationId,
          subject: subjectOf(e),
          origin,
          actor,
          connectionId: connection,
        }
        yield* (yield* HistoryRepository).append({ ...entry, changes: fieldChanges })
      })

export const insertEscalation = Effect.fn("Escalations.insert")(function* (target: Target, record: EscalationRecord) {
  const now = yield* DateTime.now
  const { snapshot } = record
  const escalation = Escalation.make({
    ...snapshot,
    id: EscalationId.make(randomUUID()),
    organizationId: target.connection.organizationId,
    connectionId: target.connection.id,
    recordId: record.id,
    completedAt: snapshot.state === "completed" ? (record.updatedAt ?? now) : null,
    createdAt: now,
    updatedAt: now,
    version: 0,
  })
  yield* (yield* EscalationRepository).insert(escalation)
  yield* appendHistory(escalation, target.origin ?? "pull", null, target.connection.id, changes(null, snapshot))
})

/** Only the vendor completes an escalation; once completed, its fields are the vendor's last word. */
const completion = (local: Escalation, remote: EscalationSnapshot, now: DateTime.Utc) => {
  if (local.state === "completed" || remote.state !== "completed")
    return { state: local.state, completedAt: local.completedAt }
  const moved = transitionEscalation(local.state, "complete", "vendor")
  return Result.isSuccess(moved)
    ? { state: moved.success.state, completedAt: now }
    : { state: local.state, completedAt: local.completedAt }
}

export const mergeEscalation = Effect.fn("Escalations.merge")(function* (
  target: Target,
  link: LinkState,
  record: EscalationRecord,
) {
  if (link.subject.kind !== "escalation") return
  const escalations = yield* EscalationRepository
  const local = yield* escalations.get(target.connection.organizationId, link.subject.id)
  const remote = record.snapshot
  const localFields: Fields = { note: local.note, followUpDue: local.followUpDue, assignee: local.assignee }
  const remoteFields: Fields = { note: remote.note, followUpDue: remote.followUpDue, assignee: remote.assignee }
  const base: Fields = link.base?._tag === "Escalation" ? link.base.snapshot : localFields
  const now = yield* DateTime.now
  const done = completion(local, remote, now)
  // A completed escalation cannot be written any more, so the vendor's values stand and nothing is a conflict.
  const { merged, conflicts } =
    done.state === "completed"
      ? { merged: remoteFields, conflicts: [] }
      : merge(base, localFields, remoteFields, { policy: {}, defaultPolicy: "manual" })
  const next = Escalation.make({ ...local, ...merged, ...done, updatedAt: now })
  yield* escalations.update(next, local.version)
  yield* appendHistory(
    next,
    target.origin ?? "pull",
    null,
    target.connection.id,
    changes(snapshotOf(local), snapshotOf(next)),
  )
  for (const c of conflicts) {
    const subject = subjectOf(local)
    yield* (yield* ConflictRepository).record({
      organizationId: local.organizationId,
      subject,
      connectionId: target.connection.id,
      ...conflictJson(c),
    })
  }
  const conflicted = new Set<string>(conflicts.map((c) => c.field))
  const back = Object.fromEntries(
    (["note", "followUpDue", "assignee"] as const)
      .filter((f) => !conflicted.has(f) && !Equal.equals(merged[f], remoteFields[f]))
      .map((f) => [f, merged[f]]),
  )
  if (done.state === "active" && Object.keys(back).length > 0) {
    const payload = { operation: "update" as const, change: { fields: {}, escalation: back } satisfies RecordChange }
    yield* (yield* OutboxRepository).enqueue({
      organizationId: local.organizationId,
      connectionId: target.connection.id,
      subject: subjectOf(local),
      recordId: record.id,
      payload,
    })
  }
})

/** After a push: the vendor's answer wins for what it holds, and the history says what that changed. */
export const settleEscalation = Effect.fn("Escalations.settle")(function* (
  organizationId: OrganizationId,
  id: EscalationId,
  record: EscalationRecord,
) {
  const escalations = yield* EscalationRepository
  const local = yield* escalations.get(organizationId, id)
  const { note, followUpDue, assignee } = record.snapshot
  const next = Escalation.make({ ...local, note, followUpDue, assignee })
  if (Equal.equals(snapshotOf(next), snapshotOf(local))) return
  yield* escalations.update(next, local.version)
  yield* appendHistory(next, "push", null, local.connectionId, changes(snapshotOf(local), snapshotOf(next)))
})

export interface EscalationEdit {
  readonly organizationId: OrganizationId
  readonly id: EscalationId
  readonly expectedVersion: number
  readonly patch: NonNullable<RecordChange["escalation"]>
  readonly actor: string
}

/** A local edit: refused on a completed escalation, otherwise stored with its history and queued for the vendor. */
export const updateEscalation = Effect.fn("Escalations.update")(function* (input: EscalationEdit) {
  const escalations = yield* EscalationRepository
  const local = yield* escalations.get(input.organizationId, input.id)
  if (local.version !== input.expectedVersion) {
    return yield* new VersionConflict({
      id: local.id,
      expectedVersion: input.expectedVersion,
      currentVersion: local.version,
    })
  }
  const edit = transitionEscalation(local.state, "edit", "local")
  if (Result.isFailure(edit)) return yield* edit.failure
  const now = yield* DateTime.now
  const next = Escalation.make({ ...local, ...input.patch, updatedAt: now })
  return yield* (yield* Transactor).atomically(
    Effect.gen(function* () {
      const stored = yield* escalations.update(next, input.expectedVersion)
      yield* appendHistory(stored, "api", input.actor, null, changes(snapshotOf(local), snapshotOf(stored)))
      const payload = { operation: "update" as const, change: { fields: {}, escalation: input.patch } }
      const entry = {
        organizationId: local.organizationId,
        connectionId: local.connectionId,
        subject: subjectOf(local),
        recordId: local.recordId,
        payload,
      }
      return { escalation: stored, queued: [yield* (yield* OutboxRepository).enqueue(entry)] }
    }),
  )
})
