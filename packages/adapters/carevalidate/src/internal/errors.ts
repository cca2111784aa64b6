// Every way a CareValidate call can fail, mapped to one SyncError: the business error text and VALIDATION_ERROR
// path first (they say more than the 400), then the HTTP status class, transport failures and undecodable answers.
// https://docs.careglp.com/docs/Case/case-escalation-update (Responses)

import { parseRetryAfter, reasonForStatus } from "@taskbridge/adapter-kit/HttpStatus"
import {
  InvalidResponse,
  NotFound,
  SyncError,
  type SyncErrorReason,
  Terminal,
  Transient,
  Unauthorized,
  Validation,
} from "@taskbridge/domain/Errors"

export interface FailedAnswer {
  readonly status: number
  readonly body: unknown
  readonly retryAfter: string | undefined
  readonly nowMillis: number
}

const text = (body: unknown, key: string): string | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const value: unknown = Reflect.get(body, key)
  return typeof value === "string" ? value : undefined
}

/** The domain's name for the wire field a VALIDATION_ERROR path ends in ("escalations.0.followUpDueAt"). */
const fieldOf = (path: string): string => {
  const last = path.split(".").at(-1) ?? path
  if (last === "assignedToEmail") return "assignee"
  if (last === "followUpDueAt") return "followUpDue"
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
  if (error.startsWith("No assignable user")) return new Validation({ field: "assignee", detail: error })
  if (error.startsWith("Case not found")) return new NotFound({ detail: error })
  return undefined
}

/** A non-2xx answer. 429 and 5xx stay retryable whatever the body says; 401 is a key or organization refusal. */
export const fromAnswer = (operation: string, answer: FailedAnswer): SyncError => {
  const retryAfter = parseRetryAfter(answer.retryAfter, answer.nowMillis)
  const detail = text(answer.body, "error") ?? text(answer.body, "message") ?? "no details"
  const reason =
    (answer.status === 400 ? from400(answer.body) : undefined) ??
    (answer.status === 401 || answer.status === 403
      ? new Unauthorized({ detail: `CareValidate refused the request: ${detail}` })
      : reasonForStatus(answer.status, detail, retryAfter))
  return new SyncError({ vendor: "carevalidate", operation, reason })
}

/** The request never got an answer (refused, reset, timed out): worth another try. */
export const fromTransport = (operation: string, detail: string): SyncError =>
  new SyncError({ vendor: "carevalidate", operation, reason: new Transient({ detail }) })

/** CareValidate answered 2xx with a body our wire schema does not accept: a contract change, not worth retrying. */
export const fromDecode = (operation: string, detail: string): SyncError =>
  new SyncError({ vendor: "carevalidate", operation, reason: new InvalidResponse({ detail }) })

/** A record the adapter cannot find (no case holds the escalation). */
export const notFound = (operation: string, detail: string): SyncError =>
  new SyncError({ vendor: "carevalidate", operation, reason: new NotFound({ detail }) })

/** A request refused before any HTTP call, naming the field. */
export const refusal = (operation: string, field: string | null, detail: string): SyncError =>
  new SyncError({ vendor: "carevalidate", operation, reason: new Validation({ field, detail }) })
