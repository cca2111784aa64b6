// The fixed added latency per vendor call (`latencyMs`), read back through the request log's durationMs with a
// loose lower bound only: it says the delay happened, not how fast anything is.
import { afterAll, describe, expect, it } from "vitest"
import { startCandid } from "../src/candid/Emulator.ts"
import { control, json, mintToken } from "./support.ts"

const LATENCY = 80
const slow = startCandid({ port: 0, seed: 3, size: 50, latencyMs: LATENCY })

afterAll(async () => {
  await (await slow).close()
})

describe("added latency per call", () => {
  it("delays every vendor call by latencyMs and shows it in the request log's durationMs", async () => {
    const sandbox = await slow
    const token = await mintToken(sandbox)
    const response = await fetch(`${sandbox.url}/api/tasks/v3?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
    const entries = sandbox.control.requests.list()
    expect(entries.map((entry) => entry.path)).toEqual(["/api/auth/v2/token", "/api/tasks/v3?limit=1"])
    // Timers may fire a millisecond early and durations are rounded, hence the small allowance.
    for (const entry of entries) expect(entry.durationMs).toBeGreaterThanOrEqual(LATENCY - 2)
  })

  it("adds a latency fault on top of the fixed latency", async () => {
    const sandbox = await slow
    sandbox.control.faults.add({ kind: "latency", latencyMs: 120, count: 1 })
    await (await fetch(`${sandbox.url}/api/tasks/v3`)).arrayBuffer()
    expect(sandbox.control.requests.list().at(-1)?.durationMs).toBeGreaterThanOrEqual(LATENCY + 120 - 2)
  })

  it("reports the latency in GET /_sandbox and keeps it across a reset", async () => {
    const sandbox = await slow
    expect(await json(await control(sandbox, "GET", ""))).toMatchObject({ latencyMs: LATENCY })
    expect(sandbox.control.reset({ seed: 4 })).toMatchObject({ seed: 4, latencyMs: LATENCY })
  })

  it("refuses a negative latency at start", async () => {
    await expect(startCandid({ port: 0, latencyMs: -1 })).rejects.toThrow(/latencyMs/)
  })
})
