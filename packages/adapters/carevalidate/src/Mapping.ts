// CareValidate escalation ⇄ domain, as small named functions: wire escalation → VendorRecord of kind `escalation`
// (its note is the work item's description, its follow-up the due, its one assignee read back through the identity
// map, its case the record's parent) and domain changes → the UPDATE/ADD items CareValidate accepts, or a refusal
// naming the field before any HTTP call. Unknown types are kept with an explicit fallback.

import { known } from "@taskbridge/adapter-kit/Enums"
import { type Assignee, canonicalAssignee, emailForUserId, type IdentityMap } from "@taskbridge/domain/Assignment"
import { type Due, none as noDue } from "@taskbridge/domain/Due"
import { codec as dueCodec } from "@taskbridge/domain/DueCareValidate"
import type { SyncError } from "@taskbridge/domain/Errors"
import { type EscalationType, escalationTypes } from "@taskbridge/domain/Escalation"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import { careValidateStatusOf } from "@taskbridge/domain/schemes/CareValidate"
import { Title } from "@taskbridge/domain/Task"
import { type RecordChange, type RecordDraft, type UnknownValue, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Result, Schema } from "effect"
import { errors } from "./internal/errors.ts"
import type { AddEscalationItem, Escalation } from "./Schema.ts"

/** An unknown type is read as `support`, CareValidate's general-purpose kind (and its most common one). */
export const unknownTypeFallback: EscalationType = "support"

const typeTable: Readonly<Record<string, EscalationType>> = Object.fromEntries(escalationTypes.map((t) => [t, t]))
const decodeDue = Schema.decodeUnknownResult(dueCodec.codec)
const encodeDue = Schema.encodeResult(dueCodec.codec)
const refusal = errors.refusal

/** The version a pull compares: `updatedAt`, or `createdAt` where CareValidate leaves it out. */
export const versionOf = (e: Pick<Escalation, "updatedAt" | "createdAt">): string => e.updatedAt ?? e.createdAt

export const toType = (type: string) => known("type", type, typeTable, unknownTypeFallback)

export const toFollowUpDue = (wire: string | null): { due: Due; unknown: Array<UnknownValue> } => {
  const due = decodeDue(wire)
  return Result.isSuccess(due)
    ? { due: due.success, unknown: [] }
    : { due: noDue, unknown: [{ field: "followUpDueAt", value: String(wire), fallback: "no due" }] }
}

const toTitle = (title: string): Title => Title.make((title.trim() === "" ? "(untitled)" : title.trim()).slice(0, 500))

/** The whole wire escalation as the domain sees it; its case is the record's parent and in its extension. */
export const toRecord = (identities: IdentityMap, caseId: string, e: Escalation): VendorRecord => {
  const type = toType(e.type)
  const due = toFollowUpDue(e.followUpDueAt)
  const version = versionOf(e)
  const vendorStatus = careValidateStatusOf(e.isCompleted)
  return VendorRecord.make({
    id: VendorRecordId.make(e.id),
    version,
    updatedAt: DateTime.makeUnsafe(version),
    parent: caseId,
    unknownValues: [...type.unknown, ...due.unknown],
    snapshot: {
      fields: {
        title: toTitle(e.title),
        description: e.note,
        status: e.isCompleted ? "done" : "open",
        priority: "none",
        due: due.due,
        assignees: e.assignedToUserId === null ? [] : [canonicalAssignee(identities, e.assignedToUserId)],
        tags: [],
      },
      vendorStatus,
      subjects: { case: { id: caseId } },
      notes: [],
      extension: { _tag: "carevalidate", caseId, escalationType: type.value },
    },
  })
}

type Writable = { note?: string; followUpDueAt?: string; assignedToEmail?: string }
type Outcome<A> = Result.Result<A, SyncError>

/** CareValidate writes assignees by e-mail: an Email as is, a User only if the identity map knows its e-mail. */
export const toAssigneeEmail = (operation: string, identities: IdentityMap, assignee: Assignee): Outcome<string> => {
  if (assignee._tag === "Email") return Result.succeed(assignee.email)
  const email = assignee._tag === "User" ? emailForUserId(identities, assignee.id) : undefined
  return email === undefined
    ? Result.fail(refusal(operation, "assignees", "CareValidate assigns by e-mail and no e-mail is known for it"))
    : Result.succeed(email)
}

const toDueWire = (operation: string, due: Due): Outcome<string> => {
  if (due._tag === "None") return Result.fail(refusal(operation, "due", "CareValidate cannot clear a follow-up"))
  const wire = encodeDue(due)
  if (Result.isFailure(wire) || wire.success === null) {
    return Result.fail(refusal(operation, "due", "followUpDueAt takes a UTC instant only"))
  }
  return Result.succeed(wire.success)
}

const toNote = (operation: string, note: string | null): Outcome<string> =>
  note === null || note.trim() === ""
    ? Result.fail(refusal(operation, "description", "CareValidate cannot clear a note"))
    : Result.succeed(note)

const toAssignee = (operation: string, identities: IdentityMap, assignees: ReadonlyArray<Assignee>) => {
  const [only, ...more] = assignees
  if (only === undefined) return Result.fail(refusal(operation, "assignees", "CareValidate cannot unassign"))
  if (more.length > 0) return Result.fail(refusal(operation, "assignees", "CareValidate holds one assignee"))
  return toAssigneeEmail(operation, identities, only)
}

/** The writable wire fields of a change or draft: note, follow-up, assignee; each refused if it would clear. */
const writable = (operation: string, identities: IdentityMap, fields: RecordChange["fields"]): Outcome<Writable> => {
  const out: Writable = {}
  if (fields.description !== undefined) {
    const note = toNote(operation, fields.description)
    if (Result.isFailure(note)) return Result.fail(note.failure)
    out.note = note.success
  }
  if (fields.due !== undefined) {
    const due = toDueWire(operation, fields.due)
    if (Result.isFailure(due)) return Result.fail(due.failure)
    out.followUpDueAt = due.success
  }
  if (fields.assignees !== undefined) {
    const email = toAssignee(operation, identities, fields.assignees)
    if (Result.isFailure(email)) return Result.fail(email.failure)
    out.assignedToEmail = email.success
  }
  return Result.succeed(out)
}

const readOnly = ["title", "priority", "tags"] as const

/**
 * The UPDATE_ESCALATION item for a change (without the id), or a refusal before any HTTP call: only the note, the
 * follow-up instant and one assignee are writable; title, type, status (completion) and other fields are refused.
 */
export const fromChange = (identities: IdentityMap, change: RecordChange): Outcome<Writable> => {
  const field = readOnly.find((f) => change.fields[f] !== undefined)
  if (field !== undefined) return Result.fail(refusal("update", field, `an escalation's ${field} cannot change`))
  if (change.vendorStatus !== undefined) {
    return Result.fail(refusal("update", "status", "only CareValidate completes an escalation"))
  }
  if (change.note !== undefined)
    return Result.fail(refusal("update", "notes", "an escalation has one note: its description"))
  if (change.extension !== undefined)
    return Result.fail(refusal("update", "extension", "no escalation field is writable"))
  const body = writable("update", identities, change.fields)
  if (Result.isSuccess(body) && Object.keys(body.success).length === 0) {
    return Result.fail(refusal("update", null, "nothing to change"))
  }
  return body
}

/** The ADD_ESCALATION item and its case for a draft; a new escalation is always active. */
export const fromDraft = (
  identities: IdentityMap,
  draft: RecordDraft,
): Outcome<{ caseId: string; item: AddEscalationItem }> => {
  const { snapshot } = draft
  const ext = snapshot.extension
  if (ext === null || ext._tag !== "carevalidate") {
    return Result.fail(refusal("create", "extension", "a CareValidate escalation needs its case and type"))
  }
  if (snapshot.fields.status !== "open") {
    return Result.fail(refusal("create", "status", "only CareValidate completes an escalation"))
  }
  const { fields } = snapshot
  const rest = writable("create", identities, {
    ...(fields.description === null ? {} : { description: fields.description }),
    ...(fields.due._tag === "None" ? {} : { due: fields.due }),
    ...(fields.assignees.length === 0 ? {} : { assignees: fields.assignees }),
  })
  if (Result.isFailure(rest)) return Result.fail(rest.failure)
  return Result.succeed({
    caseId: ext.caseId,
    item: { type: ext.escalationType, title: fields.title, ...rest.success },
  })
}
