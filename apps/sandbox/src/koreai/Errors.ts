// Kore.ai's error answers: [I] the platform APIs' `{errors: [{msg, code}]}` (case management documents no envelope
// [N: vendor-docs §3.7]), and the rate limit's documented text [D: rate-limit-case-management].
import { json, type SandboxResponse } from "../framework/Http.ts"

export const error = (status: number, msg: string, headers?: Record<string, string>): SandboxResponse =>
  json(status, { errors: [{ msg, code: status }] }, headers)

export const badRequest = (msg: string): SandboxResponse => error(400, msg)

/** [D] "You've exceeded the per-minute rate limit. Please wait for sometime before retrying." */
export const RATE_LIMIT_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying."

/** [I] 429 (the docs give only the text) with a Retry-After from the rolling window. */
export const rateLimited = (retryAfterSeconds: number): SandboxResponse =>
  error(429, RATE_LIMIT_MESSAGE, { "retry-after": String(Math.max(1, retryAfterSeconds)) })

/** A body the vendor refuses; thrown by the parsers, answered 400. */
export class KoreaiInputError extends Error {}
