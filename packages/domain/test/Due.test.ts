// Due: the canonical union's own rules, and the zone-less instant vendors (Kore.ai, CareValidate). Spry's window
// and Vambe's local-time forms have their own files.
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, DateTime, Effect, Result, Schema } from "effect"
import { Due, fromDue, IanaZone, none, PlainDate, toDue, withoutZone } from "../src/Due.ts"
import * as CareValidate from "../src/DueCareValidate.ts"
import * as Koreai from "../src/DueKoreai.ts"
import { date, decode, encode, message, same, utc, writesBackOrRefuses, zone } from "./DueSupport.ts"

const FourDigitYears = Schema.DateTimeUtc.check(
  Schema.makeIsBetween({ order: DateTime.Order })({
    minimum: utc("0000-01-01T00:00:00.000Z"),
    maximum: utc("9999-12-31T23:59:59.999Z"),
  }),
)
const zoneless = Arbitrary.schema(FourDigitYears).pipe(Arbitrary.map((at): Due => ({ _tag: "Instant", at })))

describe("canonical due", () => {
  it("accepts IANA zone names and rejects offsets, abbreviations it does not know and made-up zones", () => {
    for (const name of ["America/Santiago", "UTC", "Asia/Kolkata", "America/Argentina/Buenos_Aires"]) {
      assert.strictEqual(zone(name), name)
    }
    for (const bad of ["+03:00", "-0500", "Z", "Mars/Olympus_Mons", "", "America/Santiago "]) {
      assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(IanaZone)(bad)), bad)
    }
  })

  it("accepts calendar dates only", () => {
    assert.strictEqual(date("2024-02-29"), "2024-02-29")
    for (const bad of ["2025-02-29", "2025-04-31", "2025-13-01", "2025-6-1", "2025-06-15T00:00:00Z", "12025-01-01"]) {
      assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(PlainDate)(bad)), bad)
    }
  })

  it("rejects a window that ends before it starts", () => {
    const result = Schema.decodeUnknownResult(Due)({
      _tag: "Window",
      start: "2025-06-02",
      end: "2025-06-01",
      zone: "UTC",
    })
    assert.include(message(result), "a window cannot end before it starts")
    assert.isTrue(
      Result.isSuccess(
        Schema.decodeUnknownResult(Due)({ _tag: "Window", start: "2025-06-01", end: "2025-06-01", zone: "UTC" }),
      ),
    )
  })

  it("drops a zone only when asked", () => {
    const zoned: Due = { _tag: "Instant", at: utc("2025-06-15T09:00:00Z"), zone: zone("Europe/Berlin") }
    assert.isTrue(same(withoutZone(zoned), { _tag: "Instant", at: utc("2025-06-15T09:00:00Z") }))
    assert.isTrue(
      same(withoutZone({ _tag: "AllDay", date: date("2025-06-15"), zone: zone("UTC") }), {
        _tag: "AllDay",
        date: date("2025-06-15"),
      }),
    )
    assert.isTrue(same(withoutZone(none), none))
  })
})

describe("Kore.ai due", () => {
  it("reads epoch milliseconds as an instant and null as no due", () => {
    assert.isTrue(
      same(Result.getOrThrow(decode(Koreai.codec, 1_750_000_000_000)), {
        _tag: "Instant",
        at: utc("2025-06-15T15:06:40.000Z"),
      }),
    )
    assert.isTrue(same(Result.getOrThrow(decode(Koreai.codec, null)), none))
    for (const bad of ["1750000000000", 1.5, 9e15]) assert.isTrue(Result.isFailure(decode(Koreai.codec, bad)))
  })

  it("refuses zoned instants, all-day dates and windows, naming Kore.ai and the rule", () => {
    const berlin = encode(Koreai.codec, {
      _tag: "Instant",
      at: utc("2025-06-15T09:00:00Z"),
      zone: zone("Europe/Berlin"),
    })
    assert.include(
      message(berlin),
      'Kore.ai cannot hold this Instant due: dueDate is epoch milliseconds and cannot carry the zone "Europe/Berlin"',
    )
    assert.include(
      message(encode(Koreai.codec, { _tag: "AllDay", date: date("2025-06-15") })),
      "Kore.ai cannot hold this AllDay due",
    )
    assert.deepStrictEqual(Koreai.codec.forms, ["None", "Instant"])
  })

  it.effect("reads and writes through the effectful toDue/fromDue helpers", () =>
    Effect.gen(function* () {
      const due = yield* Koreai.toDue(1_750_000_000_000)
      assert.strictEqual(yield* Koreai.fromDue(due), 1_750_000_000_000)
      assert.strictEqual(yield* fromDue(Koreai.codec)(yield* toDue(Koreai.codec)(null)), null)
      const refused = yield* Effect.flip(Koreai.fromDue({ _tag: "AllDay", date: date("2025-06-15") }))
      assert.include(refused.message, "Kore.ai cannot hold this AllDay due")
    }),
  )

  it.prop(
    "writes back every epoch-millisecond value unchanged",
    [Schema.NullOr(Schema.Int.check(Schema.isBetween({ minimum: -8.64e15, maximum: 8.64e15 })))],
    ([wire]) => {
      assert.strictEqual(Result.getOrThrow(encode(Koreai.codec, Result.getOrThrow(decode(Koreai.codec, wire)))), wire)
    },
  )

  it.prop(
    "round-trips every zone-less instant and refuses every other due with its rule",
    [Due, zoneless],
    ([due, instant]) => {
      writesBackOrRefuses(Koreai.codec, due)
      assert.isTrue(writesBackOrRefuses(Koreai.codec, instant))
    },
  )
})

describe("CareValidate due", () => {
  it("reads followUpDueAt in any offset and writes it back in UTC with milliseconds", () => {
    const due = Result.getOrThrow(decode(CareValidate.codec, "2025-06-15T11:00:00+02:00"))
    assert.isTrue(same(due, { _tag: "Instant", at: utc("2025-06-15T09:00:00.000Z") }))
    assert.strictEqual(Result.getOrThrow(encode(CareValidate.codec, due)), "2025-06-15T09:00:00.000Z")
    assert.isNull(Result.getOrThrow(encode(CareValidate.codec, Result.getOrThrow(decode(CareValidate.codec, null)))))
  })

  it("rejects a date without time and a time without offset", () => {
    for (const bad of ["2025-06-15", "2025-06-15T09:00:00", "June 15 2025", 1_750_000_000_000]) {
      assert.isTrue(Result.isFailure(decode(CareValidate.codec, bad)), String(bad))
    }
  })

  it("refuses zoned instants and instants beyond year 9999, naming CareValidate", () => {
    const zoned = encode(CareValidate.codec, { _tag: "Instant", at: utc("2025-06-15T09:00:00Z"), zone: zone("UTC") })
    assert.include(
      message(zoned),
      'CareValidate cannot hold this Instant due: followUpDueAt is a UTC instant and cannot carry the zone "UTC"',
    )
    const far = encode(CareValidate.codec, { _tag: "Instant", at: DateTime.makeUnsafe(8.64e15) })
    assert.include(message(far), "four-digit year")
  })

  it.prop(
    "rewrites every ISO instant as UTC with milliseconds",
    [Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 7.3e12 })), IanaZone],
    ([ms, tz]) => {
      const wire = DateTime.formatIsoOffset(DateTime.makeZonedUnsafe(ms, { timeZone: tz }))
      const written = Result.getOrThrow(encode(CareValidate.codec, Result.getOrThrow(decode(CareValidate.codec, wire))))
      assert.strictEqual(written, new Date(ms).toISOString())
    },
  )

  it.prop(
    "round-trips every zone-less instant with a four-digit year and refuses the rest",
    [Due, zoneless],
    ([due, instant]) => {
      writesBackOrRefuses(CareValidate.codec, due)
      assert.isTrue(writesBackOrRefuses(CareValidate.codec, instant))
    },
  )
})
