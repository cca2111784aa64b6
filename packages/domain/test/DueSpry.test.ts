// Spry due: the waitlist request's date range as a Window in the clinic's zone, which the caller supplies.
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Result } from "effect"
import { Due, fromDue, none, PlainDate, toDue } from "../src/Due.ts"
import * as Spry from "../src/DueSpry.ts"
import { date, decode, encode, message, same, writesBackOrRefuses, zone } from "./DueSupport.ts"

describe("Spry due", () => {
  const chicago = zone("America/Chicago")
  const clinic = Spry.codec(chicago)
  const wire = { date_range_start: "2026-05-20", date_range_end: "2026-06-30" }

  it("reads the date range as a window in the clinic's zone and writes it back", () => {
    const due = Result.getOrThrow(decode(clinic, wire))
    assert.isTrue(same(due, { _tag: "Window", start: date("2026-05-20"), end: date("2026-06-30"), zone: chicago }))
    assert.deepStrictEqual(Result.getOrThrow(encode(clinic, due)), wire)
  })

  it("rejects a range that ends before it starts", () => {
    assert.include(
      message(decode(clinic, { date_range_start: "2026-06-30", date_range_end: "2026-05-20" })),
      "cannot end before",
    )
  })

  it("refuses windows in another zone, single dates, instants and clearing, naming Spry", () => {
    const elsewhere = encode(clinic, {
      _tag: "Window",
      start: date("2026-05-20"),
      end: date("2026-05-21"),
      zone: zone("UTC"),
    })
    assert.include(
      message(elsewhere),
      "Spry cannot hold this Window due: its dates are in the clinic's zone America/Chicago",
    )
    assert.include(message(encode(clinic, none)), "cannot clear it")
    assert.include(message(encode(clinic, { _tag: "AllDay", date: date("2026-05-20") })), "only a date window")
    assert.deepStrictEqual(clinic.forms, ["Window"])
  })

  const ranges = Arbitrary.all([Arbitrary.schema(PlainDate), Arbitrary.schema(PlainDate)]).pipe(
    Arbitrary.map(([a, b]) =>
      a <= b ? { date_range_start: a, date_range_end: b } : { date_range_start: b, date_range_end: a },
    ),
  )

  it.prop("writes back every valid date range unchanged", [ranges], ([range]) => {
    assert.deepStrictEqual(Result.getOrThrow(encode(clinic, Result.getOrThrow(decode(clinic, range)))), range)
  })

  it.prop(
    "round-trips every window in the clinic's zone and refuses every other due",
    [Due, ranges],
    ([due, range]) => {
      writesBackOrRefuses(clinic, due)
      assert.isTrue(
        writesBackOrRefuses(clinic, {
          _tag: "Window",
          start: range.date_range_start,
          end: range.date_range_end,
          zone: chicago,
        }),
      )
    },
  )

  it.effect("exposes toDue/fromDue for adapters", () =>
    Effect.gen(function* () {
      const due = yield* Spry.toDue(chicago)(wire)
      assert.deepStrictEqual(yield* Spry.fromDue(chicago)(due), wire)
      assert.deepStrictEqual(yield* fromDue(clinic)(yield* toDue(clinic)(wire)), wire)
    }),
  )
})
