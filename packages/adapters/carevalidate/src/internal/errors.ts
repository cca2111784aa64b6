// How CareValidate says what went wrong: the business error text and the VALIDATION_ERROR path say more than the
// 400 (a "not found" escalation is a completed one, "Case not found!" is a 400), and the text is the SyncError's
// detail. The kit's HTTP core calls these; status classes, Retry-After, transport and decoding are the core's.
// https://docs.careglp.com/docs/Case/case-escalation-update (Responses)
import { vendorErrors } from "@taskbridge/adapter-kit/Errors"
import type { FailedAnswer } from "@taskbridge/adapter-kit/Http"
import { NotFound, type SyncErrorReason, Terminal, Unauthorized, Validation } from "@taskbridge/domain/Errors"

export const errors = vendorErrors("carevalidate")

const text = (body: unknown, key: string): string | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const value: unknown = Reflect.get(body, key)
  return typeof value === "string" ? value : undefined
}

/** The domain's name for the wire field a VALIDATION_ERROR path ends in ("escalations.0.followUpDueAt"). */
const fieldOf = (path: string): string => {
  const last = path.split(".").at(-1) ?? path
  if (last === "assignedToEmail") return "assignees"
  if (last === "followUpDueAt") return "due"
  if (last === "note") return "description"
  return last
}

const from400 = (body: unknown): SyncErrorReason | undefined => {
  if (text(body, "code") === "VALIDATION_ERROR") {
    const error = text(body, "error") ?? "validation error"
    const comma = error.indexOf(", ")
    return new Validation({ field: comma < 0 ? null : fieldOf(error.slice(0, comma)), detail: error })
  }
  const error = text(body, "error") ?? ""
  // Completed escalations drop out of the active list, so UPDATE answers "not found" for them. We only send ids we
  // found on that very case, and escalations are never deleted, so "not found" there means completed: terminal.
  if (error.startsWith("Escalation not found")) return new Terminal({ detail: `${error} (completed escalation)` })
  if (error.startsWith("Only REOPEN action is allowed")) return new Terminal({ detail: error })
  if (error.startsWith("No assignable user")) return new Validation({ field: "assignees", detail: error })
  if (error.startsWith("Case not found")) return new NotFound({ detail: error })
  return undefined
}

/** A non-2xx answer's meaning; 401 is a key or organization refusal ("Permission denied!"). */
export const fromEnvelope = (_operation: string, answer: FailedAnswer): SyncErrorReason | undefined => {
  if (answer.status === 400) return from400(answer.body)
  if (answer.status === 401 || answer.status === 403) {
    return new Unauthorized({ detail: `CareValidate refused the request: ${message(answer.body) ?? "no details"}` })
  }
  return undefined
}

/** CareValidate's error text (`error`, else `message`), never the rest of the body. */
export const message = (body: unknown): string | undefined => text(body, "error") ?? text(body, "message")
