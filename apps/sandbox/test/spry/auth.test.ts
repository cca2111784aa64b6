// Spry emulator, authentication and access: form-encoded client credentials at /apis/v2/oauth/token (3600 s tokens
// carrying organisation, clinic list and roles), Bearer on every call, 401 for a bad or expired token, scopes, and
// what each role may see — another organisation's request is not found, a clinic outside the token's list or another
// patient's request is a 403.

import { describe, expect, it } from "vitest"
import { decodeJwt } from "../../src/framework/Jwt.ts"
import { addDays, dateIn } from "../../src/spry/Dates.ts"
import {
  activeRequest,
  api,
  body,
  clientOf,
  control,
  type Envelope,
  type ListBody,
  mint,
  PATH,
  type RequestBody,
  requestsOf,
  staff,
  tokenRequest,
  useSpry,
} from "./support.ts"

const spry = useSpry()

describe("Spry token endpoint", () => {
  it("mints a one-hour bearer token whose answer and claims name the organisation, user, roles and clinics", async () => {
    const s = await spry()
    const client = clientOf(s, "ADMIN")
    const response = await tokenRequest(s, {
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: "read write",
    })
    expect(response.status).toBe(200)
    const token = await body<Record<string, unknown>>(response)
    expect(token).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: "read write",
      organisation_id: s.state().store.orgs[0]?.numericId,
      user_id: client.userId,
      roles: ["ADMIN", "DOCTOR"],
      clinic_id_list: client.clinicIds.map(Number),
    })
    const claims = decodeJwt(String(token.access_token))?.claims
    expect(claims).toMatchObject({ organisation_id: token.organisation_id, clinic_id_list: token.clinic_id_list })
    expect(Number(claims?.exp) - Number(claims?.iat)).toBe(3600)
  })

  it("refuses a JSON token request, a wrong grant type and wrong credentials in OAuth's own error shape", async () => {
    const s = await spry()
    const client = clientOf(s, "ADMIN")
    const json = await fetch(`${s.url}/apis/v2/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    })
    expect(json.status).toBe(400)
    expect(await body(json)).toMatchObject({ error: "invalid_request" })
    const grant = await tokenRequest(s, { grant_type: "password", client_id: client.clientId, client_secret: "x" })
    expect(grant.status).toBe(400)
    expect(await body(grant)).toMatchObject({ error: "unsupported_grant_type" })
    const wrong = await tokenRequest(s, {
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: "not-the-secret",
    })
    expect(wrong.status).toBe(401)
    const text = await wrong.text()
    expect(JSON.parse(text)).toMatchObject({ error: "invalid_client" })
    expect(text).not.toContain(client.clientSecret)
  })

  it("keeps client secrets and tokens out of the request log", async () => {
    const s = await spry()
    const client = clientOf(s, "ADMIN")
    const seq = s.control.requests.nextSeq()
    const token = await mint(s, client)
    await api(s, token).get(`${PATH}?page_size=1`)
    const logged = JSON.stringify(s.control.requests.list({ since: seq - 1 }))
    expect(logged).not.toContain(client.clientSecret)
    expect(logged).not.toContain(token)
    expect(logged).toContain("Bearer [redacted]")
  })
})

describe("Spry bearer tokens", () => {
  it("answers 401 in the envelope without a token, with an unknown one and once the token has expired", async () => {
    const s = await spry()
    const missing = await api(s, null).get(PATH)
    expect(missing.status).toBe(401)
    expect(await body(missing)).toEqual({ code: 4010, message: "Missing bearer token", data: null })
    expect((await api(s, "not-a-token").get(PATH)).status).toBe(401)
    const token = await mint(s, clientOf(s, "ADMIN"))
    expect((await api(s, token).get(PATH)).status).toBe(200)
    s.control.clock.advance(3600 * 1000)
    const expired = await api(s, token).get(PATH)
    expect(expired.status).toBe(401)
    expect(await body<Envelope<null>>(expired)).toMatchObject({ code: 4010, message: "Token has expired" })
  })

  it("expires tokens on demand through the control API, without moving the clock", async () => {
    const s = await spry()
    const token = await mint(s, clientOf(s, "ADMIN"))
    const expired = await body<{ expired: number }>(await control(s, "POST", "/tokens/expire", {}))
    expect(expired.expired).toBe(1)
    expect((await api(s, token).get(PATH)).status).toBe(401)
    expect(await body(await control(s, "GET", "/tokens"))).toEqual({ issued: 1, live: 0 })
  })

  it("lets a read-only token read but not write", async () => {
    const s = await spry()
    const reader = api(s, await mint(s, clientOf(s, "ADMIN"), "read"))
    const r = activeRequest(s, false)
    expect((await reader.get(`${PATH}/${r.id}`)).status).toBe(200)
    const refused = await reader.send("PATCH", `${PATH}/${r.id}`, { priority: 2 })
    expect(refused.status).toBe(403)
    expect(await body<Envelope<null>>(refused)).toMatchObject({ code: 4030 })
  })
})

describe("Spry access by organisation, clinic and role", () => {
  it("hides another organisation's request as not found, for reads and writes", async () => {
    const s = await spry()
    const theirs = activeRequest(s, false, 1)
    const mine = await staff(s, 0)
    const read = await mine.get(`${PATH}/${theirs.id}`)
    expect(read.status).toBe(404)
    expect(await body(read)).toEqual({ code: 4040, message: "waitlist request not found", data: null })
    expect((await mine.send("PATCH", `${PATH}/${theirs.id}`, { priority: 1 })).status).toBe(404)
    const listed = await body<ListBody>(await mine.get(`${PATH}?page_size=100`))
    expect(listed.data.every((r) => requestsOf(s, 0).some((x) => x.id === r.id))).toBe(true)
  })

  it("refuses a front desk a request of a clinic outside its token's clinic list with 403", async () => {
    const s = await spry()
    const desk = clientOf(s, "FRONT_DESK")
    const elsewhere = requestsOf(s).find((r) => !desk.clinicIds.includes(r.clinicId))
    if (elsewhere === undefined) throw new Error("every request is at the desk's clinic")
    const frontDesk = api(s, await mint(s, desk))
    const refused = await frontDesk.get(`${PATH}/${elsewhere.id}`)
    expect(refused.status).toBe(403)
    const listed = await body<ListBody>(await frontDesk.get(`${PATH}?page_size=100`))
    expect(listed.data.length).toBeGreaterThan(0)
    expect(listed.data.every((r) => desk.clinicIds.includes(r.clinic_id))).toBe(true)
  })

  it("shows a patient only their own requests and answers 403 for anyone else's", async () => {
    const s = await spry()
    const patient = clientOf(s, "USER")
    const user = api(s, await mint(s, patient))
    const clinic = s.state().store.orgs[0]?.clinics[0]
    // A patient's create takes the patient from the token; the query parameter is ignored [D].
    const created = await user.send("POST", `${PATH}?patient_id=someone-else`, {
      clinic_id: clinic?.id,
      date_range_start: dateIn(Date.now(), clinic?.timeZone ?? "UTC"),
      date_range_end: addDays(dateIn(Date.now(), clinic?.timeZone ?? "UTC"), 20),
      appointment_category_id: clinic?.categories[0]?.id,
      payment_type: "SELF_PAY",
    })
    expect(created.status).toBe(201)
    expect((await body<RequestBody>(created)).data.patient_id).toBe(patient.patientId)
    const listed = await body<ListBody>(await user.get(`${PATH}?page_size=100&patient_id=someone-else`))
    expect(listed.data.length).toBeGreaterThan(0)
    expect(listed.data.every((r) => r.patient_id === patient.patientId)).toBe(true)
    const other = requestsOf(s).find((r) => r.patientId !== patient.patientId)
    expect((await user.get(`${PATH}/${other?.id}`)).status).toBe(403)
  })
})
