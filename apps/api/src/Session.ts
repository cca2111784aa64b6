// The console's browser session over HTTP: `POST /session` (an API token → a session cookie), `GET /session` (who
// is signed in), `DELETE /session` (sign out) and `POST /session/link` (a one-time sign-in code → a session cookie),
// plus the cookie and CSRF rules every cookie-authenticated request obeys. The cookie holds a random session id whose
// hash the database keeps; the token itself never reaches the browser's cookie jar.
import type { IncomingMessage, ServerResponse } from "node:http"
import { type SessionInfo, SessionRepository } from "@taskbridge/db/SessionRepository"
import { DateTime, Redacted, Schema } from "effect"
import type { ApiContext } from "./Trpc.ts"
import { forgetVerified, identify, identifySession } from "./Trpc.ts"

type Runtime = ApiContext["runtime"]

/** A session lasts 12 hours from sign-in (not sliding): a stolen cookie is worth at most that. */
export const sessionSeconds = 12 * 60 * 60
/** A printed sign-in link works once, for 15 minutes. */
export const signInCodeSeconds = 15 * 60

const cookieName = "taskbridge_session"
// Over https the `__Host-` prefix makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
const secureCookieName = `__Host-${cookieName}`

/** The header a cookie-authenticated mutation must carry (a cross-site form or fetch cannot set it without CORS). */
export const csrfHeader = "x-taskbridge-csrf"

/** Whether the request reached us over https (directly, or as a TLS-terminating proxy says). */
const isHttps = (request: IncomingMessage) =>
  ("encrypted" in request.socket && request.socket.encrypted === true) ||
  request.headers["x-forwarded-proto"] === "https"

/** The session id the request's cookie carries, if any. */
export const sessionCookie = (request: IncomingMessage): string | undefined => {
  const header = request.headers.cookie
  if (header === undefined) return undefined
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=")
    if (name === cookieName || name === secureCookieName) {
      const value = rest.join("=")
      if (/^[A-Za-z0-9_-]{16,128}$/.test(value)) return value
    }
  }
  return undefined
}

const setCookie = (request: IncomingMessage, value: string, maxAge: number) => {
  const secure = isHttps(request)
  const name = secure ? secureCookieName : cookieName
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`
}

/**
 * Whether a cookie-authenticated request may change something: it must carry `x-taskbridge-csrf: 1` (a custom header
 * forces a CORS preflight, which this server never grants), and a browser's `Origin` / `Sec-Fetch-Site` must say it
 * came from this very origin. Null when it may; otherwise why not.
 */
export const csrfRefusal = (request: IncomingMessage): string | null => {
  if (request.headers[csrfHeader] !== "1")
    return `${csrfHeader}: a signed-in browser's change must send ${csrfHeader}: 1`
  const site = request.headers["sec-fetch-site"]
  if (site !== undefined && site !== "same-origin" && site !== "none") return "origin: cross-site requests are refused"
  const origin = request.headers.origin
  if (origin !== undefined) {
    const own = `${isHttps(request) ? "https" : "http"}://${request.headers.host ?? ""}`
    if (origin !== own) return `origin: ${origin} is not this console's origin`
  }
  return null
}

const SignInBody = Schema.Struct({ token: Schema.String.check(Schema.isMaxLength(200)) })
const CodeBody = Schema.Struct({ code: Schema.String.check(Schema.isMaxLength(200)) })

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void

/** What `GET /session` and a sign-in answer: who the browser is signed in as, until when. */
const whoAmI = (info: SessionInfo) => ({
  organization: { id: info.identity.organizationId, name: info.organizationName },
  role: info.identity.role,
  tokenName: info.identity.name,
  expiresAt: DateTime.formatIso(info.expiresAt),
})

const parse = <A>(schema: Schema.Decoder<A>, body: Buffer): A | null => {
  try {
    const decoded = Schema.decodeUnknownOption(schema)(JSON.parse(body.toString("utf8")))
    return decoded._tag === "Some" ? decoded.value : null
  } catch {
    return null
  }
}

/** Answers a request under `/session`; `body` is read by the caller (null when it was over the cap). */
export const handleSession = async (
  runtime: Runtime,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  body: Buffer | null,
): Promise<void> => {
  const reply: Reply = (status, payload, headers = {}) => {
    response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers })
    response.end(JSON.stringify(payload))
  }
  const method = request.method ?? "GET"
  if (path === "/session" && method === "GET") {
    const id = sessionCookie(request)
    const info = id === undefined ? null : await identifySession(runtime, id)
    if (info === null) return reply(401, { error: "not signed in" })
    return reply(200, whoAmI(info))
  }
  // Signing in or out changes the browser's state: the same CSRF rule as any cookie-authenticated change (a
  // cross-site page must not sign a browser in as someone else, or out).
  const refused = csrfRefusal(request)
  if (refused !== null) return reply(403, { error: refused })
  if (path === "/session" && method === "DELETE") {
    const id = sessionCookie(request)
    if (id !== undefined) {
      await runtime.runPromise(SessionRepository.use((repo) => repo.end(Redacted.make(id))))
      forgetVerified()
    }
    return reply(200, { signedOut: true }, { "set-cookie": setCookie(request, "", 0) })
  }
  if (method !== "POST") return reply(405, { error: `${method} ${path} is not supported` })
  if (body === null) return reply(413, { error: "body too large" })
  if (path === "/session") {
    const parsed = parse(SignInBody, body)
    if (parsed === null) return reply(400, { error: 'token: send JSON {"token": "<API token>"}' })
    const identity = await identify(runtime, `Bearer ${parsed.token}`)
    if (identity === null) return reply(401, { error: "token: not a valid API token (unknown or revoked)" })
    const opened = await runtime.runPromise(
      SessionRepository.use((repo) => repo.open(identity.tokenId, sessionSeconds)),
    )
    if (opened === null) return reply(401, { error: "token: not a valid API token (unknown or revoked)" })
    return reply(200, whoAmI(opened.info), {
      "set-cookie": setCookie(request, Redacted.value(opened.id), sessionSeconds),
    })
  }
  if (path === "/session/link") {
    const parsed = parse(CodeBody, body)
    if (parsed === null) return reply(400, { error: 'code: send JSON {"code": "<code from the sign-in link>"}' })
    const outcome = await runtime.runPromise(
      SessionRepository.use((repo) => repo.redeemCode(Redacted.make(parsed.code), sessionSeconds)),
    )
    switch (outcome._tag) {
      case "Redeemed":
        return reply(200, whoAmI(outcome.session.info), {
          "set-cookie": setCookie(request, Redacted.value(outcome.session.id), sessionSeconds),
        })
      case "Spent":
        return reply(410, {
          error: "this sign-in link was already used; it works once. Sign in with an API token instead.",
        })
      case "Expired":
        return reply(410, { error: "this sign-in link has expired; restart `pnpm start` for a new one." })
      case "Unknown":
        return reply(404, { error: "this sign-in link is not one this server issued." })
    }
  }
  return reply(404, { error: `no route for ${method} ${path}` })
}
