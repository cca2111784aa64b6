// Spry wire schemas against the update doc's examples and README §4 (test/fixtures hold them verbatim).
// https://api-docs.spryhealth.care/api/waitlist/update/
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { isKnownAppointmentType, isKnownWaitlistStatus } from "../src/internal/enums.ts"
import {
  CreateWaitlistRequestBody,
  ErrorEnvelope,
  isSuccess,
  TokenResponse,
  UpdateWaitlistRequestBody,
  WaitlistRequest,
  WaitlistRequestResponse,
} from "../src/Schema.ts"

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"))

const decodeResponse = Schema.decodeUnknownSync(WaitlistRequestResponse)
const decodeUpdate = Schema.decodeUnknownSync(UpdateWaitlistRequestBody)
const successData = (fixture("update.success.json") as { data: Record<string, unknown> }).data

describe("Spry update requests from the doc", () => {
  it("decodes the curl example body", () => {
    expect(decodeUpdate(fixture("update.request.json"))).toEqual({
      preferred_time_slots: ["MORNING"],
      preferred_days: ["MONDAY", "TUESDAY"],
      priority: 2,
      notes: "Updated notes",
    })
  })

  it("decodes the cancel example and the date-range extension example", () => {
    expect(decodeUpdate(fixture("cancel.request.json"))).toEqual({ status: "CANCELLED" })
    const extend = decodeUpdate(fixture("extend-date-range.request.json"))
    expect([extend.date_range_start, extend.date_range_end]).toEqual(["2026-05-20", "2026-06-30"])
  })

  it("accepts the appointment-type labels Spry takes on write and rejects anything else", () => {
    expect(decodeUpdate({ appointment_type: "Initial Evaluation" }).appointment_type).toBe("Initial Evaluation")
    expect(decodeUpdate({ appointment_type: "Follow Up" }).appointment_type).toBe("Follow Up")
    expect(decodeUpdate({ appointment_type: "FOLLOW_UP" }).appointment_type).toBe("FOLLOW_UP")
    expect(() => decodeUpdate({ appointment_type: "Initial" })).toThrow(/appointment_type/)
  })

  it("rejects a priority outside 1 to 5, an unknown status, an unknown day and a reversed date range", () => {
    expect(() => decodeUpdate({ priority: 0 })).toThrow(/priority/)
    expect(() => decodeUpdate({ priority: 6 })).toThrow(/priority/)
    expect(() => decodeUpdate({ status: "DONE" })).toThrow(/status/)
    expect(() => decodeUpdate({ preferred_days: ["FUNDAY"] })).toThrow(/preferred_days/)
    expect(() => decodeUpdate({ date_range_start: "2026-07-01", date_range_end: "2026-06-30" })).toThrow(
      /date_range_end must not be before/,
    )
  })
})

describe("Spry responses", () => {
  it("decodes the 200 example into a waitlist request with its patient and timestamps", () => {
    const response = decodeResponse(fixture("update.success.json"))
    if (!isSuccess(response)) throw new Error(`expected success, got ${response.code}`)
    const request = response.data
    expect(request.id).toBe("req-123")
    expect(request.preferred_days).toEqual(["MONDAY", "TUESDAY"])
    expect(request.appointment_type).toBe("INITIAL_EVAL")
    expect(isKnownAppointmentType(request.appointment_type)).toBe(true)
    expect(request.payment_type).toBe("INSURANCE_PAY")
    expect(request.patient).toEqual({ id: "patient-012", first_name: "Jane", last_name: "Doe" })
    expect(request.created_at_epoch_ms).toBe(1746867600000)
    expect(request.updated_by).toBe("user-456")
    expect(request.matched_invites).toBeUndefined()
  })

  it("decodes the 409 closed-request error with code 4090 and null data", () => {
    const response = decodeResponse(fixture("update.conflict.json"))
    expect(isSuccess(response)).toBe(false)
    expect(response).toEqual({ code: 4090, message: "waitlist request is closed", data: null })
  })

  it("decodes the 400 active-invites error, with data null as in the doc and without data as in README §4.4", () => {
    expect(decodeResponse(fixture("update.bad-request.json"))).toEqual({
      code: 4000,
      message: "active invites exist for this request",
      data: null,
    })
    const readme = Schema.decodeUnknownSync(ErrorEnvelope)(fixture("active-invites.readme.json"))
    expect(readme.code).toBe(4000)
    expect("data" in readme).toBe(false)
  })

  it("rejects an envelope claiming success without data", () => {
    expect(() => decodeResponse({ code: 2000, message: "Success", data: null })).toThrow()
  })

  it("keeps a status Spry adds later and flags it unknown", () => {
    const request = Schema.decodeUnknownSync(WaitlistRequest)({ ...successData, status: "ON_HOLD" })
    expect(request.status).toBe("ON_HOLD")
    expect(isKnownWaitlistStatus(request.status)).toBe(false)
    expect(isKnownWaitlistStatus("EXPIRED")).toBe(true)
  })

  it("decodes the optional provider details and matched invites and waitlists from README §4.4", () => {
    const request = Schema.decodeUnknownSync(WaitlistRequest)({
      ...successData,
      preferred_provider_details: [{ id: "provider-345", first_name: "Sam", last_name: "Lee" }],
      matched_invites: [
        {
          invite_id: "inv-1",
          waitlist_id: "wl-1",
          status: "SENT",
          match_type: "EXACT",
          slot_start: "2026-05-20T15:00:00Z",
          slot_end: "2026-05-20T16:00:00Z",
          sent_at: "2026-05-19T10:00:00Z",
        },
      ],
      matched_waitlists: [
        {
          id: "wl-1",
          provider_id: "provider-345",
          slot_start: "2026-05-20T15:00:00Z",
          slot_end: "2026-05-20T16:00:00Z",
          status: "OPEN",
          workflow_type: "BROADCAST",
        },
      ],
    })
    expect(request.preferred_provider_details?.[0]?.last_name).toBe("Lee")
    expect(request.matched_invites?.[0]?.status).toBe("SENT")
    expect(request.matched_waitlists?.[0]?.provider_id).toBe("provider-345")
  })
})

describe("Spry create body and token", () => {
  it("requires clinic, date range, category and payment type on create", () => {
    const decode = Schema.decodeUnknownSync(CreateWaitlistRequestBody)
    const body = {
      clinic_id: "clinic-123",
      date_range_start: "2026-05-15",
      date_range_end: "2026-06-15",
      appointment_category_id: "2058",
      payment_type: "SELF_PAY",
    }
    expect(decode(body).payment_type).toBe("SELF_PAY")
    expect(() => decode({ ...body, payment_type: undefined })).toThrow(/payment_type/)
  })

  it("decodes the token response with the numeric ids shown on the auth page", () => {
    const token = Schema.decodeUnknownSync(TokenResponse)({
      access_token: "eyJ.e30.sig",
      token_type: "Bearer",
      expires_in: 3600,
      scope: "read write",
      organisation_id: 74,
      user_id: 276,
      roles: ["ADMIN", "DOCTOR"],
      clinic_id_list: [44, 58],
      name: "Clinic Admin",
    })
    expect(token.expires_in).toBe(3600)
    expect(token.clinic_id_list).toEqual([44, 58])
  })
})
