// OAuthTokens: client credentials from JSON or form bodies, grant type and scopes, per-client mint limits, bearer
// checks with expiry by the controllable clock, and the expire / revoke controls tests use.
import { createHmac } from "node:crypto"
import { describe, expect, it } from "vitest"
import { Clock } from "../../src/framework/Clock.ts"
import { parseBody } from "../../src/framework/Http.ts"
import { type OAuthClient, OAuthTokens, type TokenSettings } from "../../src/framework/OAuthTokens.ts"
import { claimsOf, organizations } from "./requests.ts"

const CLIENTS: ReadonlyArray<OAuthClient> = [
  { clientId: "client_a", clientSecret: "secret_a_123", org: 0, scopes: ["read", "write"] },
  { clientId: "client_b", clientSecret: "secret_b_456", org: 1, scopes: ["read"] },
]
const SIGNING = "signing-secret-for-tests"

const setup = (overrides: Partial<TokenSettings<OAuthClient>> = {}) => {
  const clock = new Clock()
  const orgs = organizations()
  const settings = { clients: CLIENTS, organizations: orgs, clock, ttlSeconds: 3600, signingSecret: SIGNING }
  return { clock, orgs, tokens: new OAuthTokens({ ...settings, ...overrides }) }
}

const form = (fields: Record<string, string>) => {
  const parsed = parseBody("application/x-www-form-urlencoded", new URLSearchParams(fields).toString())
  return parsed.ok ? parsed.value : undefined
}

const mintFor = (tokens: OAuthTokens<OAuthClient>, client: OAuthClient) => {
  const result = tokens.mint({ client_id: client.clientId, client_secret: client.clientSecret })
  if (!result.ok) throw new Error(`mint failed: ${result.message}`)
  return result.issued
}

describe("token endpoint", () => {
  it("issues a JWT-shaped bearer token for JSON credentials, signed with the signing secret", () => {
    const { tokens, clock } = setup({ claims: (client) => ({ sub: `${client.clientId}@clients` }) })
    const issued = mintFor(tokens, CLIENTS[0] as OAuthClient)
    expect(issued).toMatchObject({ tokenType: "Bearer", expiresIn: 3600, scope: "read write" })
    const [header, payload, signature] = issued.accessToken.split(".")
    expect(createHmac("sha256", SIGNING).update(`${header}.${payload}`).digest("base64url")).toBe(signature)
    const iat = Math.floor(clock.now() / 1000)
    expect(claimsOf(issued.accessToken)).toMatchObject({ sub: "client_a@clients", iat, exp: iat + 3600 })
  })

  it("issues a token for a form-encoded body with the grant type the vendor requires, and narrows the scope", () => {
    const { tokens } = setup({ grantType: "client_credentials" })
    const body = form({
      grant_type: "client_credentials",
      client_id: "client_a",
      client_secret: "secret_a_123",
      scope: "read",
    })
    expect(tokens.mint(body)).toMatchObject({ ok: true, issued: { scope: "read" } })
    const noGrant = form({ client_id: "client_a", client_secret: "secret_a_123" })
    expect(tokens.mint(noGrant)).toMatchObject({ ok: false, reason: "unsupported_grant_type" })
  })

  it("refuses missing fields, a wrong secret, an unknown client and a scope the client lacks", () => {
    const { tokens } = setup()
    expect(tokens.mint({ client_id: "client_a" })).toMatchObject({ ok: false, reason: "invalid_request" })
    const wrong = tokens.mint({ client_id: "client_a", client_secret: "secret_a_12" })
    expect(wrong).toEqual({ ok: false, reason: "invalid_client", message: "Invalid client credentials" })
    expect(JSON.stringify(wrong)).not.toContain("secret_a")
    expect(tokens.mint({ client_id: "nobody", client_secret: "secret_a_123" })).toMatchObject({
      reason: "invalid_client",
    })
    const scope = tokens.mint({ client_id: "client_b", client_secret: "secret_b_456", scope: "read write" })
    expect(scope).toMatchObject({ ok: false, reason: "invalid_scope" })
  })

  it("answers rate_limited with a retry delay once a client mints too often, until the window passes", () => {
    const { tokens, clock } = setup({ mintLimit: { limit: 2, windowMs: 60_000 } })
    const client = CLIENTS[0] as OAuthClient
    mintFor(tokens, client)
    mintFor(tokens, client)
    const limited = tokens.mint({ client_id: client.clientId, client_secret: client.clientSecret })
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited", retryAfterMs: expect.any(Number) })
    expect(mintFor(tokens, CLIENTS[1] as OAuthClient).tokenType).toBe("Bearer")
    clock.advance(60_000)
    expect(mintFor(tokens, client).tokenType).toBe("Bearer")
    expect(tokens.issued).toBe(4)
  })
})

describe("bearer verification", () => {
  it("accepts an issued token for its client's organization until its lifetime passes on the sandbox clock", () => {
    const { tokens, clock } = setup()
    const { accessToken } = mintFor(tokens, CLIENTS[1] as OAuthClient)
    expect(tokens.verify(`Bearer ${accessToken}`)).toMatchObject({ ok: true, principal: { org: 1, scope: "read" } })
    // The sandbox clock is real time plus an offset, so the first step leaves a second for the test to run.
    clock.advance(3_599_000)
    expect(tokens.verify(`bearer ${accessToken}`).ok).toBe(true)
    clock.advance(1_000)
    expect(tokens.verify(`Bearer ${accessToken}`)).toEqual({
      ok: false,
      failure: { reason: "expired", message: "Token has expired" },
    })
  })

  it("fails a missing header, another scheme, and a token it never issued", () => {
    const { tokens } = setup()
    expect(tokens.verify(undefined)).toMatchObject({ failure: { reason: "missing" } })
    expect(tokens.verify("Basic Y2xpZW50OnNlY3JldA==")).toMatchObject({ failure: { reason: "missing" } })
    const forged = `${mintFor(tokens, CLIENTS[0] as OAuthClient).accessToken}x`
    expect(tokens.verify(`Bearer ${forged}`)).toMatchObject({
      failure: { reason: "unknown", message: "Invalid token" },
    })
  })

  it("expires and revokes tokens on demand, per organization or all of them", () => {
    const { tokens } = setup()
    const a = mintFor(tokens, CLIENTS[0] as OAuthClient).accessToken
    const b = mintFor(tokens, CLIENTS[1] as OAuthClient).accessToken
    expect(tokens.expire(0)).toBe(1)
    expect(tokens.verify(`Bearer ${a}`)).toMatchObject({ failure: { reason: "expired" } })
    expect(tokens.verify(`Bearer ${b}`).ok).toBe(true)
    expect(tokens.live()).toBe(1)
    expect(tokens.revoke()).toBe(2)
    expect(tokens.verify(`Bearer ${b}`)).toMatchObject({ failure: { reason: "unknown" } })
  })

  it("stops a revoked organization's tokens and its client from minting new ones", () => {
    const { tokens, orgs } = setup()
    const client = CLIENTS[0] as OAuthClient
    const { accessToken } = mintFor(tokens, client)
    orgs.revoke(0)
    expect(tokens.verify(`Bearer ${accessToken}`)).toMatchObject({ failure: { reason: "unknown" } })
    expect(tokens.mint({ client_id: client.clientId, client_secret: client.clientSecret })).toMatchObject({
      reason: "invalid_client",
    })
  })
})
