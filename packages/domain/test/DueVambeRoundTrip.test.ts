// Vambe due round trips: every valid write and read form comes back in its normalised shape, and every canonical due
// either comes back unchanged or is refused with Vambe's rule.
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, DateTime, Result, Schema } from "effect"
import { Due, PlainDate } from "../src/Due.ts"
import { read, write } from "../src/DueVambe.ts"
import { fromWall, HourMinute } from "../src/DueWall.ts"
import { decode, encode, same, writesBackOrRefuses, zone } from "./DueSupport.ts"

// Zones with DST in both hemispheres, half- and quarter-hour offsets, and a fixed one.
const zones = Arbitrary.schema(
  Schema.Literals([
    "UTC",
    "America/New_York",
    "America/Santiago",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
  ]),
).pipe(Arbitrary.map(zone))
const dates = Arbitrary.schema(PlainDate)
const times = Arbitrary.schema(HourMinute)
// Whole minutes from 1970 to about 2200: before that many zones had offsets with seconds, which Vambe cannot write.
const minuteInstants = Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 121_000_000 }))).pipe(
  Arbitrary.map((minutes) => DateTime.makeUnsafe(minutes * 60_000)),
)
// Every accepted spelling of each write form, paired with the normalised form we write back.
const writeShapes = {
  none: (_: string, __: string, timezone: string) => ({
    wire: { dueDate: null, timezone },
    normal: { dueDate: null, dueTime: null, timezone: null },
  }),
  allDayBare: (dueDate: string) => ({ wire: { dueDate }, normal: { dueDate, dueTime: null, timezone: null } }),
  allDayNulls: (dueDate: string) => ({
    wire: { dueDate, dueTime: null, timezone: null },
    normal: { dueDate, dueTime: null, timezone: null },
  }),
  allDayZoned: (dueDate: string, _: string, timezone: string) => ({
    wire: { dueDate, timezone },
    normal: { dueDate, dueTime: null, timezone },
  }),
  timed: (dueDate: string, dueTime: string, timezone: string) => ({
    wire: { dueDate, dueTime, timezone },
    normal: { dueDate, dueTime, timezone },
  }),
}
const shapes = Arbitrary.schema(Schema.Literals(["none", "allDayBare", "allDayNulls", "allDayZoned", "timed"]))
const writeWires = Arbitrary.all([shapes, dates, times, zones]).pipe(
  Arbitrary.map(([shape, dueDate, dueTime, timezone]) => writeShapes[shape](dueDate, dueTime, timezone)),
)

describe("Vambe due properties", () => {
  it.prop("rewrites every valid write form in its normalised shape", [writeWires], ([{ wire, normal }]) => {
    const due = decode(write, wire)
    // Only a wall time inside a spring-forward gap may fail, and it must say so.
    if (Result.isFailure(due)) return assert.include(due.failure.message, "does not exist")
    assert.deepStrictEqual(Result.getOrThrow(encode(write, due.success)), normal)
  })

  it.prop(
    "round-trips whole-minute zoned instants except the second pass through a DST fold",
    [minuteInstants, zones],
    ([at, tz]) => {
      const due: Due = { _tag: "Instant", at, zone: tz }
      const written = encode(write, due)
      if (Result.isFailure(written)) return assert.include(written.failure.message, "occurs twice")
      assert.isTrue(same(Result.getOrThrow(decode(write, written.success)), due))
    },
  )

  it.prop("round-trips any due through either form or refuses it with Vambe's rule", [Due], ([due]) => {
    writesBackOrRefuses(write, due)
    writesBackOrRefuses(read, due)
  })

  const allDayReads = Arbitrary.all([
    dates,
    zones,
    Arbitrary.schema(Schema.Literals(["bare", "utcMidnight", "zoneMidnight"])),
  ]).pipe(
    Arbitrary.filter(([d, tz]) => Result.isSuccess(fromWall(d, "00:00", tz))),
    Arbitrary.map(([d, tz, kind]) => {
      const midnight = DateTime.formatIso(Result.getOrThrow(fromWall(d, "00:00", tz)))
      const dueAt = kind === "bare" ? d : kind === "utcMidnight" ? `${d}T00:00:00.000Z` : midnight
      return {
        wire: { due_at: dueAt, due_timezone: tz, is_all_day: true },
        normal: { due_at: d, due_timezone: tz, is_all_day: true },
      }
    }),
  )

  it.prop("rewrites every all-day read form as a bare date", [allDayReads], ([{ wire, normal }]) => {
    assert.deepStrictEqual(Result.getOrThrow(encode(read, Result.getOrThrow(decode(read, wire)))), normal)
  })

  it.prop("rewrites every timed read form as UTC with milliseconds", [minuteInstants, zones], ([at, tz]) => {
    const wire = {
      due_at: DateTime.formatIsoOffset(DateTime.makeZonedUnsafe(at, { timeZone: tz })),
      due_timezone: tz,
      is_all_day: false,
    }
    const normal = { due_at: DateTime.formatIso(at), due_timezone: tz, is_all_day: false }
    assert.deepStrictEqual(Result.getOrThrow(encode(read, Result.getOrThrow(decode(read, wire)))), normal)
  })
})
