// Candid's error envelope `{"errorName": ..., "content": {...}}` (vendor-docs §1.8) for every error the
// emulator returns, so adapters can branch on errorName exactly as they must against the real API.
import { json, type SandboxResponse } from "../framework/Http.ts"

export const candidError = (status: number, errorName: string, content: unknown, headers?: Record<string, string>) =>
  json(status, { errorName, content }, headers)

export const entityNotFound = (id: string): SandboxResponse => candidError(404, "EntityNotFoundError", { id })

/** 403 for a task of another organization (declared on get and update). */
export const forbidden = (message: string): SandboxResponse => candidError(403, "UnauthorizedError", { message })

/** [I] 401 is not declared on task endpoints; the token endpoint's UnauthorizedError name is reused. */
export const unauthenticated = (message: string): SandboxResponse => candidError(401, "UnauthorizedError", { message })

export const unprocessable = (message: string): SandboxResponse =>
  candidError(422, "UnprocessableEntityError", { message })

export const deprecatedStatus = (status: string): SandboxResponse =>
  candidError(422, "TaskUpdatedToDeprecatedStatusError", { deprecated_status: status })

/** TooManyRequestsError `{message}` is documented for token minting [D]; [I] reused for the per-IP limit. */
export const tooManyRequests = (message: string, retryAfterSeconds: number): SandboxResponse =>
  candidError(429, "TooManyRequestsError", { message }, { "retry-after": String(Math.max(1, retryAfterSeconds)) })
