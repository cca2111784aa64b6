// How Spry says what went wrong: the `{code, message, data}` envelope's code says more than the status — 4090 (409) is a
// closed request (a terminal state the engine follows), 4000 (400) active invites blocking a narrower window, codes
// above 2000 with a 400 a field Spry refused (its message starts with the wire field). The kit's HTTP core calls these;
// status classes, Retry-After, transport and decoding are the core's. Details carry Spry's message only — never the
// request's content, whose patient id is patient data.
// https://api-docs.spryhealth.care/api/overview/ and /api/waitlist/update/ (Error Response)
import { vendorErrors } from "@taskbridge/adapter-kit/Errors"
import type { FailedAnswer } from "@taskbridge/adapter-kit/Http"
import {
  Conflict,
  NotFound,
  type SyncError,
  type SyncErrorReason,
  Terminal,
  Unauthorized,
  Validation,
} from "@taskbridge/domain/Errors"

export const errors = vendorErrors("spry")

/** The code Spry answers a PATCH of a FULFILLED, CANCELLED or EXPIRED request with (HTTP 409). */
export const CLOSED = 4090
/** "active invites exist for this request" (HTTP 400): a narrower window while invites are PENDING, SENT or READ. */
export const ACTIVE_INVITES = 4000

const field = (body: unknown, key: string): unknown =>
  typeof body === "object" && body !== null ? Reflect.get(body, key) : undefined

/** Spry's envelope code, when the body is one. */
export const codeOf = (body: unknown): number | undefined => {
  const code = field(body, "code")
  return typeof code === "number" ? code : undefined
}

/** Spry's words: the envelope's `message`, or an OAuth error's description at the token endpoint. */
export const message = (body: unknown): string | undefined => {
  const said = field(body, "message") ?? field(body, "error_description") ?? field(body, "error")
  return typeof said === "string" ? said : undefined
}

/** The domain's name for the wire field a Spry validation message starts with ("priority: must be …"). */
const domainField = (text: string): string | null => {
  const wire = /^([a-z_]+):/.exec(text)?.[1]
  if (wire === undefined) return text === "Invalid appointment type" ? "extension.appointmentType" : null
  if (wire === "notes") return "description"
  if (wire.startsWith("date_range")) return "due"
  if (wire === "priority" || wire === "status") return wire
  if (wire === "patient_id") return "subjects.patient"
  const extension: Readonly<Record<string, string>> = {
    preferred_providers: "preferredProviders",
    preferred_days: "preferredDays",
    preferred_time_slots: "preferredTimeSlots",
    appointment_category_id: "appointmentCategoryId",
    appointment_type: "appointmentType",
    payment_type: "paymentType",
    clinic_id: "clinicId",
  }
  return extension[wire] === undefined ? wire : `extension.${extension[wire]}`
}

export const activeInvitesDetail = "active invites exist for this request"

/** The meaning of an error envelope (from any status, a 2xx included, since the code is what Spry stands by). */
export const reasonOf = (status: number, body: unknown): SyncErrorReason | undefined => {
  const code = codeOf(body)
  const said = message(body) ?? `code ${code ?? "none"}`
  if (code === CLOSED) {
    return new Terminal({ detail: `${said}: Spry refuses every change to a FULFILLED, CANCELLED or EXPIRED request` })
  }
  if (code === ACTIVE_INVITES) {
    return new Validation({
      field: "due",
      detail: `${activeInvitesDetail}: rescind them at Spry before narrowing the date range`,
    })
  }
  if (status === 401 || status === 403 || code === 4010 || code === 4030) {
    return new Unauthorized({ detail: `Spry refused the request: ${said}` })
  }
  if (status === 404 || code === 4040) return new NotFound({ detail: said })
  if (status === 409) return new Conflict({ detail: said })
  if (code !== undefined && code > 2000 && code < 3000)
    return new Validation({ field: domainField(said), detail: said })
  if (status === 400) return new Validation({ field: domainField(said), detail: said })
  return undefined
}

export const fromEnvelope = (_operation: string, answer: FailedAnswer): SyncErrorReason | undefined =>
  reasonOf(answer.status, answer.body)

/** The token endpoint refused our client credentials; the message never repeats them. */
export const credentialsRejected = (status: number): SyncError =>
  errors.unauthorized("token", `Spry refused the client credentials (HTTP ${status})`)
