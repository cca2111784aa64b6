// Candid auth: client-credentials tokens from `POST /api/auth/v2/token` (JSON or form body), checked on every
// task call as `Authorization: Bearer <token>`. Tokens are JWT-shaped (the real ones are Auth0 JWTs) and
// expire by the controllable clock. https://docs.joincandidhealth.com/api-reference/auth/v-2/get-token
import { createHmac } from "node:crypto"
import type { Clock } from "../framework/Clock.ts"
import { isRecord } from "../framework/Http.ts"
import { type RateLimitConfig, RateLimiter } from "../framework/RateLimiter.ts"
import type { Organization } from "./Model.ts"

export interface Grant {
  readonly access_token: string
  readonly expires_in: number
  readonly token_type: "Bearer"
}

export type MintResult =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly status: 401 | 422 | 429; readonly message: string; readonly retryAfterMs?: number }

export type VerifyResult =
  | { readonly ok: true; readonly org: number }
  | { readonly ok: false; readonly message: string }

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

export class TokenIssuer {
  readonly #orgs: ReadonlyArray<Organization>
  readonly #clock: Clock
  readonly #ttlSeconds: number
  readonly #mintLimiter: RateLimiter
  readonly #secret: string
  readonly #tokens = new Map<string, { readonly org: number; readonly expiresAt: number }>()
  #minted = 0

  constructor(
    orgs: ReadonlyArray<Organization>,
    clock: Clock,
    ttlSeconds: number,
    mintLimit: RateLimitConfig,
    seed: number,
  ) {
    this.#orgs = orgs
    this.#clock = clock
    this.#ttlSeconds = ttlSeconds
    this.#mintLimiter = new RateLimiter(mintLimit)
    this.#secret = `candid-sandbox-${seed}`
  }

  mint(body: unknown): MintResult {
    const clientId = isRecord(body) ? body.client_id : undefined
    const clientSecret = isRecord(body) ? body.client_secret : undefined
    if (typeof clientId !== "string" || typeof clientSecret !== "string") {
      return { ok: false, status: 422, message: "client_id and client_secret are required" }
    }
    const org = this.#orgs.find((candidate) => candidate.clientId === clientId)
    if (org === undefined || org.clientSecret !== clientSecret) {
      return { ok: false, status: 401, message: "Invalid client credentials" }
    }
    const now = this.#clock.now()
    const verdict = this.#mintLimiter.take(clientId, now)
    if (!verdict.ok) {
      const message = "Too many token requests for this client; reuse the access token until it expires"
      return { ok: false, status: 429, message, retryAfterMs: verdict.retryAfterMs }
    }
    const token = this.#sign(org, now)
    this.#prune(now)
    this.#tokens.set(token, { org: org.index, expiresAt: now + this.#ttlSeconds * 1000 })
    return { ok: true, grant: { access_token: token, expires_in: this.#ttlSeconds, token_type: "Bearer" } }
  }

  verify(authorization: string | undefined): VerifyResult {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")
    if (match?.[1] === undefined) return { ok: false, message: "Missing bearer token" }
    const entry = this.#tokens.get(match[1])
    if (entry === undefined) return { ok: false, message: "Invalid token" }
    if (this.#clock.now() >= entry.expiresAt) return { ok: false, message: "Token has expired" }
    return { ok: true, org: entry.org }
  }

  #sign(org: Organization, now: number): string {
    const iat = Math.floor(now / 1000)
    const header = base64url({ alg: "HS256", typ: "JWT" })
    const payload = base64url({
      iss: "https://candidhealth.auth0.com/",
      sub: `${org.clientId}@clients`,
      aud: "https://api.joincandidhealth.com",
      iat,
      exp: iat + this.#ttlSeconds,
      org_id: org.organizationId,
      jti: `${iat}-${++this.#minted}`,
    })
    const signature = createHmac("sha256", this.#secret).update(`${header}.${payload}`).digest("base64url")
    return `${header}.${payload}.${signature}`
  }

  #prune(now: number): void {
    if (this.#tokens.size < 1000) return
    for (const [token, entry] of this.#tokens) if (now >= entry.expiresAt) this.#tokens.delete(token)
  }
}
