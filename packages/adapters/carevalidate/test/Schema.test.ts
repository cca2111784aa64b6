// CareValidate wire schemas against every JSON example of the update-escalation doc (test/fixtures, verbatim).
// The doc's JavaScript and Python examples send the same body as its cURL example, so one fixture covers all three.
// https://docs.careglp.com/docs/Case/case-escalation-update
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { isKnownEscalationType, isKnownWebhookEvent, WebhookEventValues } from "../src/internal/enums.ts"
import {
  AddEscalationRequest,
  EscalationResponse,
  UpdateEscalationRequest,
  ValidationErrorResponse,
  WebhookPayload,
} from "../src/Schema.ts"

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"))

const decodeUpdate = Schema.decodeUnknownSync(UpdateEscalationRequest)
const decodeResponse = Schema.decodeUnknownSync(EscalationResponse)
const item = { escalationId: "a1b2c3d4-e5f6-7890-abcd-ef1234567890", note: "Patient confirmed new address." }

describe("CareValidate UPDATE_ESCALATION body", () => {
  it("decodes the doc's request example", () => {
    const body = decodeUpdate(fixture("update-escalation.request.json"))
    expect(body.action).toBe("UPDATE_ESCALATION")
    expect(body.escalations[0]).toEqual({
      escalationId: "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
      note: "Patient confirmed new address.",
      followUpDueAt: "2025-06-15T09:00:00.000Z",
      assignedToEmail: "newagent@example.com",
    })
  })

  it("rejects an escalation item with an unknown key, as the vendor does", () => {
    const decode = () => decodeUpdate({ action: "UPDATE_ESCALATION", escalations: [{ ...item, unknownField: "x" }] })
    expect(decode).toThrow(/unknown key/)
    expect(decode).toThrow(/unknownField/)
  })

  it("rejects an unknown key next to action and escalations", () => {
    expect(() => decodeUpdate({ action: "UPDATE_ESCALATION", escalations: [item], caseId: "c-1" })).toThrow(/caseId/)
  })

  it("rejects an empty escalations array, a non-UUID escalationId and a malformed email", () => {
    expect(() => decodeUpdate({ action: "UPDATE_ESCALATION", escalations: [] })).toThrow(/escalations/)
    expect(() => decodeUpdate({ action: "UPDATE_ESCALATION", escalations: [{ escalationId: "esc-1" }] })).toThrow(
      /escalationId/,
    )
    expect(() =>
      decodeUpdate({ action: "UPDATE_ESCALATION", escalations: [{ ...item, assignedToEmail: "agent" }] }),
    ).toThrow(/email/)
  })

  it("encodes a typed body back to exactly the JSON it was decoded from", () => {
    const json = fixture("update-escalation.request.json")
    expect(Schema.encodeSync(UpdateEscalationRequest)(decodeUpdate(json))).toEqual(json)
  })
})

describe("CareValidate ADD_ESCALATION body", () => {
  const add = { action: "ADD_ESCALATION", escalations: [{ type: "support", title: "Address verification" }] }

  it("decodes a new escalation with a type and a title", () => {
    expect(Schema.decodeUnknownSync(AddEscalationRequest)(add).escalations[0].title).toBe("Address verification")
  })

  it("rejects a type outside support, clinical and external", () => {
    const body = { ...add, escalations: [{ type: "billing", title: "Price question" }] }
    expect(() => Schema.decodeUnknownSync(AddEscalationRequest)(body)).toThrow(/type/)
  })
})

describe("CareValidate responses", () => {
  it("decodes the 200 example with its updated escalation", () => {
    const response = decodeResponse(fixture("update-escalation.success.json"))
    if (!("success" in response) || !response.success) throw new Error("expected the success variant")
    expect(response.message).toBe("Escalation(s) updated successfully")
    const [escalation] = response.data.escalations
    expect(escalation?.type).toBe("support")
    expect(escalation?.assignedToUserId).toBe("u1v2w3x4-y5z6-7890-abcd-ef1234567890")
    expect(escalation?.followUpDueAt).toBe("2025-06-15T09:00:00.000Z")
    expect(escalation?.updatedAt).toBe("2025-05-19T09:00:00.000Z")
  })

  it("decodes the escalation-not-found example, whose escalation has null fields and no updatedAt", () => {
    const response = decodeResponse(fixture("update-escalation.escalation-not-found.json"))
    if (!("success" in response) || response.success) throw new Error("expected the business-error variant")
    expect(response.error).toBe("Escalation not found: b9c8d7e6-f5a4-3210-fedc-ba9876543210")
    const escalation = response.data?.escalations[0]
    expect([escalation?.note, escalation?.followUpDueAt, escalation?.assignedToUserId]).toEqual([null, null, null])
    expect(escalation).not.toHaveProperty("updatedAt")
  })

  it.each([
    ["validation-error.invalid-uuid.json", "escalations.0.escalationId, escalationId must be a valid UUID"],
    [
      "validation-error.unknown-field.json",
      "escalations.0.unknownField, Unrecognized key(s) in object: 'unknownField'",
    ],
    ["validation-error.empty-array.json", "escalations, At least one escalation is required"],
  ])("decodes the validation error in %s", (name, error) => {
    expect(Schema.decodeUnknownSync(ValidationErrorResponse)(fixture(name))).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      error,
    })
    expect(decodeResponse(fixture(name))).toHaveProperty("code", "VALIDATION_ERROR")
  })

  it.each([
    ["assignee-not-found.json", 400, "No assignable user found with email agent@example.com for this organization"],
    ["case-not-found.json", 400, "Case not found!"],
    ["permission-denied.json", 401, "Permission denied!"],
  ])("decodes the business error in %s without data", (name, status, error) => {
    expect(decodeResponse(fixture(name))).toEqual({ status, success: false, message: "Invalid request", error })
  })

  it("keeps an escalation type CareValidate adds later and flags it unknown", () => {
    const success = fixture("update-escalation.success.json") as { data: { escalations: Array<object> } }
    const escalations = [{ ...success.data.escalations[0], type: "pharmacy" }]
    const response = decodeResponse({ ...success, data: { escalations } })
    if (!("success" in response) || !response.success) throw new Error("expected the success variant")
    expect(response.data.escalations[0]?.type).toBe("pharmacy")
    expect(isKnownEscalationType("pharmacy")).toBe(false)
    expect(isKnownEscalationType("clinical")).toBe(true)
  })
})

describe("CareValidate webhook", () => {
  it("decodes an escalation event, keeping the event object and the case's untyped fields", () => {
    const payload = Schema.decodeUnknownSync(WebhookPayload)({
      event: "ESCALATE_CASE",
      escalation: { id: "esc-1", type: "clinical" },
      payload: { case: { id: "case-1", status: "IN_PROGRESS", isEscalated: true, assignees: [] } },
    })
    expect(payload.event).toBe("ESCALATE_CASE")
    expect(payload.escalation).toEqual({ id: "esc-1", type: "clinical" })
    expect(payload.payload?.case?.id).toBe("case-1")
    expect(payload.payload?.case?.assignees).toEqual([])
  })

  it("decodes an event name it does not know and one sent without case data", () => {
    const payload = Schema.decodeUnknownSync(WebhookPayload)({ event: "ESCALATION_REASSIGNED" })
    expect(isKnownWebhookEvent(payload.event)).toBe(false)
    expect(isKnownWebhookEvent("DEESCALATE_CASE")).toBe(true)
  })

  it("knows README §5.8's 43 event names plus CHANGE_CASE_STATUS from the older article", () => {
    expect(WebhookEventValues).toHaveLength(44)
    expect(WebhookEventValues).toContain("CHANGE_CASE_STATUS")
  })
})
