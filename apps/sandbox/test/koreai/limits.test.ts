// Kore.ai's 60 requests a minute per account over real HTTP (429, its message, Retry-After, freed by the sandbox clock,
// switched off and on by the control API), faults in Kore.ai's envelope and the request log.
import { afterAll, beforeEach, describe, expect, it } from "vitest"
import { startKoreai } from "../../src/koreai/Emulator.ts"
import { RATE_LIMIT_MESSAGE } from "../../src/koreai/Errors.ts"
import { ANCHOR, account, accountApi, api, credentialsOf, type ErrorBody, tokenFor } from "./support.ts"

const ready = startKoreai({ port: 0, seed: 3, size: 40, anchorMs: ANCHOR })
beforeEach(async () => {
  ;(await ready).control.reset()
})
afterAll(async () => {
  await (await ready).close()
})

/** Sends `n` requests one after another, spread over the APIs, and returns their statuses. */
const burst = async (n: number, index = 0) => {
  const k = await ready
  const client = accountApi(k, index)
  const task = k.state().store.tasksOf(index)[0]
  const statuses: Array<number> = []
  for (let i = 0; i < n; i++) {
    const answer =
      i % 3 === 0
        ? await client.post("getTasks", { limit: 1 })
        : i % 3 === 1
          ? await client.post(`updateTask/${task?._id}`, {})
          : await client.post("getCases", { limit: 1 })
    statuses.push(answer.status)
  }
  return statuses
}

describe("Kore.ai rate limit: 60 requests per minute per account", () => {
  it("answers the 61st request of a minute 429 with the documented message and a Retry-After", async () => {
    const k = await ready
    const statuses = await burst(60)
    expect(statuses.every((s) => s === 200)).toBe(true)
    const refused = await accountApi(k).post<ErrorBody>("getTasks", {})
    expect(refused.status).toBe(429)
    expect(refused.body.errors[0]?.msg).toBe(RATE_LIMIT_MESSAGE)
    expect(refused.body.errors[0]?.msg).toBe(
      "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.",
    )
    const retryAfter = Number(refused.headers.get("retry-after"))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
  })

  it("frees the budget as the sandbox clock moves past the window, without sleeping", async () => {
    const k = await ready
    await burst(60)
    expect((await accountApi(k).post("getTasks", {})).status).toBe(429)
    k.control.clock.advance(30_000)
    expect((await accountApi(k).post("getTasks", {})).status).toBe(429)
    k.control.clock.advance(30_001)
    expect((await burst(60)).every((s) => s === 200)).toBe(true)
    expect((await accountApi(k).post("getTasks", {})).status).toBe(429)
  })

  it("is one budget for every app and stream of the account, and another account has its own", async () => {
    const k = await ready
    await burst(60)
    const org = account(k)
    expect(org.apps[2]?.scopes).toContain("Case Management Configuration")
    const other = await api(k, { ...credentialsOf(k), token: tokenFor(org, {}, 2) }).post("getTasks", {})
    expect(other.status).toBe(429)
    expect((await accountApi(k, 1).post("getTasks", {})).status).toBe(200)
  })

  it("does not let a caller spend another account's budget by naming its AccountId", async () => {
    const k = await ready
    const victim = account(k, 1)
    for (let i = 0; i < 60; i++) {
      await api(k, { token: "forged", accountId: victim.accountId, streamId: victim.streamId }).post("getTasks", {})
    }
    expect((await accountApi(k, 1).post("getTasks", {})).status).toBe(200)
  })

  it("can be switched off and on again through the control API; a reset restores it", async () => {
    const k = await ready
    const control = (method: string, body?: unknown) =>
      fetch(`${k.url}/_sandbox/rate-limit`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }))
    expect((await control("GET")).body).toEqual({ enabled: true, limit: 60, windowMs: 60_000 })
    expect((await control("DELETE")).body).toEqual({ enabled: false })
    expect((await burst(90)).every((s) => s === 200)).toBe(true)
    expect((await control("POST", { limit: 5 })).body).toEqual({ enabled: true, limit: 5, windowMs: 60_000 })
    expect(await burst(6)).toEqual([200, 200, 200, 200, 200, 429])
    expect((await control("POST", { limit: 0 })).status).toBe(400)
    k.control.reset()
    expect(k.control.rateLimit.status()).toEqual({ enabled: true, limit: 60, windowMs: 60_000 })
  })

  it("never limits the control API", async () => {
    const k = await ready
    await burst(60)
    for (let i = 0; i < 5; i++) expect((await fetch(`${k.url}/_sandbox`)).status).toBe(200)
  })
})

describe("Kore.ai faults and request log", () => {
  it("answers an injected 5xx in Kore.ai's envelope, then serves normally", async () => {
    const k = await ready
    k.control.faults.add({ kind: "error5xx", status: 502, count: 1 })
    const failed = await accountApi(k).post<ErrorBody>("getTasks", {})
    expect(failed.status).toBe(502)
    expect(failed.body.errors[0]?.code).toBe(502)
    expect((await accountApi(k).post("getTasks", {})).status).toBe(200)
  })

  it("answers an injected rateLimit fault with the documented message and its Retry-After", async () => {
    const k = await ready
    k.control.faults.add({ kind: "rateLimit", retryAfterSeconds: 7, count: 1, pathPrefix: "/caseManagement" })
    const limited = await accountApi(k).post<ErrorBody>("getTasks", {})
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("7")
    expect(limited.body.errors[0]?.msg).toBe(RATE_LIMIT_MESSAGE)
  })

  it("applies an update whose answer a truncated fault breaks", async () => {
    const k = await ready
    const task = k.state().store.tasksOf(0)[0]
    k.control.faults.add({ kind: "truncated", count: 1 })
    const broken = await accountApi(k).post<string>(`updateTask/${task?._id}`, { desc: "landed anyway" })
    expect(broken.status).toBe(200)
    expect(() => JSON.parse(broken.body)).toThrow()
    expect(task?.desc).toBe("landed anyway")
  })

  it("logs each vendor call with its path, body and status, the JWT redacted", async () => {
    const k = await ready
    const task = k.state().store.tasksOf(0)[0]
    await accountApi(k).post(`updateTask/${task?._id}`, { name: "Logged" })
    const [entry] = k.control.requests.list()
    expect(entry).toMatchObject({
      method: "POST",
      path: `/caseManagement/api/public/analytics/${account(k).streamId}/updateTask/${task?._id}`,
      body: { name: "Logged" },
      status: 200,
    })
    expect(entry?.headers.auth).toBe("[redacted]")
  })
})
