// The vocabulary every authentication piece shares (ApiKeyAuth, OAuthTokens, SelfSignedJwtAuth): a check turns a
// request into a principal (the calling organization) or a failure the vendor words itself, and `requireAuth`
// wraps a vendor handler with one such check. Failure messages never contain the credential that was sent.
import type { Handler, SandboxRequest, SandboxResponse } from "./Http.ts"

/** Whoever a request acts for: an organization index, plus what the auth kind knows (client, app, claims). */
export interface Principal {
  readonly org: number
}

export type AuthFailureReason =
  /** No credential, or a header that must accompany it is absent. */
  | "missing"
  /** Not a well-formed token, or a required claim is absent. */
  | "malformed"
  /** Not a key, token, client or app this emulator knows (or its organization's credentials were revoked). */
  | "unknown"
  | "badSignature"
  | "unsupportedAlgorithm"
  | "expired"
  | "notYetValid"
  /** Valid credential without the scope the API needs (Kore.ai's "Case Management Configuration"). */
  | "missingScope"
  /** A header that must match the credential's organization names another one (Kore.ai's AccountId). */
  | "mismatch"

export interface AuthFailure {
  readonly reason: AuthFailureReason
  /** Safe to put in an error body. */
  readonly message: string
}

export type AuthResult<P extends Principal> =
  | { readonly ok: true; readonly principal: P }
  | { readonly ok: false; readonly failure: AuthFailure }

export interface Authenticator<P extends Principal> {
  readonly authenticate: (request: SandboxRequest) => AuthResult<P>
}

export const fail = (
  reason: AuthFailureReason,
  message: string,
): { readonly ok: false; readonly failure: AuthFailure } => ({
  ok: false,
  failure: { reason, message },
})

/** A header's value, trimmed [I: vendors' gateways trim]; undefined when absent or blank. Names are case-insensitive. */
export const headerValue = (request: SandboxRequest, name: string): string | undefined => {
  const raw = request.headers[name.toLowerCase()]
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim()
  return value === undefined || value === "" ? undefined : value
}

export interface AuthGuard<S, P extends Principal> {
  readonly authenticator: (state: S) => Authenticator<P>
  /** The vendor's answer to a failed check (its 401 body). */
  readonly reject: (failure: AuthFailure, request: SandboxRequest) => SandboxResponse
  /** Maps the vendor's own input errors a handler throws (bad query, bad body) to its answer; undefined rethrows. */
  readonly recover?: (error: unknown) => SandboxResponse | undefined
}

export type AuthedHandler<S, P> = (
  request: SandboxRequest,
  state: S,
  principal: P,
) => SandboxResponse | Promise<SandboxResponse>

/** `const authed = requireAuth({...})`, then `authed((request, state, principal) => …)` for every vendor route. */
export const requireAuth =
  <S, P extends Principal>(guard: AuthGuard<S, P>) =>
  (handler: AuthedHandler<S, P>): Handler<S> =>
  async (request, state) => {
    const result = guard.authenticator(state).authenticate(request)
    if (!result.ok) return guard.reject(result.failure, request)
    try {
      return await handler(request, state, result.principal)
    } catch (error) {
      const answer = guard.recover?.(error)
      if (answer === undefined) throw error
      return answer
    }
  }
