// OAuth client credentials as emulators issue them (Candid's JSON token endpoint, Spry's form-encoded one): a
// token request body becomes a JWT-shaped bearer token that expires by the controllable clock, and
// `Authorization: Bearer` is checked against the issued tokens. Tests expire or revoke tokens (TokenControl.ts).
import { type Authenticator, type AuthResult, fail, type Principal } from "./Auth.ts"
import type { Clock } from "./Clock.ts"
import { isRecord, type SandboxRequest } from "./Http.ts"
import { type Claims, signJwt } from "./Jwt.ts"
import type { OrganizationBase, Organizations } from "./Organizations.ts"
import { type RateLimitConfig, RateLimiter } from "./RateLimiter.ts"
import { constantTimeEqual } from "./Secrets.ts"

export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: string
  /** The organization the client acts for. */
  readonly org: number
  /** Scopes it may be granted; a request naming none gets all. Undefined: the vendor has no scopes. */
  readonly scopes?: ReadonlyArray<string>
}

export interface TokenSettings<C extends OAuthClient> {
  readonly clients: ReadonlyArray<C>
  readonly organizations: Organizations<OrganizationBase>
  readonly clock: Clock
  readonly ttlSeconds: number
  /** Signs the tokens; derive it from the seed so two seeds never accept each other's tokens. */
  readonly signingSecret: string
  /** Tokens one client may mint per window (Candid answers 429 past it); undefined means no limit. */
  readonly mintLimit?: RateLimitConfig | undefined
  /** The `grant_type` a request must name (Spry: client_credentials); undefined: not checked (Candid). */
  readonly grantType?: string | undefined
  /** The vendor's own claims (issuer, audience, organization ids, roles); iat, exp and jti are added. */
  readonly claims?: ((client: C) => Claims) | undefined
}

export interface Issued<C extends OAuthClient> {
  readonly accessToken: string
  readonly tokenType: "Bearer"
  readonly expiresIn: number
  /** Granted scopes, space-separated; undefined when the client has no scopes. */
  readonly scope: string | undefined
  readonly client: C
}

export type MintFailureReason =
  | "invalid_request"
  | "unsupported_grant_type"
  | "invalid_client"
  | "invalid_scope"
  | "rate_limited"

export type MintResult<C extends OAuthClient> =
  | { readonly ok: true; readonly issued: Issued<C> }
  | { readonly ok: false; readonly reason: MintFailureReason; readonly message: string; readonly retryAfterMs?: number }

export interface TokenPrincipal<C extends OAuthClient> extends Principal {
  readonly client: C
  readonly scope: string | undefined
}

interface Entry<C extends OAuthClient> {
  readonly client: C
  readonly scope: string | undefined
  expiresAt: number
}

const text = (body: unknown, key: string): string | undefined => {
  const value = isRecord(body) ? body[key] : undefined
  return typeof value === "string" ? value : undefined
}

export class OAuthTokens<C extends OAuthClient> implements Authenticator<TokenPrincipal<C>> {
  readonly #settings: TokenSettings<C>
  readonly #byId = new Map<string, C>()
  readonly #tokens = new Map<string, Entry<C>>()
  readonly #mintLimiter: RateLimiter | undefined
  #minted = 0

  constructor(settings: TokenSettings<C>) {
    this.#settings = settings
    for (const client of settings.clients) this.#byId.set(client.clientId, client)
    this.#mintLimiter = settings.mintLimit === undefined ? undefined : new RateLimiter(settings.mintLimit)
  }

  /** Tokens issued since the state was created: lets a test assert that a client reuses its token. */
  get issued(): number {
    return this.#minted
  }

  /** A token request body (JSON or form, already parsed): checks in RFC 6749 order, then mints. */
  mint(body: unknown): MintResult<C> {
    const { grantType, clock, organizations } = this.#settings
    const clientId = text(body, "client_id")
    const clientSecret = text(body, "client_secret")
    if (clientId === undefined || clientSecret === undefined) {
      return { ok: false, reason: "invalid_request", message: "client_id and client_secret are required" }
    }
    if (grantType !== undefined && text(body, "grant_type") !== grantType) {
      return { ok: false, reason: "unsupported_grant_type", message: `grant_type must be ${grantType}` }
    }
    const client = this.#byId.get(clientId)
    if (
      client === undefined ||
      !constantTimeEqual(client.clientSecret, clientSecret) ||
      organizations.isRevoked(client.org)
    ) {
      return { ok: false, reason: "invalid_client", message: "Invalid client credentials" }
    }
    const scope = this.#grantedScope(client, text(body, "scope"))
    if (scope === null) return { ok: false, reason: "invalid_scope", message: "Requested scope is not allowed" }
    const now = clock.now()
    const verdict = this.#mintLimiter?.take(clientId, now)
    if (verdict !== undefined && !verdict.ok) {
      const message = "Too many token requests for this client; reuse the access token until it expires"
      return { ok: false, reason: "rate_limited", message, retryAfterMs: verdict.retryAfterMs }
    }
    return { ok: true, issued: this.#issue(client, scope, now) }
  }

  authenticate(request: SandboxRequest): AuthResult<TokenPrincipal<C>> {
    return this.verify(request.headers.authorization)
  }

  /** Checks an `Authorization` header value: `Bearer <token>`, issued here, not expired, organization not revoked. */
  verify(authorization: string | undefined): AuthResult<TokenPrincipal<C>> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")
    if (match?.[1] === undefined) return fail("missing", "Missing bearer token")
    const entry = this.#tokens.get(match[1])
    if (entry === undefined || this.#settings.organizations.isRevoked(entry.client.org)) {
      return fail("unknown", "Invalid token")
    }
    if (this.#settings.clock.now() >= entry.expiresAt) return fail("expired", "Token has expired")
    return { ok: true, principal: { org: entry.client.org, client: entry.client, scope: entry.scope } }
  }

  /** Test control: every live token (of one organization) expires now; returns how many did. */
  expire(org?: number): number {
    const now = this.#settings.clock.now()
    let count = 0
    for (const entry of this.#tokens.values()) {
      if ((org === undefined || entry.client.org === org) && entry.expiresAt > now) {
        entry.expiresAt = now
        count++
      }
    }
    return count
  }

  /** Test control: forgets the tokens (of one organization), so they read as never issued; returns how many. */
  revoke(org?: number): number {
    let count = 0
    for (const [token, entry] of this.#tokens) {
      if (org === undefined || entry.client.org === org) {
        this.#tokens.delete(token)
        count++
      }
    }
    return count
  }

  /** Tokens that would still verify (of one organization). */
  live(org?: number): number {
    const now = this.#settings.clock.now()
    let count = 0
    for (const entry of this.#tokens.values())
      if ((org === undefined || entry.client.org === org) && entry.expiresAt > now) count++
    return count
  }

  /** The space-separated grant, undefined for a client without scopes, null when the request asks for too much. */
  #grantedScope(client: C, requested: string | undefined): string | undefined | null {
    if (client.scopes === undefined) return undefined
    const wanted = requested === undefined ? client.scopes : requested.split(/\s+/).filter((s) => s !== "")
    return wanted.every((s) => client.scopes?.includes(s)) ? wanted.join(" ") : null
  }

  #issue(client: C, scope: string | undefined, now: number): Issued<C> {
    const { ttlSeconds, signingSecret, claims } = this.#settings
    const iat = Math.floor(now / 1000)
    const jti = `${iat}-${++this.#minted}`
    const accessToken = signJwt({ ...claims?.(client), iat, exp: iat + ttlSeconds, jti }, signingSecret)
    this.#prune(now)
    this.#tokens.set(accessToken, { client, scope, expiresAt: now + ttlSeconds * 1000 })
    return { accessToken, tokenType: "Bearer", expiresIn: ttlSeconds, scope, client }
  }

  /** Drops expired tokens once there are many, so a client minting in a loop cannot grow memory without bound. */
  #prune(now: number): void {
    if (this.#tokens.size < 1000) return
    for (const [token, entry] of this.#tokens) if (now >= entry.expiresAt) this.#tokens.delete(token)
  }
}
