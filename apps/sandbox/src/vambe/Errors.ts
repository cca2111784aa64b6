// Vambe's error answers. The docs give the status codes (400 bad id or body, 401 bad key, 404 task not found "or
// invalid references", 500) but no body [N: vendor-docs §2.6]; [I] the emulator answers in the NestJS shape
// `{statusCode, message, error}`, which matches the wording the docs quote, so clients branch on the status.
import { json, type SandboxResponse } from "../framework/Http.ts"

const NAMES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
}

export const error = (status: number, message: string, headers?: Record<string, string>): SandboxResponse =>
  json(status, { statusCode: status, message, error: NAMES[status] ?? "Error" }, headers)

export const badRequest = (message: string): SandboxResponse => error(400, message)

export const unauthorized = (): SandboxResponse => error(401, "Invalid or missing API key")

/** PUT: the task is missing, another organization's, or a status / responsible it names does not exist [D]. */
export const notFoundOrInvalidReferences = (detail: string): SandboxResponse =>
  error(404, `Task not found or invalid references: ${detail}`)

/** DELETE on a missing or already deleted task [D: delete page]. */
export const notFoundOrDeleted = (): SandboxResponse => error(404, "Task not found or already deleted")

/** A body or query the vendor refuses; thrown by parsers, answered 400 (or 404 for a bad reference). */
export class VambeInputError extends Error {
  readonly status: 400 | 404

  constructor(message: string, status: 400 | 404 = 400) {
    super(message)
    this.status = status
  }
}
