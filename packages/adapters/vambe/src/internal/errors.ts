// How Vambe says what went wrong: 404 covers a missing task *and* "invalid references" (an unknown status name or
// team member), which are not the same failure — a bad reference is a Validation the operator can act on; a 400 is
// a body the vendor refused. The kit's HTTP core calls these; status classes, Retry-After, transport and decoding
// are the core's. The error body is undocumented; the message is read from `message` (a string or NestJS's list).
// https://docs.vambe.me/reference/tasks/update-task (Error Responses)
import { vendorErrors } from "@taskbridge/adapter-kit/Errors"
import type { FailedAnswer } from "@taskbridge/adapter-kit/Http"
import { NotFound, type SyncErrorReason, Unauthorized, Validation } from "@taskbridge/domain/Errors"

export const errors = vendorErrors("vambe")

/** The wire field a refusal names, in the domain's words. */
const fieldOf = (text: string): string | null => {
  if (/newStatus|status/i.test(text)) return "status"
  if (/responsible|team member/i.test(text)) return "assignees"
  if (/due|timezone/i.test(text)) return "due"
  if (/priority/i.test(text)) return "priority"
  if (/title/i.test(text)) return "title"
  if (/description/i.test(text)) return "description"
  return null
}

export const fromEnvelope = (_operation: string, answer: FailedAnswer): SyncErrorReason | undefined => {
  const said = message(answer.body) ?? ""
  if (answer.status === 400) return new Validation({ field: fieldOf(said), detail: said || "Vambe refused the body" })
  if (answer.status === 404) {
    // "Task not found or invalid references: <what>": a reference names the field; a missing task is NotFound.
    const reference = /invalid references: (?!no such task)/i.test(said)
    return reference ? new Validation({ field: fieldOf(said), detail: said }) : new NotFound({ detail: said })
  }
  if (answer.status === 401 || answer.status === 403) {
    return new Unauthorized({ detail: `Vambe refused the API key: ${said || "no details"}` })
  }
  return undefined
}

/** Vambe's error text (`message`, a string or a list of strings), never the rest of the body. */
export const message = (body: unknown): string | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const value: unknown = Reflect.get(body, "message")
  if (typeof value === "string") return value
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("; ")
  return undefined
}
