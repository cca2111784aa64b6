// Spry emulator, waitlist requests over HTTP: create with its required fields and enum checks, the list's paging,
// sorts and filters, get with include_waitlists, PATCH (replace-all arrays and notes, the terminal 409/4090, the
// 400/4000 for a narrower window while invites are active, dates in the clinic's zone) and DELETE (204, 409 while
// invites are active), all in the `{code, message, data}` envelope.
import { describe, expect, it } from "vitest"
import { addDays, dateIn } from "../../src/spry/Dates.ts"
import type { WaitlistRequest } from "../../src/spry/Model.ts"
import {
  activeRequest,
  body,
  type Envelope,
  type ListBody,
  PATH,
  type RequestBody,
  requestsOf,
  type Spry,
  staff,
  useSpry,
  withStatus,
} from "./support.ts"

const spry = useSpry()

const clinicOf = (s: Spry, org = 0, index = 0) => {
  const clinic = s.state().store.orgs[org]?.clinics[index]
  if (clinic === undefined) throw new Error("no clinic")
  return clinic
}
const todayAt = (s: Spry, r: WaitlistRequest) => dateIn(s.control.clock.now(), s.state().store.clinicOf(r).timeZone)
const patientOf = (s: Spry, org = 0) => s.state().store.orgs[org]?.patients[3]?.id ?? ""

const newRequest = (s: Spry, overrides: Record<string, unknown> = {}) => {
  const clinic = clinicOf(s)
  const today = dateIn(Date.now(), clinic.timeZone)
  return {
    clinic_id: clinic.id,
    date_range_start: today,
    date_range_end: addDays(today, 30),
    appointment_category_id: clinic.categories[0]?.id,
    payment_type: "INSURANCE_PAY",
    ...overrides,
  }
}

describe("Spry create", () => {
  it("creates an ACTIVE request for the patient named in the query, priority 3 by default, type from the category", async () => {
    const s = await spry()
    const api = await staff(s)
    const clinic = clinicOf(s)
    const response = await api.send("POST", `${PATH}?patient_id=${patientOf(s)}`, newRequest(s, { notes: "Mornings" }))
    expect(response.status).toBe(201)
    const created = (await body<RequestBody>(response)).data
    expect(created).toMatchObject({
      clinic_id: clinic.id,
      patient_id: patientOf(s),
      status: "ACTIVE",
      priority: 3,
      appointment_type: clinic.categories[0]?.type,
      appointment_category: clinic.categories[0]?.label,
      appointment_duration: clinic.categories[0]?.durationMinutes,
      preferred_providers: [],
      notes: "Mornings",
    })
    expect(created.created_at).toBe(created.updated_at)
    expect((await api.get(`${PATH}/${created.id}`)).status).toBe(200)
  })

  it("accepts the appointment type's labels and codes, and refuses anything else with 2999", async () => {
    const s = await spry()
    const api = await staff(s)
    for (const [given, stored] of [
      ["Initial Evaluation", "INITIAL_EVAL"],
      ["Follow Up", "FOLLOW_UP"],
      ["INITIAL_EVAL", "INITIAL_EVAL"],
      ["FOLLOW_UP", "FOLLOW_UP"],
    ]) {
      const response = await api.send(
        "POST",
        `${PATH}?patient_id=${patientOf(s)}`,
        newRequest(s, { appointment_type: given }),
      )
      expect((await body<RequestBody>(response)).data.appointment_type).toBe(stored)
    }
    const bad = await api.send(
      "POST",
      `${PATH}?patient_id=${patientOf(s)}`,
      newRequest(s, { appointment_type: "Re-eval" }),
    )
    expect(bad.status).toBe(400)
    expect(await body(bad)).toEqual({ code: 2999, message: "Invalid appointment type", data: null })
  })

  it("refuses a missing required field, a bad enum value, a priority outside 1–5 and a category of another clinic", async () => {
    const s = await spry()
    const api = await staff(s)
    const post = (payload: unknown) => api.send("POST", `${PATH}?patient_id=${patientOf(s)}`, payload)
    const cases: Array<[unknown, number, string]> = [
      [{ ...newRequest(s), payment_type: undefined }, 2001, "payment_type: is required"],
      [newRequest(s, { preferred_time_slots: ["NIGHT"] }), 2005, "preferred_time_slots"],
      [newRequest(s, { preferred_days: ["FUNDAY"] }), 2006, "preferred_days"],
      [newRequest(s, { payment_type: "CASH" }), 2007, "payment_type"],
      [newRequest(s, { priority: 6 }), 2008, "priority"],
      [newRequest(s, { priority: 0 }), 2008, "priority"],
      [
        newRequest(s, { appointment_category_id: clinicOf(s, 0, 1).categories[0]?.id }),
        2010,
        "appointment_category_id",
      ],
      [newRequest(s, { date_range_start: "2026-13-01" }), 2002, "date_range_start"],
      [newRequest(s, { favourite_colour: "blue" }), 2014, "favourite_colour"],
    ]
    for (const [payload, code, field] of cases) {
      const response = await post(payload)
      expect(response.status).toBe(400)
      const answer = await body<Envelope<null>>(response)
      expect(answer.code).toBe(code)
      expect(answer.message).toContain(field)
    }
    const start = dateIn(Date.now(), clinicOf(s).timeZone)
    const backwards = await post(newRequest(s, { date_range_start: addDays(start, 5), date_range_end: start }))
    expect((await body<Envelope<null>>(backwards)).code).toBe(2003)
  })

  it("needs the patient from staff, and never puts the patient's id in an error", async () => {
    const s = await spry()
    const api = await staff(s)
    const missing = await api.send("POST", PATH, newRequest(s))
    expect(await body(missing)).toEqual({
      code: 2012,
      message: "patient_id: required for clinician/staff requests",
      data: null,
    })
    const unknown = await api.send("POST", `${PATH}?patient_id=99999999`, newRequest(s))
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).not.toContain("99999999")
  })
})

describe("Spry list", () => {
  it("pages with page and page_size up to 100, each request once, and refuses a page_size above 100", async () => {
    const s = await spry()
    const api = await staff(s)
    const seen: Array<string> = []
    for (let page = 1; ; page++) {
      const answer = await body<ListBody>(
        await api.get(`${PATH}?page=${page}&page_size=25&sort_by=created_at&sort_dir=asc`),
      )
      seen.push(...answer.data.map((r) => r.id))
      if (answer.data.length < 25) break
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect(new Set(seen)).toEqual(new Set(requestsOf(s).map((r) => r.id)))
    const big = await api.get(`${PATH}?page_size=101`)
    expect(big.status).toBe(400)
    expect(await body<Envelope<null>>(big)).toMatchObject({
      code: 2013,
      message: "page_size: must be an integer from 1 to 100",
    })
    expect((await body<ListBody>(await api.get(PATH))).data).toHaveLength(20)
  })

  it("sorts by updated_at descending, so the last change comes first", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, false)
    s.control.clock.advance(1000)
    await api.send("PATCH", `${PATH}/${r.id}`, { priority: r.priority === 1 ? 2 : 1 })
    const answer = await body<ListBody>(await api.get(`${PATH}?sort_by=updated_at&sort_dir=desc&page_size=100`))
    expect(answer.data[0]?.id).toBe(r.id)
    const times = answer.data.map((x) => x.updated_at)
    expect([...times].sort().reverse()).toEqual(times)
  })

  it("filters by status, priority, payment type, appointment type and clinic, combined with AND", async () => {
    const s = await spry()
    const api = await staff(s)
    const clinic = clinicOf(s)
    const query = `status=ACTIVE&payment_type=INSURANCE_PAY&appointment_types=INITIAL_EVAL,FOLLOW_UP&clinic_id=${clinic.id}`
    const answer = await body<ListBody>(await api.get(`${PATH}?page_size=100&${query}`))
    const expected = requestsOf(s).filter(
      (r) => r.status === "ACTIVE" && r.paymentType === "INSURANCE_PAY" && r.clinicId === clinic.id,
    )
    expect(answer.data.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort())
    const priority = await body<ListBody>(await api.get(`${PATH}?page_size=100&priority=3`))
    expect(priority.data.length).toBeGreaterThan(0)
    expect(priority.data.every((r) => r.priority === 3)).toBe(true)
    expect((await api.get(`${PATH}?status=DONE`)).status).toBe(400)
    expect((await api.get(`${PATH}?sort_by=title`)).status).toBe(400)
  })
})

describe("Spry get", () => {
  it("includes matched invites and waitlists only with include_waitlists=true", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, true)
    const plain = (await body<RequestBody>(await api.get(`${PATH}/${r.id}`))).data
    expect(plain).not.toHaveProperty("matched_invites")
    const full = (await body<RequestBody>(await api.get(`${PATH}/${r.id}?include_waitlists=true`))).data
    expect(full.matched_invites?.[0]).toMatchObject({ invite_id: r.invites[0]?.id, match_type: "EXACT" })
    expect(full.matched_waitlists?.[0]?.id).toBe(full.matched_invites?.[0]?.waitlist_id)
    expect((await api.get(`${PATH}/7b0c8a52-0000-4000-8000-000000000000`)).status).toBe(404)
  })
})

describe("Spry PATCH", () => {
  it("changes only the fields sent and replaces arrays and notes whole", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, false)
    const provider = s.state().store.clinicOf(r).providers[0]?.id ?? ""
    const before = (await body<RequestBody>(await api.get(`${PATH}/${r.id}`))).data
    s.control.clock.advance(2000)
    const response = await api.send("PATCH", `${PATH}/${r.id}`, {
      preferred_days: ["MONDAY", "TUESDAY"],
      preferred_time_slots: ["MORNING"],
      preferred_providers: [provider],
      priority: 2,
      notes: "Updated notes",
    })
    expect(response.status).toBe(200)
    const after = (await body<RequestBody>(response)).data
    expect(after).toMatchObject({
      preferred_days: ["MONDAY", "TUESDAY"],
      preferred_time_slots: ["MORNING"],
      preferred_providers: [provider],
      priority: 2,
      notes: "Updated notes",
      date_range_start: before.date_range_start,
      payment_type: before.payment_type,
    })
    expect(after.updated_at > before.updated_at).toBe(true)
    const cleared = (
      await body<RequestBody>(await api.send("PATCH", `${PATH}/${r.id}`, { notes: "", preferred_days: [] }))
    ).data
    expect(cleared).toMatchObject({ notes: null, preferred_days: [] })
  })

  it("answers 409 with code 4090 for any PATCH of a FULFILLED, CANCELLED or EXPIRED request", async () => {
    const s = await spry()
    const api = await staff(s)
    for (const status of ["FULFILLED", "CANCELLED", "EXPIRED"]) {
      const r = withStatus(s, status)
      for (const payload of [{ notes: "too late" }, { status: "ACTIVE" }, { status }, {}]) {
        const response = await api.send("PATCH", `${PATH}/${r.id}`, payload)
        expect(response.status).toBe(409)
        expect(await body(response)).toEqual({ code: 4090, message: "waitlist request is closed", data: null })
      }
    }
  })

  it("cancels a request, which closes its open invites, and refuses every later PATCH", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, true)
    const cancelled = (await body<RequestBody>(await api.send("PATCH", `${PATH}/${r.id}`, { status: "CANCELLED" })))
      .data
    expect(cancelled.status).toBe("CANCELLED")
    expect(r.invites.every((i) => i.status === "CLOSED")).toBe(true)
    expect((await api.send("PATCH", `${PATH}/${r.id}`, { priority: 1 })).status).toBe(409)
  })

  it("refuses to narrow the window while invites are active (400, 4000) but lets it grow", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, true)
    const narrower = await api.send("PATCH", `${PATH}/${r.id}`, { date_range_end: addDays(r.dateRangeEnd, -1) })
    expect(narrower.status).toBe(400)
    expect(await body(narrower)).toEqual({ code: 4000, message: "active invites exist for this request", data: null })
    const wider = await api.send("PATCH", `${PATH}/${r.id}`, { date_range_end: addDays(r.dateRangeEnd, 14) })
    expect(wider.status).toBe(200)
    const free = activeRequest(s, false)
    const [later] = [todayAt(s, free), free.dateRangeStart].sort().reverse()
    const end = addDays(later ?? free.dateRangeStart, 1)
    expect(end < free.dateRangeEnd).toBe(true)
    expect((await api.send("PATCH", `${PATH}/${free.id}`, { date_range_end: end })).status).toBe(200)
  })

  it("reads dates in the clinic's zone: at 03:00 UTC a Los Angeles window may still end on the day before", async () => {
    const s = await spry()
    const day = 86_400_000
    s.control.clock.advance(Math.ceil(Date.now() / day) * day + 3 * 3_600_000 - Date.now())
    s.state().matching.catchUp()
    const la = s.state().store.orgs[1]?.clinics.find((c) => c.timeZone === "America/Los_Angeles")
    const r = requestsOf(s, 1).find(
      (x) =>
        x.clinicId === la?.id &&
        x.status === "ACTIVE" &&
        x.invites.every((i) => i.status !== "PENDING" && i.status !== "SENT" && i.status !== "READ"),
    )
    if (la === undefined || r === undefined) throw new Error("no free ACTIVE request at a Los Angeles clinic")
    const api = await staff(s, 1)
    const today = dateIn(s.control.clock.now(), la.timeZone)
    expect(today < dateIn(s.control.clock.now(), "UTC")).toBe(true)
    const start = addDays(today, -3)
    const ok = await api.send("PATCH", `${PATH}/${r.id}`, { date_range_start: start, date_range_end: today })
    expect(ok.status).toBe(200)
    const past = await api.send("PATCH", `${PATH}/${r.id}`, {
      date_range_start: start,
      date_range_end: addDays(today, -1),
    })
    expect(await body<Envelope<null>>(past)).toMatchObject({ code: 2004 })
  })

  it("refuses an unknown status and an unknown field", async () => {
    const s = await spry()
    const api = await staff(s)
    const r = activeRequest(s, false)
    expect((await body<Envelope<null>>(await api.send("PATCH", `${PATH}/${r.id}`, { status: "ON_HOLD" }))).code).toBe(
      2009,
    )
    expect((await body<Envelope<null>>(await api.send("PATCH", `${PATH}/${r.id}`, { title: "x" }))).code).toBe(2014)
  })
})

describe("Spry DELETE", () => {
  it("deletes a request without active invites (204, then 404) and refuses one with them (409)", async () => {
    const s = await spry()
    const api = await staff(s)
    const free = activeRequest(s, false)
    const deleted = await api.send("DELETE", `${PATH}/${free.id}`)
    expect(deleted.status).toBe(204)
    expect(await deleted.text()).toBe("")
    expect((await api.get(`${PATH}/${free.id}`)).status).toBe(404)
    expect((await api.send("DELETE", `${PATH}/${free.id}`)).status).toBe(404)
    const busy = activeRequest(s, true)
    const refused = await api.send("DELETE", `${PATH}/${busy.id}`)
    expect(refused.status).toBe(409)
    expect(await body<Envelope<null>>(refused)).toMatchObject({ code: 4091 })
    expect((await api.get(`${PATH}/${busy.id}`)).status).toBe(200)
  })
})
