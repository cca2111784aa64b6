// ApiKeyAuth: a header key names its organization; missing, unknown and revoked keys fail with reasons a vendor
// turns into its 401, and no failure message repeats the key that was sent.
import { describe, expect, it } from "vitest"
import { ApiKeyAuth } from "../../src/framework/ApiKeyAuth.ts"
import { organizations, request } from "./requests.ts"

const setup = () => {
  const orgs = organizations()
  return { orgs, auth: new ApiKeyAuth({ header: "x-api-key", organizations: orgs, keysOf: (org) => [org.apiKey] }) }
}

describe("API-key header authentication", () => {
  it("accepts an organization's key in any header case and names that organization", () => {
    const { auth } = setup()
    const result = auth.authenticate(request({ "X-Api-Key": " key_beta_0002 " }))
    expect(result).toMatchObject({ ok: true, principal: { org: 1, organization: { organizationId: "org-b" } } })
  })

  it("fails a request without the header as missing", () => {
    const { auth } = setup()
    expect(auth.authenticate(request({ "cv-api-key": "key_alpha_0001" }))).toEqual({
      ok: false,
      failure: { reason: "missing", message: "Missing x-api-key header" },
    })
  })

  it("fails an unknown key without echoing it", () => {
    const { auth } = setup()
    const result = auth.authenticate(request({ "x-api-key": "key_guess_9999" }))
    expect(result).toEqual({ ok: false, failure: { reason: "unknown", message: "Invalid API key" } })
    expect(JSON.stringify(result)).not.toContain("key_guess_9999")
  })

  it("fails a revoked organization's key and keeps accepting the other organization's", () => {
    const { auth, orgs } = setup()
    orgs.revoke(0)
    expect(auth.authenticate(request({ "x-api-key": "key_alpha_0001" }))).toMatchObject({
      ok: false,
      failure: { reason: "unknown" },
    })
    expect(auth.authenticate(request({ "x-api-key": "key_beta_0002" }))).toMatchObject({ ok: true })
  })
})
