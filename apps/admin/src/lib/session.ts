// The browser's session with the API: an httpOnly, SameSite cookie the API sets on `POST /session` (a pasted token)
// or `POST /session/link` (the one-time sign-in code), read back by `GET /session`. The console never sees or keeps
// the token after sign-in.

export type Role = "viewer" | "operator" | "admin"

export interface Session {
  readonly organizationId: string
  readonly name: string
  readonly role: Role
}

/**
 * The header every cookie-authenticated change carries (apps/api/README.md): a custom header forces a CORS preflight,
 * which the API never grants, so a cross-site page cannot send it.
 */
export const csrfHeader = "x-taskbridge-csrf"
export const csrfHeaders = { [csrfHeader]: "1" } as const

interface SessionAnswer {
  readonly organization?: { readonly id: string; readonly name: string }
  readonly role?: Role
  readonly tokenName?: string
  readonly error?: string
}

const remember = (answer: SessionAnswer): Session => ({
  organizationId: answer.organization?.id ?? "",
  name: answer.organization?.name ?? answer.tokenName ?? "",
  role: answer.role ?? "viewer",
})

const call = async (method: string, path: string, body?: unknown): Promise<SessionAnswer & { ok: boolean }> => {
  const response = await fetch(path, {
    method,
    credentials: "include",
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...csrfHeaders,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  let parsed: SessionAnswer = {}
  try {
    parsed = text === "" ? {} : (JSON.parse(text) as SessionAnswer)
  } catch {
    parsed = { error: text }
  }
  return { ...parsed, ok: response.ok }
}

/** The signed-in session, or null when the cookie is missing, expired or revoked. */
export const currentSession = async (): Promise<Session | null> => {
  const answer = await call("GET", "/session")
  return answer.ok ? remember(answer) : null
}

export class SignInRefused extends Error {}

const signedIn = (answer: SessionAnswer & { ok: boolean }, fallback: string) => {
  if (!answer.ok) throw new SignInRefused(answer.error ?? fallback)
  return remember(answer)
}

/** Trades a pasted API token for the session cookie; the token is not kept anywhere in the page. */
export const signInWithToken = async (token: string) =>
  signedIn(await call("POST", "/session", { token }), "That token was not accepted. Check it and paste it again.")

/** Spends a one-time sign-in code (from the link `pnpm start` prints). */
export const signInWithCode = async (code: string) =>
  signedIn(
    await call("POST", "/session/link", { code }),
    "This sign-in link was already used or has expired. Paste a token instead.",
  )

export const signOut = async () => {
  await call("DELETE", "/session")
}
