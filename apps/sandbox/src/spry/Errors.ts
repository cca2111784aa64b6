// Spry's `{code, message, data}` envelope (vendor-docs §4.6): 2000 is success and "error codes greater than 2000
// indicate an error". Documented: 2999 "Invalid appointment type", 4000 (400) "active invites exist for this request",
// 4090 (409) "waitlist request is closed". [I] The rest are ours: 2001–2013 field validation (400, the message starts
// with the field), 4001 malformed body, 4010 (401), 4030 (403), 4040 (404), 4091 (409, DELETE with active invites),
// 4290 (429), 5000 (5xx). Messages never carry a patient's id or any other record content.
import { json, type SandboxResponse } from "../framework/Http.ts"

export const success = (data: unknown, status = 200): SandboxResponse =>
  json(status, { code: 2000, message: "Success", data })

export const failure = (status: number, code: number, message: string, headers?: Record<string, string>) =>
  json(status, { code, message, data: null }, headers)

/** Field validation codes [I], one per kind of rule so a client can branch without parsing the text. */
export const CODES = {
  required: 2001,
  date: 2002,
  dateOrder: 2003,
  pastDate: 2004,
  timeSlot: 2005,
  day: 2006,
  paymentType: 2007,
  priority: 2008,
  status: 2009,
  category: 2010,
  provider: 2011,
  patient: 2012,
  query: 2013,
  unknownField: 2014,
  appointmentType: 2999,
} as const

/** A body or query value Spry refuses; Routes.ts answers 400 with its code. */
export class Invalid extends Error {
  readonly code: number
  constructor(code: number, message: string) {
    super(message)
    this.code = code
  }
}

export const invalid = (error: Invalid): SandboxResponse => failure(400, error.code, error.message)

export const activeInvitesExist = (): SandboxResponse => failure(400, 4000, "active invites exist for this request")

export const closed = (): SandboxResponse => failure(409, 4090, "waitlist request is closed")

export const deleteBlocked = (): SandboxResponse =>
  failure(409, 4091, "waitlist request has active invites; cancel it instead or let the invites expire")

export const unauthenticated = (message: string): SandboxResponse => failure(401, 4010, message)

export const forbidden = (message: string): SandboxResponse => failure(403, 4030, message)

export const notFound = (what = "waitlist request"): SandboxResponse => failure(404, 4040, `${what} not found`)

/** The token endpoint answers in OAuth 2.0's own shape (RFC 6749 §5.2) [I: Spry shows only the success body]. */
export const oauthError = (status: number, error: string, description: string): SandboxResponse =>
  json(status, { error, error_description: description })
