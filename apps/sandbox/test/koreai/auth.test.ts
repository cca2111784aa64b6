// The Kore.ai emulator's authentication over real HTTP: a JWT the app signs itself (HS256, claim appId, client
// secret) in the `auth` header plus `AccountId`; every way of getting it wrong answers 401 on every route.
import { describe, expect, it } from "vitest"
import { signJwt } from "../../src/framework/Jwt.ts"
import {
  account,
  api,
  credentialsOf,
  type ErrorBody,
  type Koreai,
  type TaskPage,
  tokenFor,
  useKoreai,
} from "./support.ts"

const koreai = useKoreai()

const OPERATIONS = [
  "getTasks",
  "createTask",
  "updateTask/ti-00000000-0000-4000-8000-000000000000",
  "getCases",
  "createCase",
]

/** Sends the credentials to every route and returns the distinct statuses and messages seen. */
const everywhere = async (k: Koreai, token: string | null, accountId: string | null) => {
  const { streamId } = credentialsOf(k)
  const answers = await Promise.all(
    OPERATIONS.map((op) => api(k, { token, accountId, streamId }).post<ErrorBody>(op, {})),
  )
  return {
    statuses: [...new Set(answers.map((a) => a.status))],
    messages: [...new Set(answers.map((a) => a.body.errors[0]?.msg))],
  }
}

describe("Kore.ai authentication", () => {
  it("accepts the docs' token: {sub, appId} signed HS256 with the client secret, no exp", async () => {
    const k = await koreai()
    const answer = await api(k, credentialsOf(k)).post<TaskPage>("getTasks", {})
    expect(answer.status).toBe(200)
    expect(answer.body.totalResults).toBe(k.state().store.tasksOf(0).length)
  })

  it("answers 401 without the auth header or without AccountId", async () => {
    const k = await koreai()
    const org = account(k)
    expect(await everywhere(k, null, org.accountId)).toEqual({ statuses: [401], messages: ["Missing auth header"] })
    expect(await everywhere(k, tokenFor(org), null)).toEqual({
      statuses: [401],
      messages: ["Missing AccountId header"],
    })
  })

  it("answers 401 for a token signed with another secret", async () => {
    const k = await koreai()
    const org = account(k)
    const forged = signJwt({ appId: org.apps[0]?.appId }, "not-the-secret")
    expect(await everywhere(k, forged, org.accountId)).toEqual({ statuses: [401], messages: ["Invalid JWT signature"] })
  })

  it("answers 401 once the sandbox clock passes the token's exp, and 200 before", async () => {
    const k = await koreai()
    const org = account(k)
    const token = tokenFor(org, { exp: Math.floor(k.control.clock.now() / 1000) + 30 })
    const before = await api(k, { ...credentialsOf(k), token }).post("getTasks", {})
    expect(before.status).toBe(200)
    k.control.clock.advance(31_000)
    expect(await everywhere(k, token, org.accountId)).toEqual({ statuses: [401], messages: ["JWT has expired"] })
  })

  it("answers 401 for an unknown app and for a token without the appId claim", async () => {
    const k = await koreai()
    const org = account(k)
    const ghost = signJwt({ appId: "cs-00000000-0000-4000-8000-000000000000" }, "whatever")
    expect(await everywhere(k, ghost, org.accountId)).toEqual({ statuses: [401], messages: ["Unknown app"] })
    const noClaim = signJwt({ clientId: org.apps[0]?.appId }, org.apps[0]?.secret ?? "")
    expect(await everywhere(k, noClaim, org.accountId)).toEqual({
      statuses: [401],
      messages: ["JWT has no appId claim"],
    })
  })

  it("answers 401 for an app published without the Case Management Configuration scope", async () => {
    const k = await koreai()
    const org = account(k)
    expect(org.apps[1]?.scopes).not.toContain("Case Management Configuration")
    expect(await everywhere(k, tokenFor(org, {}, 1), org.accountId)).toEqual({
      statuses: [401],
      messages: ["App lacks the Case Management Configuration scope"],
    })
  })

  it("answers 401 when AccountId names another account than the app's", async () => {
    const k = await koreai()
    expect(await everywhere(k, tokenFor(account(k, 0)), account(k, 1).accountId)).toEqual({
      statuses: [401],
      messages: ["AccountId does not match the app"],
    })
  })

  it("refuses a token with alg none or a malformed token", async () => {
    const k = await koreai()
    const org = account(k)
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url")
    const none = `${part({ alg: "none", typ: "JWT" })}.${part({ appId: org.apps[0]?.appId })}.`
    expect((await everywhere(k, none, org.accountId)).statuses).toEqual([401])
    expect(await everywhere(k, "not-a-jwt", org.accountId)).toEqual({ statuses: [401], messages: ["Malformed JWT"] })
  })

  it("answers 401 for every app of an account whose credentials were revoked", async () => {
    const k = await koreai()
    const org = account(k)
    const revoked = await fetch(`${k.url}/_sandbox/organizations/${org.accountId}/revoke-key`, { method: "POST" })
    expect(revoked.status).toBe(200)
    expect(await everywhere(k, tokenFor(org), org.accountId)).toEqual({ statuses: [401], messages: ["Unknown app"] })
    expect((await api(k, credentialsOf(k, 1)).post("getTasks", {})).status).toBe(200)
  })

  it("answers 404 for a stream that is not the account's, once authenticated", async () => {
    const k = await koreai()
    const answer = await api(k, { ...credentialsOf(k, 0), streamId: credentialsOf(k, 1).streamId }).post<ErrorBody>(
      "getTasks",
      {},
    )
    expect(answer.status).toBe(404)
    expect(answer.body.errors[0]?.msg).toMatch(/^Stream st-.* not found$/)
  })

  it("never writes the token into the request log", async () => {
    const k = await koreai()
    await api(k, credentialsOf(k)).post("getTasks", {})
    const [entry] = k.control.requests.list()
    expect(entry?.headers.auth).toBe("[redacted]")
    expect(entry?.headers.accountid).toBe(account(k).accountId)
  })
})
