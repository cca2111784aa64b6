// Every way a Candid call can fail, mapped to one SyncError: the `{errorName, content}` envelope first (it says
// more than the status), then the HTTP status class, transport failures and undecodable answers.
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update (Errors)

import { parseRetryAfter, reasonForStatus } from "@taskbridge/adapter-kit/HttpStatus"
import {
  DeprecatedValue,
  InvalidResponse,
  NotFound,
  RateLimited,
  SyncError,
  type SyncErrorReason,
  Transient,
  Unauthorized,
  Validation,
} from "@taskbridge/domain/Errors"
import { Duration, Option, Schema } from "effect"
import { ErrorEnvelope } from "../Schema.ts"

const decodeEnvelope = Schema.decodeUnknownOption(ErrorEnvelope)

const fromEnvelope = (envelope: ErrorEnvelope, retryAfter: Duration.Duration | undefined): SyncErrorReason => {
  switch (envelope.errorName) {
    case "EntityNotFoundError":
      return new NotFound({ detail: `no task ${envelope.content.id}` })
    case "UnauthorizedError":
      // A task of another organization: our credentials may not touch it.
      return new Unauthorized({ detail: envelope.content.message ?? "the task belongs to another organization" })
    case "UnprocessableEntityError":
      return new Validation({ field: null, detail: envelope.content.message ?? "unprocessable request" })
    case "TaskUpdatedToDeprecatedStatusError":
      return new DeprecatedValue({ field: "status", value: envelope.content.deprecated_status })
    case "TooManyRequestsError":
      return new RateLimited({ retryAfter: retryAfter ?? Duration.seconds(1) })
  }
}

export interface FailedAnswer {
  readonly status: number
  readonly body: unknown
  readonly retryAfter: string | undefined
  readonly nowMillis: number
}

/** A non-2xx answer. 429 and 5xx stay retryable whatever the body says. */
export const fromAnswer = (operation: string, answer: FailedAnswer): SyncError => {
  const retryAfter = parseRetryAfter(answer.retryAfter, answer.nowMillis)
  const envelope = decodeEnvelope(answer.body)
  const reason =
    answer.status !== 429 && answer.status < 500 && Option.isSome(envelope)
      ? fromEnvelope(envelope.value, retryAfter)
      : reasonForStatus(answer.status, describe(answer.body), retryAfter)
  return new SyncError({ vendor: "candid", operation, reason })
}

/** The request never got an answer (refused, reset, timed out): worth another try. */
export const fromTransport = (operation: string, detail: string): SyncError =>
  new SyncError({ vendor: "candid", operation, reason: new Transient({ detail }) })

/** Candid answered 2xx with a body our wire schema does not accept: a contract change, not worth retrying. */
export const fromDecode = (operation: string, detail: string): SyncError =>
  new SyncError({ vendor: "candid", operation, reason: new InvalidResponse({ detail }) })

/** The token endpoint refused our client credentials; the message never repeats them. */
export const credentialsRejected = (status: number): SyncError =>
  new SyncError({
    vendor: "candid",
    operation: "token",
    reason: new Unauthorized({ detail: `Candid refused the client credentials (HTTP ${status})` }),
  })

const describe = (body: unknown): string => {
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
    return body.message
  }
  return typeof body === "string" && body.length > 0 ? body.slice(0, 200) : "no details"
}
