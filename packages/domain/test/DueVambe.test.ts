// Vambe due: the write form (local date + "HH:MM" + zone) and the read form (due_at + due_timezone + is_all_day),
// value by value, including DST gaps and folds and the all-day representations. Properties: DueVambeRoundTrip.test.ts.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { type Due, none } from "../src/Due.ts"
import { fromDue, read, toDue, write } from "../src/DueVambe.ts"
import { date, decode, encode, message, same, utc, zone } from "./DueSupport.ts"

const santiago = zone("America/Santiago")
const newYork = zone("America/New_York")

describe("Vambe due, write form", () => {
  it("reads a date, time and zone as the instant in that zone", () => {
    const due = Result.getOrThrow(
      decode(write, { dueDate: "2025-06-15", dueTime: "14:30", timezone: "America/Santiago" }),
    )
    assert.isTrue(same(due, { _tag: "Instant", at: utc("2025-06-15T18:30:00.000Z"), zone: santiago }))
  })

  it("reads a date without time as all-day and a null date as no due", () => {
    assert.isTrue(
      same(Result.getOrThrow(decode(write, { dueDate: "2025-06-15" })), { _tag: "AllDay", date: date("2025-06-15") }),
    )
    const zoned = decode(write, { dueDate: "2025-06-15", dueTime: null, timezone: "America/Santiago" })
    assert.isTrue(same(Result.getOrThrow(zoned), { _tag: "AllDay", date: date("2025-06-15"), zone: santiago }))
    assert.isTrue(same(Result.getOrThrow(decode(write, { dueDate: null })), none))
  })

  it("rejects a time without a zone, a time without a date, a bad time and a bad zone", () => {
    assert.include(
      message(decode(write, { dueDate: "2025-06-15", dueTime: "14:30" })),
      "timezone is required when dueTime is given",
    )
    assert.include(
      message(decode(write, { dueDate: null, dueTime: "14:30", timezone: "UTC" })),
      "dueTime is set but dueDate is null",
    )
    for (const dueTime of ["24:00", "9:30", "14:30:00"]) {
      assert.isTrue(Result.isFailure(decode(write, { dueDate: "2025-06-15", dueTime, timezone: "UTC" })), dueTime)
    }
    assert.include(message(decode(write, { dueDate: "2025-06-15", dueTime: "14:30", timezone: "-04:00" })), "IANA")
  })

  it("rejects a wall time that a daylight-saving jump skips", () => {
    const gap = decode(write, { dueDate: "2025-03-09", dueTime: "02:30", timezone: "America/New_York" })
    assert.include(message(gap), "2025-03-09 02:30 does not exist in America/New_York")
  })

  it("writes all three keys for every form, so a partial PUT cannot keep an old time", () => {
    assert.deepStrictEqual(Result.getOrThrow(encode(write, none)), { dueDate: null, dueTime: null, timezone: null })
    assert.deepStrictEqual(Result.getOrThrow(encode(write, { _tag: "AllDay", date: date("2025-06-15") })), {
      dueDate: "2025-06-15",
      dueTime: null,
      timezone: null,
    })
    const instant: Due = { _tag: "Instant", at: utc("2025-01-15T03:05:00Z"), zone: santiago }
    assert.deepStrictEqual(Result.getOrThrow(encode(write, instant)), {
      dueDate: "2025-01-15",
      dueTime: "00:05",
      timezone: "America/Santiago",
    })
  })

  it("refuses instants without a zone, with seconds, in a DST fold, and windows, naming Vambe and the rule", () => {
    const at = utc("2025-06-15T18:30:00Z")
    assert.include(
      message(encode(write, { _tag: "Instant", at })),
      "Vambe cannot hold this Instant due: a timed due is written as local date + time + IANA zone",
    )
    const seconds = encode(write, { _tag: "Instant", at: utc("2025-06-15T18:30:15Z"), zone: santiago })
    assert.include(message(seconds), "holds whole minutes only")
    // 01:30 on 2025-11-02 happens twice in New York; 06:30Z is the second one.
    const fold: Due = { _tag: "Instant", at: utc("2025-11-02T06:30:00Z"), zone: newYork }
    assert.include(message(encode(write, fold)), "occurs twice")
    assert.isTrue(Result.isSuccess(encode(write, { _tag: "Instant", at: utc("2025-11-02T05:30:00Z"), zone: newYork })))
    const window: Due = { _tag: "Window", start: date("2025-06-01"), end: date("2025-06-02"), zone: santiago }
    assert.strictEqual(write.limitation(window), "Vambe has a single due date, not a date window")
  })
})

describe("Vambe due, read form", () => {
  it("reads a timed task as an instant in its zone", () => {
    const due = decode(read, {
      due_at: "2025-06-15T14:30:00-04:00",
      due_timezone: "America/Santiago",
      is_all_day: false,
    })
    assert.isTrue(same(Result.getOrThrow(due), { _tag: "Instant", at: utc("2025-06-15T18:30:00Z"), zone: santiago }))
  })

  it("reads an all-day due_at given as a bare date, as UTC midnight or as midnight in its zone", () => {
    const expected: Due = { _tag: "AllDay", date: date("2025-06-15"), zone: santiago }
    for (const dueAt of [
      "2025-06-15",
      "2025-06-15T00:00:00.000Z",
      "2025-06-15T04:00:00.000Z",
      "2025-06-15T00:00:00-04:00",
    ]) {
      const due = decode(read, { due_at: dueAt, due_timezone: "America/Santiago", is_all_day: true })
      assert.isTrue(same(Result.getOrThrow(due), expected), dueAt)
    }
  })

  it("rejects an all-day due_at that is midnight nowhere, and a bare date on a timed task", () => {
    const noon = decode(read, { due_at: "2025-06-15T12:00:00Z", due_timezone: "America/Santiago", is_all_day: true })
    assert.include(message(noon), "an all-day due_at must be a date or midnight in UTC or in due_timezone")
    assert.include(
      message(decode(read, { due_at: "2025-06-15", due_timezone: null, is_all_day: false })),
      "is_all_day is false",
    )
    assert.isTrue(
      Result.isFailure(decode(read, { due_at: "2025-06-15T12:00:00", due_timezone: null, is_all_day: false })),
    )
  })

  it("reads a null due_at as no due, whatever the other fields say", () => {
    assert.isTrue(same(Result.getOrThrow(decode(read, { due_at: null, due_timezone: "UTC", is_all_day: true })), none))
  })

  it.effect("reads a task with toDue and produces the write fields with fromDue", () =>
    Effect.gen(function* () {
      const due = yield* toDue({
        due_at: "2025-06-15T18:30:00.000Z",
        due_timezone: "America/Santiago",
        is_all_day: false,
      })
      assert.deepStrictEqual(yield* fromDue(due), {
        dueDate: "2025-06-15",
        dueTime: "14:30",
        timezone: "America/Santiago",
      })
    }),
  )
})
