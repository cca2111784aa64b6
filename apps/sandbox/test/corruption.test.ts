// Payload-corruption faults over real HTTP against the Candid emulator: a 200 whose body is invalid JSON, cut
// mid-way, padded to megabytes or carries a field of the wrong type; scoping, the request log and the fact that
// the handler still ran (a write lands while its answer is unreadable).
import { describe, expect, it } from "vitest"
import type { WireTask } from "../src/candid/Wire.ts"
import { type Candid, client, control, json, type TaskPageBody, useCandid } from "./support.ts"

const candid = useCandid()
const PAGE = "/api/tasks/v3?limit=3&sort=patient_name:asc"

const addFault = async (sandbox: Candid, spec: Record<string, unknown>) => {
  const response = await control(sandbox, "POST", "/faults", spec)
  expect(response.status).toBe(200)
}

/** The same page answered without a fault, then with the fault: state does not change between the two reads. */
const cleanThenFaulted = async (spec: Record<string, unknown>) => {
  const sandbox = await candid()
  const api = await client(sandbox)
  const clean = await (await api.get(PAGE)).text()
  await addFault(sandbox, { count: 1, ...spec })
  const faulted = await api.get(PAGE)
  return { sandbox, api, clean, faulted, text: await faulted.text() }
}

const parses = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

describe("corruption faults", () => {
  it("malformed answers 200 with a body that is not JSON, then the next request is clean", async () => {
    const { api, clean, faulted, text } = await cleanThenFaulted({ kind: "malformed" })
    expect(faulted.status).toBe(200)
    expect(faulted.headers.get("content-type")).toContain("application/json")
    expect(parses(clean)).toBe(true)
    expect(parses(text)).toBe(false)
    expect(await (await api.get(PAGE)).text()).toBe(clean)
  })

  it("truncated answers 200 with the first half of the real body", async () => {
    const { faulted, clean, text } = await cleanThenFaulted({ kind: "truncated" })
    expect(faulted.status).toBe(200)
    expect(text).toBe(clean.slice(0, Math.floor(clean.length / 2)))
    expect(parses(text)).toBe(false)
  })

  it("oversized answers the real value padded to exactly the requested size", async () => {
    const sizeBytes = 3 * 1_048_576
    const { faulted, clean, text } = await cleanThenFaulted({ kind: "oversized", sizeBytes })
    expect(faulted.status).toBe(200)
    expect(Buffer.byteLength(text)).toBe(sizeBytes)
    expect(JSON.parse(text)).toEqual(JSON.parse(clean))
  })

  it("wrongType turns the first string value into a number and leaves everything else alone", async () => {
    const { clean, text } = await cleanThenFaulted({ kind: "wrongType" })
    const expected = JSON.parse(clean) as TaskPageBody
    const got = JSON.parse(text) as { items: Array<Record<string, unknown>> }
    expect(typeof got.items[0]?.task_id).toBe("number")
    expect({ ...got.items[0], task_id: expected.items[0]?.task_id }).toEqual(expected.items[0])
    expect(got.items.slice(1)).toEqual(expected.items.slice(1))
  })

  it("wrongType with a field retypes only the first property of that name", async () => {
    const { clean, text } = await cleanThenFaulted({ kind: "wrongType", field: "blocks_claim_submission" })
    const expected = JSON.parse(clean) as TaskPageBody
    const got = JSON.parse(text) as { items: Array<Record<string, unknown>> }
    const first = expected.items[0]
    expect(got.items[0]?.blocks_claim_submission).toBe(String(first?.blocks_claim_submission))
    expect(got.items[1]).toEqual(expected.items[1])
  })

  it("corrupts only matching requests, and the corrupted write still lands at the vendor", async () => {
    const sandbox = await candid()
    const api = await client(sandbox)
    const [task] = (await json<TaskPageBody>(await api.get("/api/tasks/v3?limit=1&status=open"))).items
    await addFault(sandbox, { kind: "malformed", method: "PATCH", pathPrefix: "/api/tasks/v3/" })
    expect((await api.get(PAGE)).status).toBe(200)
    const patch = await api.send("PATCH", `/api/tasks/v3/${task?.task_id}`, { status: "in_progress" })
    expect(patch.status).toBe(200)
    expect(parses(await patch.text())).toBe(false)
    const after = await json<WireTask>(await api.get(`/api/tasks/v3/${task?.task_id}`))
    expect(after.status).toBe("in_progress")
  })

  it("records the corruption kind and the 200 in the request log", async () => {
    const { sandbox } = await cleanThenFaulted({ kind: "truncated" })
    const last = sandbox.control.requests.list().at(-1)
    expect(last).toMatchObject({ method: "GET", path: PAGE, status: 200, fault: "truncated" })
    expect(sandbox.control.requests.list().at(-2)).toMatchObject({ path: PAGE, status: 200, fault: null })
  })

  it("is accepted in process, and bad corruption parameters are refused", async () => {
    const sandbox = await candid()
    expect(sandbox.control.faults.add({ kind: "oversized", sizeBytes: 1024, count: 1 })).toMatchObject({
      kind: "oversized",
      sizeBytes: 1024,
      remaining: 1,
    })
    expect(() => sandbox.control.faults.add({ kind: "oversized", sizeBytes: 2 ** 40 })).toThrow(/sizeBytes/)
    const response = await control(sandbox, "POST", "/faults", { kind: "wrongType", field: 7 })
    expect(response.status).toBe(400)
    expect(await json(response)).toEqual({ error: "field must be a non-empty string" })
  })
})
