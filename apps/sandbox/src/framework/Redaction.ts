// What the request log hides: credentials in headers (Authorization, API keys, self-signed JWTs, cookies) and
// secret-named body fields (a token request's client_secret, a webhook's secret), because the log is served over
// /_sandbox/requests and printed in failing tests, and secrets must never appear in logs.
import type { IncomingHttpHeaders } from "node:http"

const SECRET_HEADER = /^(authorization|proxy-authorization|auth|cookie|set-cookie)$|api-key|secret|token/i
const SECRET_FIELD = /secret|password|signature_key|^api_?key$|^(access|refresh|id)_token$/i
export const REDACTED = "[redacted]"

/** Keeps an Authorization scheme ("Bearer [redacted]") so a test can still see which kind of credential came. */
const hide = (value: string): string => {
  const scheme = /^(Bearer|Basic)\s+/i.exec(value)
  return scheme === null ? REDACTED : `${scheme[1]} ${REDACTED}`
}

export const redactHeaders = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!SECRET_HEADER.test(name) || value === undefined) return [name, value]
      return [name, Array.isArray(value) ? value.map(hide) : hide(value)]
    }),
  )

export const redactBody = (body: unknown): unknown => {
  if (Array.isArray(body)) return body.map(redactBody)
  if (typeof body !== "object" || body === null) return body
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      SECRET_FIELD.test(key) && typeof value === "string" ? REDACTED : redactBody(value),
    ]),
  )
}
