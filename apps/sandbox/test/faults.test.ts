// Fault injection through POST /_sandbox/faults as a test would use it against an adapter: 5xx, 429 bursts
// with Retry-After, latency, dropped connections, timeouts, time windows, ratios and scoping.
import { describe, expect, it } from "vitest"
import { type Candid, client, control, json, useCandid } from "./support.ts"

const candid = useCandid()

const addFault = async (sandbox: Candid, spec: Record<string, unknown>) => {
  const response = await control(sandbox, "POST", "/faults", spec)
  expect(response.status).toBe(200)
  return json<{ id: number }>(response)
}

const statuses = async (send: () => Promise<Response>, count: number) => {
  const out: Array<number> = []
  for (let i = 0; i < count; i++) {
    const response = await send()
    await response.arrayBuffer()
    out.push(response.status)
  }
  return out
}

describe("fault injection", () => {
  it("answers the next N vendor requests with the configured 5xx, then recovers", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "error5xx", count: 2, status: 502 })
    expect(await statuses(() => api.get("/api/tasks/v3?limit=1"), 3)).toEqual([502, 502, 200])
  })

  it("sends a 429 burst with the configured Retry-After", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "rateLimit", count: 2, retryAfterSeconds: 7 })
    const first = await api.get("/api/tasks/v3?limit=1")
    expect(first.status).toBe(429)
    expect(first.headers.get("retry-after")).toBe("7")
    expect(await json(first)).toMatchObject({ errorName: "TooManyRequestsError" })
    expect(await statuses(() => api.get("/api/tasks/v3?limit=1"), 2)).toEqual([429, 200])
  })

  it("delays responses by the configured latency", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "latency", latencyMs: 150, count: 1 })
    const started = performance.now()
    expect((await api.get("/api/tasks/v3?limit=1")).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(145)
  })

  it("drops the connection without a response", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "drop", count: 1 })
    await expect(api.get("/api/tasks/v3?limit=1")).rejects.toThrow()
    expect((await api.get("/api/tasks/v3?limit=1")).status).toBe(200)
  })

  it("holds the request unanswered so the client times out", async () => {
    const sandbox = await candid()
    const { token } = await client(sandbox)
    await addFault(sandbox, { kind: "timeout", count: 1, holdMs: 5_000 })
    const request = fetch(`${sandbox.url}/api/tasks/v3`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(200),
    })
    await expect(request).rejects.toThrow(/timeout|aborted/i)
  })

  it("applies a fault only within its time window on the sandbox clock", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "error5xx", forMs: 60_000 })
    expect(await statuses(() => api.get("/api/tasks/v3?limit=1"), 2)).toEqual([503, 503])
    sandbox.control.clock.advance(60_000)
    expect((await api.get("/api/tasks/v3?limit=1")).status).toBe(200)
  })

  it("fails about the configured fraction of requests", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "error5xx", ratio: 0.5, count: 200 })
    const got = await statuses(() => api.get("/api/tasks/v3?limit=1"), 200)
    const failed = got.filter((status) => status === 503).length
    expect(failed).toBeGreaterThan(60)
    expect(failed).toBeLessThan(140)
    expect(got.filter((status) => status !== 503 && status !== 200)).toEqual([])
  })

  it("scopes a fault to a method and path prefix", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "error5xx", method: "PATCH", pathPrefix: "/api/tasks/v3/" })
    expect((await api.get("/api/tasks/v3?limit=1")).status).toBe(200)
    expect((await api.send("PATCH", "/api/tasks/v3/00000000-0000-4000-8000-000000000000", {})).status).toBe(503)
  })

  it("never applies faults to /_sandbox routes", async () => {
    const sandbox = await candid()
    await addFault(sandbox, { kind: "drop" })
    expect((await control(sandbox, "GET", "/faults")).status).toBe(200)
  })

  it("clears every fault with DELETE /_sandbox/faults", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "error5xx" })
    expect((await control(sandbox, "DELETE", "/faults")).status).toBe(200)
    expect((await api.get("/api/tasks/v3?limit=1")).status).toBe(200)
  })

  it("rejects an unknown fault kind with 400", async () => {
    const response = await control(await candid(), "POST", "/faults", { kind: "meteor" })
    expect(response.status).toBe(400)
    expect(await json(response)).toEqual({ error: expect.stringContaining("kind must be one of") })
  })

  it("records faulted requests in the request log with the fault kind", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    await addFault(sandbox, { kind: "error5xx", count: 1, status: 500 })
    await api.get("/api/tasks/v3?limit=1")
    const last = sandbox.control.requests.list().at(-1)
    expect(last).toMatchObject({ method: "GET", path: "/api/tasks/v3?limit=1", status: 500, fault: "error5xx" })
  })
})
