// Repeated bad tokens: the policy on a controlled clock (free, then slowed with doubling delays, then refused until
// the failures age out, per address), and the API over real HTTP: an address guessing tokens gets its 401s, then
// slower ones, then 429 with Retry-After before any lookup — while another address's valid token is unaffected.
import { request } from "node:http"
import { backends } from "@taskbridge/db/testing/Backends"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeBadTokens } from "../src/BadTokens.ts"
import { type ApiServer, listen } from "../src/Server.ts"
import { type Harness, startHarness } from "./support/harness.ts"

const policy = { windowMillis: 60_000, free: 3, baseDelayMillis: 100, maxDelayMillis: 400, refuseAfter: 6 }

describe("bad-token policy", () => {
  it("answers the first failures at once, then slows each with a doubling delay, then refuses until they age out", () => {
    let clock = 1_000_000
    const guard = makeBadTokens(policy, () => clock)
    const delays: Array<number> = []
    for (let i = 0; i < 6; i++) {
      const verdict = guard.verdict("10.0.0.1")
      if (verdict._tag !== "Pass") throw new Error(`refused too early, at failure ${i}`)
      delays.push(verdict.delayMillis)
      guard.failed("10.0.0.1")
      clock += 1_000
    }
    expect(delays).toEqual([0, 0, 0, 100, 200, 400])
    expect(guard.verdict("10.0.0.1")).toEqual({ _tag: "Refuse", retryAfterSeconds: 54 })
    expect(guard.verdict("10.0.0.2")).toEqual({ _tag: "Pass", delayMillis: 0 })
    clock += 54_000
    expect(guard.verdict("10.0.0.1")._tag).toBe("Pass")
    clock += 60_000
    expect(guard.verdict("10.0.0.1")).toEqual({ _tag: "Pass", delayMillis: 0 })
  })
})

const backend = backends[0]
if (backend === undefined) throw new Error("no database backend")

describe("bad tokens over HTTP", () => {
  let harness: Harness
  let server: ApiServer
  let admin: string

  beforeAll(async () => {
    harness = await startHarness(backend)
    server = await listen(harness.runtime, { port: 0, badTokens: policy })
    admin = (await harness.organization("bad-tokens")).token
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    await harness?.close()
  })

  const call = (token: string) =>
    fetch(`${server.url}/trpc/connections.list`, { headers: { authorization: `Bearer ${token}` } })
  /** The same call from another loopback address (Linux routes all of 127/8 to lo). */
  const callFrom = (localAddress: string, token: string) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/trpc/connections.list`)
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          localAddress,
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on("error", reject)
      req.end()
    })

  it("slows, then refuses, an address that keeps sending bad tokens; a good token elsewhere is unaffected", async () => {
    const statuses: Array<number> = []
    const took: Array<number> = []
    for (let i = 0; i < 6; i++) {
      const started = performance.now()
      statuses.push((await call(`tb_guess_${i}`)).status)
      took.push(performance.now() - started)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401])
    // Lower bounds only: the 4th to 6th answers waited at least their delays.
    expect(took[3]).toBeGreaterThanOrEqual(95)
    expect(took[5]).toBeGreaterThanOrEqual(395)
    const refused = await call("tb_guess_again")
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0)
    const body = (await refused.json()) as { error: { message: string } }
    expect(body.error.message).toContain("too many invalid tokens")
    expect(body.error.message).not.toContain("tb_guess")
    // The same address is refused even with a good token while the brake holds; another address is not.
    expect((await call(admin)).status).toBe(429)
    expect(await callFrom("127.0.0.2", admin)).toBe(200)
  })
})
