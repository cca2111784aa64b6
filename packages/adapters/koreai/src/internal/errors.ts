// How Kore.ai says what went wrong. Its error envelope is undocumented [N], so the message is read from the usual
// places (`message`, `errors[0].msg`, `error`); the one documented text is the rate limit's, which is RateLimited
// whatever status it comes with (the docs do not name one), so a limit is never mistaken for a refused body. The
// kit's HTTP core calls these; 429, the manifest's retryable statuses, transport and decoding are the core's.
// https://docs.kore.ai/ai-for-service/apis/automation/rate-limit-case-management
import { defaultRetryAfter, vendorErrors } from "@taskbridge/adapter-kit/Errors"
import type { FailedAnswer } from "@taskbridge/adapter-kit/Http"
import { NotFound, RateLimited, type SyncErrorReason, Unauthorized, Validation } from "@taskbridge/domain/Errors"

export const errors = vendorErrors("koreai")

/** [D] "You've exceeded the per-minute rate limit. Please wait for sometime before retrying." */
export const rateLimitText = /exceeded the per-minute rate limit/i

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)

/** Kore.ai's words in an error body, never the rest of it. */
export const message = (body: unknown): string | undefined => {
  if (typeof body === "string") return text(body)
  if (typeof body !== "object" || body === null) return undefined
  const errorsList: unknown = Reflect.get(body, "errors")
  const first: unknown = Array.isArray(errorsList) ? errorsList[0] : undefined
  const fromList = typeof first === "object" && first !== null ? text(Reflect.get(first, "msg")) : undefined
  return text(Reflect.get(body, "message")) ?? fromList ?? text(Reflect.get(body, "error"))
}

/** The domain's name for the field a refusal is about (an unknown or inactive status or priority, a bad due). */
const fieldOf = (said: string): string | null => {
  if (/status/i.test(said)) return "status"
  if (/priority/i.test(said)) return "priority"
  if (/due/i.test(said)) return "due"
  if (/tags?\b/i.test(said)) return "tags"
  if (/\bname\b|title/i.test(said)) return "title"
  if (/desc/i.test(said)) return "description"
  return null
}

export const fromEnvelope = (_operation: string, answer: FailedAnswer): SyncErrorReason | undefined => {
  const said = message(answer.body) ?? ""
  if (rateLimitText.test(said)) return new RateLimited({ retryAfter: answer.retryAfter ?? defaultRetryAfter })
  if (answer.status === 401 || answer.status === 403) {
    return new Unauthorized({ detail: `Kore.ai refused the JWT app: ${said || "no details"}` })
  }
  if (answer.status === 404) return new NotFound({ detail: said || "no such task" })
  if (answer.status === 400 || answer.status === 422) {
    return new Validation({ field: fieldOf(said), detail: said || "Kore.ai refused the body" })
  }
  return undefined
}
