// Candid auth as a client meets it: minting tokens (JSON or form), bad credentials, mint throttling, and
// bearer checks on task calls including expiry by the controllable clock; then the token and revocation controls.
import { describe, expect, it } from "vitest"
import { client, control, credentials, json, mintToken, useCandid } from "./support.ts"

const candid = useCandid({ tokenMintLimit: { limit: 3, windowMs: 60_000 } })

const tokenRequest = async (body: string, contentType: string) =>
  fetch(`${(await candid()).url}/api/auth/v2/token`, { method: "POST", headers: { "content-type": contentType }, body })

describe("POST /api/auth/v2/token", () => {
  it("issues a Bearer token for JSON credentials", async () => {
    const response = await tokenRequest(JSON.stringify(credentials(await candid())), "application/json")
    expect(response.status).toBe(200)
    const body = await json<Record<string, unknown>>(response)
    expect(body).toEqual({ access_token: expect.any(String), expires_in: 86400, token_type: "Bearer" })
    expect(String(body.access_token).split(".")).toHaveLength(3)
  })

  it("issues a token for form-encoded credentials", async () => {
    const form = new URLSearchParams(credentials(await candid())).toString()
    const response = await tokenRequest(form, "application/x-www-form-urlencoded")
    expect(response.status).toBe(200)
    expect((await json<{ token_type: string }>(response)).token_type).toBe("Bearer")
  })

  it("rejects a wrong client secret with 401 UnauthorizedError", async () => {
    const { client_id } = credentials(await candid())
    const response = await tokenRequest(JSON.stringify({ client_id, client_secret: "nope" }), "application/json")
    expect(response.status).toBe(401)
    expect(await json(response)).toMatchObject({
      errorName: "UnauthorizedError",
      content: { message: expect.any(String) },
    })
  })

  it("answers 429 TooManyRequestsError when one client mints more tokens than allowed per window", async () => {
    const body = JSON.stringify(credentials(await candid()))
    for (let i = 0; i < 3; i++) expect((await tokenRequest(body, "application/json")).status).toBe(200)
    const response = await tokenRequest(body, "application/json")
    expect(response.status).toBe(429)
    expect(await json(response)).toEqual({
      errorName: "TooManyRequestsError",
      content: { message: expect.any(String) },
    })
  })

  it("lets a client mint again once the minting window has passed on the sandbox clock", async () => {
    const sandbox = await candid()
    for (let i = 0; i < 3; i++) await mintToken(sandbox)
    sandbox.control.clock.advance(60_000)
    await expect(mintToken(sandbox)).resolves.toEqual(expect.any(String))
  })
})

describe("bearer tokens on task calls", () => {
  it("rejects a task call without Authorization with 401", async () => {
    const response = await fetch(`${(await candid()).url}/api/tasks/v3`)
    expect(response.status).toBe(401)
    expect(await json(response)).toMatchObject({ errorName: "UnauthorizedError" })
  })

  it("rejects an unknown token with 401", async () => {
    const response = await fetch(`${(await candid()).url}/api/tasks/v3`, { headers: { authorization: "Bearer x.y.z" } })
    expect(response.status).toBe(401)
  })

  it("accepts a fresh token and rejects it with 401 once expires_in has passed", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    expect((await api.get("/api/tasks/v3?limit=1")).status).toBe(200)
    sandbox.control.clock.advance(86_399_000)
    expect((await api.get("/api/tasks/v3?limit=1")).status).toBe(200)
    sandbox.control.clock.advance(1_000)
    const expired = await api.get("/api/tasks/v3?limit=1")
    expect(expired.status).toBe(401)
    expect(await json(expired)).toEqual({ errorName: "UnauthorizedError", content: { message: "Token has expired" } })
  })
})

describe("credential controls", () => {
  const tasks = (token: string) => async () =>
    fetch(`${(await candid()).url}/api/tasks/v3?limit=1`, { headers: { authorization: `Bearer ${token}` } })

  it("expires every outstanding token on POST /_sandbox/tokens/expire, and a new one works", async () => {
    const sandbox = await candid()
    const token = await mintToken(sandbox)
    expect(await json(await control(sandbox, "POST", "/tokens/expire"))).toEqual({ expired: 1 })
    const expired = await tasks(token)()
    expect(expired.status).toBe(401)
    expect(await json(expired)).toEqual({ errorName: "UnauthorizedError", content: { message: "Token has expired" } })
    expect((await tasks(await mintToken(sandbox))()).status).toBe(200)
    expect(await json(await control(sandbox, "GET", "/tokens"))).toEqual({ issued: 2, live: 1 })
  })

  it("revokes one organization's tokens only", async () => {
    const sandbox = await candid()
    const [mine, theirs] = [await mintToken(sandbox, 0), await mintToken(sandbox, 1)]
    const { organizationId } = sandbox.state().store.orgs[1] ?? { organizationId: "" }
    expect(await json(await control(sandbox, "POST", "/tokens/revoke", { organizationId }))).toEqual({ revoked: 1 })
    expect((await tasks(mine)()).status).toBe(200)
    const revoked = await tasks(theirs)()
    expect(await json(revoked)).toEqual({ errorName: "UnauthorizedError", content: { message: "Invalid token" } })
    expect((await control(sandbox, "POST", "/tokens/revoke", { organizationId: "nope" })).status).toBe(400)
  })

  it("revoke-key stops an organization's token and its client credentials until the next reset", async () => {
    const sandbox = await candid()
    const token = await mintToken(sandbox)
    const { organizationId } = sandbox.state().store.orgs[0] ?? { organizationId: "" }
    const revoked = await control(sandbox, "POST", `/organizations/${organizationId}/revoke-key`)
    expect(await json(revoked)).toEqual({ organizationId, revoked: true })
    expect((await tasks(token)()).status).toBe(401)
    const again = await tokenRequest(JSON.stringify(credentials(sandbox)), "application/json")
    expect(again.status).toBe(401)
    expect(await mintToken(sandbox, 1)).toEqual(expect.any(String))
    sandbox.control.reset()
    expect(await mintToken(sandbox)).toEqual(expect.any(String))
  })

  it("shows one organization with its credentials, and 404 for an unknown one", async () => {
    const sandbox = await candid()
    const org = sandbox.state().store.orgs[0]
    const shown = await json(await control(sandbox, "GET", `/organizations/${org?.organizationId}`))
    expect(shown).toMatchObject({
      organizationId: org?.organizationId,
      clientId: org?.clientId,
      workQueueIds: org?.workQueueIds,
    })
    const missing = await control(sandbox, "GET", "/organizations/unknown")
    expect(missing.status).toBe(404)
    expect(await json(missing)).toEqual({ error: "no organization unknown" })
  })
})
