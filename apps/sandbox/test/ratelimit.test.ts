// Candid's documented per-IP limit, 1000 requests per rolling 10 s, checked over real HTTP with the sandbox
// clock moved forward instead of sleeping.
import { describe, expect, it } from "vitest"
import { control, json, useCandid } from "./support.ts"

const candid = useCandid()

/** Sends `count` unauthenticated task requests (cheap 401s that still count against the IP). */
const burst = async (url: string, count: number) => {
  const statuses: Array<number> = []
  for (let sent = 0; sent < count; sent += 100) {
    const batch = Array.from({ length: Math.min(100, count - sent) }, () => fetch(`${url}/api/tasks/v3`))
    for (const response of await Promise.all(batch)) {
      statuses.push(response.status)
      await response.arrayBuffer()
    }
  }
  return statuses
}

describe("per-IP rate limit", () => {
  it("answers the 1001st request within 10 s with 429 and Retry-After", async () => {
    const sandbox = await candid()
    const statuses = await burst(sandbox.url, 1000)
    expect(statuses.filter((status) => status === 429)).toEqual([])
    const limited = await fetch(`${sandbox.url}/api/tasks/v3`)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
    expect(await json(limited)).toEqual({
      errorName: "TooManyRequestsError",
      content: { message: "Rate limit exceeded" },
    })
  })

  it("admits requests again once the rolling window has passed on the sandbox clock", async () => {
    const sandbox = await candid()
    await burst(sandbox.url, 1001)
    sandbox.control.clock.advance(10_000)
    expect((await fetch(`${sandbox.url}/api/tasks/v3`)).status).toBe(401)
  })

  it("does not count /_sandbox control requests", async () => {
    const sandbox = await candid()
    await burst(sandbox.url, 1000)
    for (let i = 0; i < 5; i++) expect((await control(sandbox, "GET", "/clock")).status).toBe(200)
    expect((await fetch(`${sandbox.url}/api/tasks/v3`)).status).toBe(429)
  })
})
