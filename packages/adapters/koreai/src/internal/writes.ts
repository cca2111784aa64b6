// The pieces of a Kore.ai write that Mapping's `fromChange` and `fromDraft` share: the configured status and priority
// objects to name (by `_id`, a usable one of the account's, or the refusal that says why not), the `dueDate` epoch ms
// (or null, which clears it) and the assignment (one agent and the queues, sent whole).
import type { Assignee } from "@taskbridge/domain/Assignment"
import type { Due } from "@taskbridge/domain/Due"
import { codec as dueCodec } from "@taskbridge/domain/DueKoreai"
import type { SyncError } from "@taskbridge/domain/Errors"
import type { Priority } from "@taskbridge/domain/Priority"
import { findStatus, type StatusScheme } from "@taskbridge/domain/StatusScheme"
import { Result, Schema } from "effect"
import { type Learned, priorityCodecOf } from "../Statuses.ts"
import { errors } from "./errors.ts"

const refusal = errors.refusal

type Outcome<A> = Result.Result<A, SyncError>

/** The status object to write for a vendor status name: a known, usable status of the account, by `_id`. */
export const statusRef = (scheme: StatusScheme | null, name: string, operation: string): Outcome<{ _id: string }> => {
  const found = scheme === null ? undefined : findStatus(scheme, { name })
  if (found?.vendorId === undefined) {
    return Result.fail(refusal(operation, "status", `'${name}' is not a status this Kore.ai account is known to have`))
  }
  if (found.writeForbidden) {
    return Result.fail(refusal(operation, "status", `'${name}' is inactive at Kore.ai and cannot be used`))
  }
  return Result.succeed({ _id: found.vendorId })
}

export const priorityRef = (learned: Learned, level: Priority, operation: string): Outcome<{ _id: string }> => {
  const encoded = Schema.encodeResult(priorityCodecOf(learned).codec)(level)
  return Result.isSuccess(encoded)
    ? Result.succeed({ _id: encoded.success._id })
    : Result.fail(refusal(operation, "priority", `Kore.ai cannot hold priority '${level}' for this account`))
}

export const dueValue = (due: Due, operation: string): Outcome<number | null> => {
  const encoded = Schema.encodeResult(dueCodec.codec)(due)
  if (Result.isSuccess(encoded)) return Result.succeed(encoded.success)
  const rule = dueCodec.limitation(due) ?? "it is not an instant"
  return Result.fail(refusal(operation, "due", `Kore.ai cannot hold this due: ${rule}`))
}

/**
 * `currAssignee` and `queues` for a set of assignees: at most one agent (`{_id}`; `{}` unassigns) and the queues by
 * id, both sent whole so the write replaces the assignment. [N] The write shape is undocumented: `{_id}` is what
 * status and priority take.
 */
export const toAssignment = (
  assignees: ReadonlyArray<Assignee>,
  operation: string,
): Outcome<{ currAssignee: { _id: string } | Record<string, never>; queues: Array<string> }> => {
  const users = assignees.flatMap((a) => (a._tag === "User" ? [a.id] : []))
  if (users.length > 1) {
    return Result.fail(refusal(operation, "assignees", "a Kore.ai task has one assigned agent (currAssignee)"))
  }
  if (assignees.some((a) => a._tag === "Email")) {
    return Result.fail(refusal(operation, "assignees", "Kore.ai assigns agents by user id, not by e-mail"))
  }
  const [user] = users
  return Result.succeed({
    currAssignee: user === undefined ? {} : { _id: user },
    queues: assignees.flatMap((a) => (a._tag === "Queue" ? [a.id] : [])),
  })
}
