// Spry ⇄ domain mapping without HTTP: the doc's own example read as a record, priority inverted losslessly, the title
// derived, the status rules of a write, replace-all bodies, and what each envelope code means.
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { levels } from "@taskbridge/domain/Priority"
import { spryScheme } from "@taskbridge/domain/schemes/Spry"
import type { RecordChange } from "@taskbridge/domain/VendorRecord"
import { Result, Schema } from "effect"
import { zonesOf } from "../src/Adapter.ts"
import { reasonOf } from "../src/internal/errors.ts"
import { fromChange, toPriority, toRecord, toTitle } from "../src/Mapping.ts"
import { isSuccess, WaitlistRequestResponse } from "../src/Schema.ts"

const zone = IanaZone.make("America/Chicago")
const zoneOf = zonesOf({ clinicZones: { "clinic-123": zone } })
const example = () => {
  const answer = Schema.decodeUnknownSync(WaitlistRequestResponse)(
    JSON.parse(readFileSync(new URL("./fixtures/update.success.json", import.meta.url), "utf8")),
  )
  if (!isSuccess(answer)) throw new Error("the fixture is a success")
  return answer.data
}
const change = (c: RecordChange) => fromChange(zone, c)
const failure = (c: RecordChange) => {
  const result = change(c)
  if (Result.isSuccess(result)) throw new Error("expected a refusal")
  return result.failure
}

describe("Spry record mapping", () => {
  it("reads the update doc's example as a waitlist request with its window in the clinic's zone", () => {
    const record = toRecord(spryScheme(), zoneOf, example())
    expect(record).toMatchObject({
      id: "req-123",
      version: "2026-05-12T10:30:00Z",
      parent: "clinic-123",
      unknownValues: [],
      snapshot: {
        vendorStatus: "ACTIVE",
        subjects: { patient: { id: "patient-012", display: "Jane Doe" } },
        fields: {
          title: "Waitlist: Initial Evaluation",
          description: "Updated notes",
          status: "open",
          priority: "high",
          due: { _tag: "Window", start: "2026-05-15", end: "2026-06-15", zone: "America/Chicago" },
          assignees: [],
        },
        extension: {
          _tag: "spry",
          clinicId: "clinic-123",
          preferredProviders: ["provider-345"],
          preferredDays: ["MONDAY", "TUESDAY"],
          preferredTimeSlots: ["MORNING"],
          appointmentCategoryId: "2058",
          appointmentType: "INITIAL_EVAL",
          paymentType: "INSURANCE_PAY",
          appointmentDuration: 60,
        },
      },
    })
  })

  it("inverts Spry's 1–5 onto the five canonical levels, losslessly both ways", () => {
    const read = [1, 2, 3, 4, 5].map((p) => toPriority(p).value)
    expect(read).toEqual(["urgent", "high", "normal", "low", "none"])
    const written = levels.map((level) => {
      const body = change({ fields: { priority: level } })
      return Result.isSuccess(body) ? body.success.priority : undefined
    })
    expect(written).toEqual([5, 4, 3, 2, 1])
    expect(toPriority(9)).toEqual({ value: "normal", unknown: [{ field: "priority", value: "9", fallback: "normal" }] })
  })

  it("derives the title from the category label and the appointment type", () => {
    expect(toTitle("Post-op Knee Evaluation", "INITIAL_EVAL")).toBe(
      "Waitlist: Post-op Knee Evaluation (Initial Evaluation)",
    )
    expect(toTitle(null, "FOLLOW_UP")).toBe("Waitlist: Follow Up")
  })

  it("reads empty notes as no description and an unknown status as open, flagged", () => {
    const record = toRecord(spryScheme(), zoneOf, { ...example(), notes: "", status: "ON_HOLD" })
    expect(record.snapshot.fields.description).toBeNull()
    expect(record.snapshot.vendorStatus).toBe("ON_HOLD")
    expect(record.unknownValues).toEqual([{ field: "status", value: "ON_HOLD", fallback: "open" }])
  })
})

describe("Spry write mapping", () => {
  it("writes only ACTIVE → CANCELLED and says why anything else is refused", () => {
    expect(change({ fields: {}, vendorStatus: "CANCELLED" })).toEqual(Result.succeed({ status: "CANCELLED" }))
    expect(failure({ fields: {}, vendorStatus: "FULFILLED" }).message).toContain("only Spry sets FULFILLED")
    expect(failure({ fields: {}, vendorStatus: "EXPIRED" }).message).toContain("only Spry sets EXPIRED")
    expect(failure({ fields: {}, vendorStatus: "ACTIVE" }).message).toContain("never reopens")
  })

  it("sends notes and preference arrays whole, and the window as both dates", () => {
    const body = change({
      fields: {
        description: null,
        due: { _tag: "Window", start: PlainDate.make("2026-05-20"), end: PlainDate.make("2026-06-30"), zone },
      },
      extension: { _tag: "spry", preferredDays: [], preferredProviders: ["p-1", "p-2"] },
    })
    expect(body).toEqual(
      Result.succeed({
        notes: "",
        date_range_start: "2026-05-20",
        date_range_end: "2026-06-30",
        preferred_days: [],
        preferred_providers: ["p-1", "p-2"],
      }),
    )
  })

  it("names the field of every refusal", () => {
    const refusals: Array<[RecordChange, string | null]> = [
      [{ fields: { due: { _tag: "None" } } }, "due"],
      [{ fields: { tags: ["x"] } }, "tags"],
      [{ fields: {}, note: "appended" }, "notes"],
      [{ fields: {} }, null],
    ]
    for (const [c, field] of refusals) {
      const reason = failure(c).reason
      expect(reason._tag === "Validation" ? reason.field : "not a validation").toBe(field)
    }
  })
})

describe("Spry envelope codes", () => {
  it("reads 409/4090 as a terminal state, 400/4000 as a due the invites block, and 2xxx as the field Spry names", () => {
    expect(reasonOf(409, { code: 4090, message: "waitlist request is closed", data: null })?._tag).toBe("TerminalState")
    const invites = reasonOf(400, { code: 4000, message: "active invites exist for this request", data: null })
    expect(invites).toMatchObject({ _tag: "Validation", field: "due" })
    expect(reasonOf(400, { code: 2008, message: "priority: must be an integer from 1 (highest) to 5" })).toMatchObject({
      _tag: "Validation",
      field: "priority",
    })
    expect(reasonOf(400, { code: 2999, message: "Invalid appointment type" })).toMatchObject({
      field: "extension.appointmentType",
    })
    expect(reasonOf(404, { code: 4040, message: "waitlist request not found" })?._tag).toBe("NotFound")
    expect(reasonOf(403, { code: 4030, message: "no" })?._tag).toBe("Unauthorized")
    // A 2xx carrying an error code is still that error.
    expect(reasonOf(200, { code: 4090, message: "waitlist request is closed" })?._tag).toBe("TerminalState")
  })
})
