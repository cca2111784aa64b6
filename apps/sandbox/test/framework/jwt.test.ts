// SelfSignedJwtAuth, configured as Kore.ai's: an HS256 JWT the client signs itself (claim appId, app secret) in
// the `auth` header plus `AccountId`. Tokens are built by hand with node:crypto, not with the framework's signer.
import { describe, expect, it } from "vitest"
import { Clock } from "../../src/framework/Clock.ts"
import { type JwtApp, SelfSignedJwtAuth } from "../../src/framework/SelfSignedJwtAuth.ts"
import { handSigned, organizations, request } from "./requests.ts"

interface App extends JwtApp {
  readonly accountId: string
}

const SCOPE = "Case Management Configuration"
const APPS: ReadonlyArray<App> = [
  { appId: "cs-alpha", secret: "alpha-secret", org: 0, scopes: [SCOPE], accountId: "acct-a" },
  { appId: "cs-noscope", secret: "noscope-secret", org: 0, scopes: ["Chat History"], accountId: "acct-a" },
  { appId: "cs-beta", secret: "beta-secret", org: 1, scopes: [SCOPE], accountId: "acct-b" },
]

const setup = () => {
  const clock = new Clock()
  const orgs = organizations()
  const auth = new SelfSignedJwtAuth<App>({
    header: "auth",
    appClaim: "appId",
    apps: APPS,
    organizations: orgs,
    clock,
    requiredScope: SCOPE,
    companions: [{ header: "AccountId", expected: (app) => app.accountId }],
  })
  return { clock, orgs, auth }
}

/** A request carrying `token` in `auth` and the AccountId header (none when `accountId` is null). */
const call = (token: string, accountId: string | null = "acct-a") =>
  request(accountId === null ? { auth: token } : { auth: token, AccountId: accountId })

const reason = (result: ReturnType<ReturnType<typeof setup>["auth"]["authenticate"]>) =>
  result.ok ? "ok" : result.failure.reason

describe("self-signed JWT authentication", () => {
  it("accepts a token signed with the app's secret and names the app's organization", () => {
    const { auth } = setup()
    const result = auth.authenticate(call(handSigned({ sub: "agent", appId: "cs-alpha" }, "alpha-secret")))
    expect(result).toMatchObject({
      ok: true,
      principal: { org: 0, app: { appId: "cs-alpha" }, claims: { sub: "agent" } },
    })
  })

  it("fails a token signed with another secret as a bad signature", () => {
    const { auth } = setup()
    expect(reason(auth.authenticate(call(handSigned({ appId: "cs-alpha" }, "beta-secret"))))).toBe("badSignature")
  })

  it("fails an expired token once the sandbox clock passes exp, and accepts it before", () => {
    const { auth, clock } = setup()
    const exp = Math.floor(clock.now() / 1000) + 60
    const token = handSigned({ appId: "cs-alpha", exp }, "alpha-secret")
    expect(reason(auth.authenticate(call(token)))).toBe("ok")
    clock.advance(61_000)
    expect(auth.authenticate(call(token))).toEqual({
      ok: false,
      failure: { reason: "expired", message: "JWT has expired" },
    })
  })

  it("fails an unknown app, an app without the required scope, and a revoked organization's app", () => {
    const { auth, orgs } = setup()
    expect(reason(auth.authenticate(call(handSigned({ appId: "cs-ghost" }, "x"))))).toBe("unknown")
    expect(reason(auth.authenticate(call(handSigned({ appId: "cs-noscope" }, "noscope-secret"))))).toBe("missingScope")
    orgs.revoke(1)
    expect(reason(auth.authenticate(call(handSigned({ appId: "cs-beta" }, "beta-secret"), "acct-b")))).toBe("unknown")
  })

  it("fails without the auth header, without AccountId, and with another app's account", () => {
    const { auth } = setup()
    const token = handSigned({ appId: "cs-alpha" }, "alpha-secret")
    expect(reason(auth.authenticate(request({ AccountId: "acct-a" })))).toBe("missing")
    expect(reason(auth.authenticate(call(token, null)))).toBe("missing")
    expect(reason(auth.authenticate(call(token, "acct-b")))).toBe("mismatch")
  })

  it("refuses alg none, an algorithm the emulator does not accept, garbage and a token without appId", () => {
    const { auth } = setup()
    const none = `${handSigned({ appId: "cs-alpha" }, "", { alg: "none" }).split(".").slice(0, 2).join(".")}.`
    expect(reason(auth.authenticate(call(none)))).toBe("unsupportedAlgorithm")
    const hs512 = handSigned({ appId: "cs-alpha" }, "alpha-secret", { alg: "HS512", typ: "JWT" }, "sha512")
    expect(reason(auth.authenticate(call(hs512)))).toBe("unsupportedAlgorithm")
    expect(reason(auth.authenticate(call("not.a.jwt")))).toBe("malformed")
    expect(reason(auth.authenticate(call(handSigned({ sub: "x" }, "alpha-secret"))))).toBe("malformed")
  })

  it("never repeats the token or the secret in a failure message", () => {
    const { auth } = setup()
    const token = handSigned({ appId: "cs-alpha" }, "alpha-secret-wrong")
    const result = auth.authenticate(call(token))
    expect(JSON.stringify(result)).not.toContain(token.split(".")[2] ?? "")
    expect(JSON.stringify(result)).not.toContain("alpha-secret")
  })
})
