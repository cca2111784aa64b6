// Spry emulator, its own matching and the control routes around it: as sandbox time passes, rounds offer slots,
// send invites, fulfil or expire requests (each stamped with its round's time); the control routes move one request
// the way the matching would, arm a race with the next PATCH, and report values newer than the docs. Staff activity
// edits through the same store, and the framework's faults, request log and clock apply as everywhere.
import { describe, expect, it } from "vitest"
import { addDays, dateIn } from "../../src/spry/Dates.ts"
import { activeInvites } from "../../src/spry/Store.ts"
import {
  activeRequest,
  body,
  control,
  type Envelope,
  PATH,
  type RequestBody,
  requestsOf,
  staff,
  useSpry,
} from "./support.ts"

const spry = useSpry()
const HOUR = 3_600_000

describe("Spry matching", () => {
  it("runs no round before an interval has passed, then one per hour of sandbox time", async () => {
    const s = await spry()
    const api = await staff(s)
    await api.get(PATH)
    expect(s.state().matching.roundsRun).toBe(0)
    s.control.clock.advance(5 * HOUR + 1000)
    const fresh = await staff(s)
    await fresh.get(PATH)
    expect(s.state().matching.roundsRun).toBe(5)
  })

  it("expires an ACTIVE request in the first round after its window's last day has passed in its clinic's zone", async () => {
    // Rounds ten days apart: an ACTIVE request needs at least four rounds to be fulfilled (offered, sent, read,
    // accepted), so within four rounds windows end and requests expire whatever today's date makes of the seed. With
    // hourly rounds, 40 days of matching can fulfil every request first (it did, seeded on 2026-12-02).
    const { startSpry } = await import("../../src/spry/Emulator.ts")
    const interval = 10 * 86_400_000
    const s = await startSpry({ port: 0, seed: 5, size: 160, matchIntervalMs: interval })
    try {
      const active = new Set(
        requestsOf(s)
          .filter((r) => r.status === "ACTIVE")
          .map((r) => r.id),
      )
      s.control.clock.advance(40 * 86_400_000 + 1000)
      await (await staff(s)).get(PATH)
      expect(s.state().matching.roundsRun).toBe(4)
      const expired = requestsOf(s).filter((r) => active.has(r.id) && r.status === "EXPIRED")
      expect(expired.length).toBeGreaterThan(0)
      for (const r of expired) {
        const zone = s.state().store.clinicOf(r).timeZone
        expect(r.updatedBy).toBeNull()
        expect(dateIn(r.updatedAt, zone) > r.dateRangeEnd).toBe(true)
        expect(dateIn(r.updatedAt - interval, zone) <= r.dateRangeEnd).toBe(true)
      }
      const lastRound = (s.state().matching.nextRoundAt ?? 0) - interval
      const stale = requestsOf(s).filter(
        (r) => r.status === "ACTIVE" && r.dateRangeEnd < dateIn(lastRound, s.state().store.clinicOf(r).timeZone),
      )
      expect(stale).toEqual([])
    } finally {
      await s.close()
    }
  })

  it("moves invites on and fulfils requests over a few days, without touching closed ones", async () => {
    const s = await spry()
    const closed = new Map(
      requestsOf(s)
        .filter((r) => r.status !== "ACTIVE")
        .map((r) => [r.id, r.updatedAt]),
    )
    const changes = await body<{ changes: Array<{ id: string; change: string }> }>(
      await control(s, "POST", "/matching/run", { rounds: 48 }),
    )
    const kinds = new Set(changes.changes.map((c) => c.change))
    expect(kinds).toContain("offered")
    expect(kinds).toContain("fulfilled")
    for (const r of requestsOf(s).filter((x) => closed.has(x.id))) expect(r.updatedAt).toBe(closed.get(r.id))
    const fulfilled = requestsOf(s).find((r) => changes.changes.some((c) => c.id === r.id && c.change === "fulfilled"))
    expect(fulfilled?.status).toBe("FULFILLED")
    expect(fulfilled?.invites.some((i) => i.status === "ACCEPTED")).toBe(true)
    expect(fulfilled?.waitlists.some((w) => w.status === "BOOKED")).toBe(true)
  })

  it("repeats the same rounds for the same seed", async () => {
    const s = await spry()
    const first = await body(await control(s, "POST", "/matching/run", { rounds: 10 }))
    s.control.reset()
    const second = await body(await control(s, "POST", "/matching/run", { rounds: 10 }))
    expect(second).toEqual(first)
  })

  it("can be switched off", async () => {
    const { startSpry } = await import("../../src/spry/Emulator.ts")
    const quiet = await startSpry({ port: 0, seed: 5, size: 20, matchIntervalMs: false })
    try {
      quiet.control.clock.advance(30 * 86_400_000)
      quiet.state().matching.catchUp()
      expect(quiet.state().matching.roundsRun).toBe(0)
    } finally {
      await quiet.close()
    }
  })
})

describe("Spry control routes", () => {
  it("offers a slot within the window and fulfils or expires one request on demand", async () => {
    const s = await spry()
    const r = activeRequest(s, false)
    const offered = await body<{ inviteId: string }>(
      await control(s, "POST", `/waitlist-requests/${r.id}/offer`, { status: "SENT" }),
    )
    const invite = r.invites.find((i) => i.id === offered.inviteId)
    expect(invite?.status).toBe("SENT")
    const zone = s.state().store.clinicOf(r).timeZone
    const day = dateIn(invite?.slotStart ?? 0, zone)
    expect(day >= r.dateRangeStart && day <= r.dateRangeEnd).toBe(true)
    expect(await body(await control(s, "POST", `/waitlist-requests/${r.id}/fulfil`))).toMatchObject({
      status: "FULFILLED",
    })
    expect((await control(s, "POST", `/waitlist-requests/${r.id}/expire`)).status).toBe(409)
    const other = activeRequest(s, false)
    expect(await body(await control(s, "POST", `/waitlist-requests/${other.id}/expire`))).toMatchObject({
      status: "EXPIRED",
    })
  })

  it("closes an armed request right before its next PATCH, which then answers 409/4090", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, false)
    await control(s, "POST", `/waitlist-requests/${r.id}/close-before-next-patch`, { status: "FULFILLED" })
    expect((await body<RequestBody>(await api.get(`${PATH}/${r.id}`))).data.status).toBe("ACTIVE")
    const patched = await api.send("PATCH", `${PATH}/${r.id}`, { priority: 1 })
    expect(patched.status).toBe(409)
    expect(await body<Envelope<null>>(patched)).toMatchObject({ code: 4090 })
    expect((await body<RequestBody>(await api.get(`${PATH}/${r.id}`))).data.status).toBe("FULFILLED")
  })

  it("reports a status newer than the docs verbatim", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, false)
    await control(s, "POST", `/waitlist-requests/${r.id}/future-value`, { field: "status", value: "ON_HOLD" })
    expect((await body<RequestBody>(await api.get(`${PATH}/${r.id}`))).data.status).toBe("ON_HOLD")
    expect(
      (await control(s, "POST", `/waitlist-requests/${r.id}/future-value`, { field: "notes", value: "x" })).status,
    ).toBe(400)
  })

  it("lists organisations with every client's credentials, clinics with zones and sample request ids", async () => {
    const s = await spry()
    const view = await body<{ organizations: Array<Record<string, unknown>> }>(
      await control(s, "GET", "/organizations"),
    )
    expect(view.organizations).toHaveLength(2)
    expect(view.organizations[0]).toMatchObject({
      numericId: 74,
      clients: expect.any(Array),
      clinics: expect.any(Array),
    })
  })
})

describe("Spry staff activity", () => {
  it("edits a named request through the store, moving its updated_at, and leaves closed ones alone", async () => {
    const s = await spry()
    const r = activeRequest(s, false)
    const before = r.updatedAt
    s.control.clock.advance(1000)
    const [edited] = s.control.activity.step(1, { id: r.id, kinds: ["edit"] })
    expect(edited?.id).toBe(r.id)
    expect(r.updatedAt).toBeGreaterThan(before)
    const done = requestsOf(s).find((x) => x.status === "FULFILLED")
    expect(s.control.activity.step(3, { id: done?.id ?? "", kinds: ["edit", "cancel", "invite"] })).toEqual([])
  })

  it("lets patients answer invites: an accepted one fulfils its request, a declined one frees it", async () => {
    const s = await spry()
    const invited = requestsOf(s).filter((r) => r.status === "ACTIVE" && activeInvites(r).length > 0)
    for (const r of invited) for (let i = 0; i < 4; i++) s.control.activity.step(1, { id: r.id, kinds: ["respond"] })
    const fulfilled = invited.filter((r) => r.status === "FULFILLED")
    expect(fulfilled.length).toBeGreaterThan(0)
    expect(fulfilled.every((r) => r.invites.some((i) => i.status === "ACCEPTED"))).toBe(true)
    const declined = invited.filter((r) => r.status === "ACTIVE")
    expect(declined.every((r) => activeInvites(r).length === 0 && r.invites.some((i) => i.status === "DECLINED"))).toBe(
      true,
    )
  })

  it("adds requests that start today or later in the clinic's zone", async () => {
    const s = await spry()
    const before = s.state().store.requests.length
    const events = s.control.activity.step(5, { kinds: ["create"] })
    expect(s.state().store.requests.length).toBe(before + 5)
    for (const e of events) {
      const r = s.state().store.byId(e.id)
      if (r === undefined) throw new Error(`activity created nothing for ${e.id}`)
      const today = dateIn(s.control.clock.now(), s.state().store.clinicOf(r).timeZone)
      expect(r.dateRangeStart >= today).toBe(true)
      expect(r.dateRangeEnd >= addDays(r.dateRangeStart, 14)).toBe(true)
    }
  })
})

describe("Spry faults and request log", () => {
  it("answers an injected 503 in its envelope and a 429 with Retry-After, and logs both with the fault", async () => {
    const s = await spry()
    const api = await staff(s)
    const seq = s.control.requests.nextSeq()
    s.control.faults.add({ kind: "error5xx", count: 1, status: 503 })
    const failed = await api.get(PATH)
    expect(failed.status).toBe(503)
    expect(await body(failed)).toEqual({ code: 5000, message: "internal server error", data: null })
    s.control.faults.add({ kind: "rateLimit", count: 1, retryAfterSeconds: 7 })
    const limited = await api.get(PATH)
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("7")
    const logged = s.control.requests.list({ since: seq - 1 })
    expect(logged.map((e) => [e.status, e.fault])).toEqual([
      [503, "error5xx"],
      [429, "rateLimit"],
    ])
  })
})
