// CareValidate's three envelopes (vendor-docs §5.7): success `{status, success: true, message, data}`,
// business errors `{status, success: false, message?, error, data?}` and `{status, code: "VALIDATION_ERROR", error}`.
import { json, type SandboxResponse } from "../framework/Http.ts"

export const success = (message: string, data: unknown): SandboxResponse =>
  json(200, { status: 200, success: true, message, data })

/** Business error with `message: "Invalid request"`, as the assignee, case-not-found and 401 examples show. */
export const invalidRequest = (status: number, error: string, headers?: Record<string, string>): SandboxResponse =>
  json(status, { status, success: false, message: "Invalid request", error }, headers)

/** `path, message` in Zod style; the docs print only the first issue. */
export const validation = (path: string, message: string): SandboxResponse =>
  json(400, { status: 400, code: "VALIDATION_ERROR", error: `${path}, ${message}` })

export const caseNotFound = (): SandboxResponse => invalidRequest(400, "Case not found!")

export const permissionDenied = (): SandboxResponse => invalidRequest(401, "Permission denied!")

// [I] Missing or unknown cv-api-key: the docs show no body, so the Permission-denied envelope is reused with
// its own error text; clients should branch on the 401 status.
export const invalidApiKey = (): SandboxResponse => invalidRequest(401, "Invalid API key")

/** The documented not-found answer has no `message` key and lists the active escalations [D: update doc]. */
export const escalationNotFound = (id: string, active: ReadonlyArray<unknown>): SandboxResponse =>
  json(400, { status: 400, success: false, error: `Escalation not found: ${id}`, data: { escalations: active } })

export const noAssignableUser = (email: string): SandboxResponse =>
  invalidRequest(400, `No assignable user found with email ${email} for this organization`)
