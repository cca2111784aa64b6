// How Candid says what went wrong: the `{errorName, content}` envelope, which says more than the status (a 422 may be
// a deprecated status to learn), and the message text it carries for the SyncError's detail. The kit's HTTP core
// calls these; everything else (status classes, Retry-After, transport, decoding) is the core's.
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update (Errors)
import { vendorErrors } from "@taskbridge/adapter-kit/Errors"
import type { FailedAnswer } from "@taskbridge/adapter-kit/Http"
import {
  DeprecatedValue,
  NotFound,
  RateLimited,
  type SyncError,
  type SyncErrorReason,
  Unauthorized,
  Validation,
} from "@taskbridge/domain/Errors"
import { Duration, Option, Schema } from "effect"
import { ErrorEnvelope } from "../Schema.ts"

export const errors = vendorErrors("candid")

const decodeEnvelope = Schema.decodeUnknownOption(ErrorEnvelope)

/** The envelope's meaning, or undefined when the body is not one (the core then maps the status). */
export const fromEnvelope = (_operation: string, answer: FailedAnswer): SyncErrorReason | undefined => {
  const envelope = decodeEnvelope(answer.body)
  if (Option.isNone(envelope)) return undefined
  switch (envelope.value.errorName) {
    case "EntityNotFoundError":
      return new NotFound({ detail: `no task ${envelope.value.content.id}` })
    case "UnauthorizedError":
      // A task of another organization: our credentials may not touch it.
      return new Unauthorized({ detail: envelope.value.content.message ?? "the task belongs to another organization" })
    case "UnprocessableEntityError":
      return new Validation({ field: null, detail: envelope.value.content.message ?? "unprocessable request" })
    case "TaskUpdatedToDeprecatedStatusError":
      return new DeprecatedValue({ field: "status", value: envelope.value.content.deprecated_status })
    case "TooManyRequestsError":
      return new RateLimited({ retryAfter: answer.retryAfter ?? Duration.seconds(1) })
  }
}

/** Candid's error text: the envelope's `errorName` (and message where it has one), never the rest of the body. */
export const message = (body: unknown): string | undefined => {
  const envelope = decodeEnvelope(body)
  if (Option.isSome(envelope)) {
    const content: unknown = envelope.value.content
    const said = typeof content === "object" && content !== null ? Reflect.get(content, "message") : undefined
    return typeof said === "string" ? `${envelope.value.errorName}: ${said}` : envelope.value.errorName
  }
  return undefined
}

/** The token endpoint refused our client credentials; the message never repeats them. */
export const credentialsRejected = (status: number): SyncError =>
  errors.unauthorized("token", `Candid refused the client credentials (HTTP ${status})`)
