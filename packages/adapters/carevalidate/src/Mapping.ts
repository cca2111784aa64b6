// CareValidate escalation ⇄ domain, as small named functions: wire escalation → VendorRecord (follow-up due via
// DueCareValidate, assignee read back through the identity map) and domain changes → the UPDATE/ADD items
// CareValidate accepts, or a refusal naming the field. Unknown types are kept verbatim with an explicit fallback.

import { type Assignee, canonicalAssignee, emailForUserId, type IdentityMap } from "@taskbridge/domain/Assignment"
import { type Due, none as noDue } from "@taskbridge/domain/Due"
import { codec as dueCodec } from "@taskbridge/domain/DueCareValidate"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { EscalationType } from "@taskbridge/domain/Escalation"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import { type RecordChange, type RecordDraft, type UnknownValue, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Result, Schema } from "effect"
import { isKnownEscalationType } from "./internal/enums.ts"
import { refusal } from "./internal/errors.ts"
import type { AddEscalationItem, Escalation } from "./Schema.ts"

/** An unknown type is read as `support`, CareValidate's general-purpose kind (and its most common one). */
export const unknownTypeFallback: EscalationType = "support"

const decodeDue = Schema.decodeUnknownResult(dueCodec.codec)
const encodeDue = Schema.encodeResult(dueCodec.codec)

/** The version a pull compares: `updatedAt`, or `createdAt` where CareValidate leaves it out. */
export const versionOf = (e: Pick<Escalation, "updatedAt" | "createdAt">): string => e.updatedAt ?? e.createdAt

export const toType = (type: string): { type: EscalationType; unknown: Array<UnknownValue> } =>
  isKnownEscalationType(type)
    ? { type, unknown: [] }
    : { type: unknownTypeFallback, unknown: [{ field: "type", value: type, fallback: unknownTypeFallback }] }

export const toFollowUpDue = (wire: string | null): { due: Due; unknown: Array<UnknownValue> } => {
  const due = decodeDue(wire)
  return Result.isSuccess(due)
    ? { due: due.success, unknown: [] }
    : { due: noDue, unknown: [{ field: "followUpDueAt", value: String(wire), fallback: "no due" }] }
}

/** The whole wire escalation as the domain sees it; the case id is its `caseRef`. */
export const toRecord = (identities: IdentityMap, caseId: string, e: Escalation): VendorRecord => {
  const type = toType(e.type)
  const due = toFollowUpDue(e.followUpDueAt)
  const version = versionOf(e)
  return VendorRecord.cases.Escalation.make({
    id: VendorRecordId.make(e.id),
    version,
    updatedAt: DateTime.makeUnsafe(version),
    unknownValues: [...type.unknown, ...due.unknown],
    snapshot: {
      caseRef: caseId,
      type: type.type,
      title: e.title === "" ? "(untitled)" : e.title,
      note: e.note,
      followUpDue: due.due,
      assignee: e.assignedToUserId === null ? null : canonicalAssignee(identities, e.assignedToUserId),
      state: e.isCompleted ? "completed" : "active",
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
    ? Result.fail(refusal(operation, "assignee", `CareValidate assigns by e-mail and no e-mail is known for it`))
    : Result.succeed(email)
}

const toDueWire = (operation: string, due: Due): Outcome<string> => {
  if (due._tag === "None")
    return Result.fail(refusal(operation, "followUpDue", "CareValidate cannot clear a follow-up"))
  const wire = encodeDue(due)
  if (Result.isFailure(wire) || wire.success === null) {
    return Result.fail(refusal(operation, "followUpDue", "followUpDueAt takes a UTC instant only"))
  }
  return Result.succeed(wire.success)
}

const writable = (
  operation: string,
  identities: IdentityMap,
  input: { note?: string | null; followUpDue?: Due; assignee?: Assignee | null },
): Outcome<Writable> => {
  const out: Writable = {}
  if (input.note === null) return Result.fail(refusal(operation, "note", "CareValidate cannot clear a note"))
  if (input.note !== undefined) out.note = input.note
  if (input.followUpDue !== undefined) {
    const due = toDueWire(operation, input.followUpDue)
    if (Result.isFailure(due)) return Result.fail(due.failure)
    out.followUpDueAt = due.success
  }
  if (input.assignee === null) return Result.fail(refusal(operation, "assignee", "CareValidate cannot unassign"))
  if (input.assignee !== undefined) {
    const email = toAssigneeEmail(operation, identities, input.assignee)
    if (Result.isFailure(email)) return Result.fail(email.failure)
    out.assignedToEmail = email.success
  }
  return Result.succeed(out)
}

/**
 * The UPDATE_ESCALATION item for a change (without the id), or a refusal before any HTTP call: only the note, the
 * follow-up instant and one assignee are writable; title, type, status (completion), task fields are refused.
 */
export const fromChange = (identities: IdentityMap, change: RecordChange): Outcome<Writable> => {
  const field = Object.entries(change.fields).find(([, value]) => value !== undefined)?.[0]
  if (field !== undefined) return Result.fail(refusal("update", field, `an escalation has no writable ${field}`))
  if (change.vendorStatus !== undefined) {
    return Result.fail(refusal("update", "status", "only CareValidate completes an escalation"))
  }
  if (change.note !== undefined) return Result.fail(refusal("update", "note", "task notes; use escalation.note"))
  if (change.extension !== undefined) return Result.fail(refusal("update", "extension", "no escalation extension"))
  if (change.escalation === undefined) return Result.fail(refusal("update", "escalation", "nothing to change"))
  const body = writable("update", identities, change.escalation)
  if (Result.isSuccess(body) && Object.keys(body.success).length === 0) {
    return Result.fail(refusal("update", "escalation", "nothing to change"))
  }
  return body
}

/** The ADD_ESCALATION item and its case for a draft; a new escalation is always active. */
export const fromDraft = (
  identities: IdentityMap,
  draft: RecordDraft,
): Outcome<{ caseId: string; item: AddEscalationItem }> => {
  if (draft._tag !== "Escalation") return Result.fail(refusal("create", "kind", "CareValidate holds escalations"))
  const { snapshot } = draft
  if (snapshot.state !== "active") {
    return Result.fail(refusal("create", "state", "only CareValidate completes an escalation"))
  }
  const rest = writable("create", identities, {
    ...(snapshot.note === null ? {} : { note: snapshot.note }),
    ...(snapshot.followUpDue._tag === "None" ? {} : { followUpDue: snapshot.followUpDue }),
    ...(snapshot.assignee === null ? {} : { assignee: snapshot.assignee }),
  })
  if (Result.isFailure(rest)) return Result.fail(rest.failure)
  return Result.succeed({
    caseId: snapshot.caseRef,
    item: { type: snapshot.type, title: snapshot.title, ...rest.success },
  })
}
