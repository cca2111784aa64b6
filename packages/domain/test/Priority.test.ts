// Priority: the canonical scale and its ordering, Vambe's and Spry's fixed scales, Kore.ai's per-org catalog, and the
// vendors without priority. Tables pin every vendor value; properties prove both round trips.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import {
  candid,
  canHold,
  careValidate,
  fromPriority,
  levels,
  mostUrgent,
  Priority,
  type PriorityCodec,
  PriorityOrder,
  rank,
  spry,
  toPriority,
  VambePriorityWire,
  vambe,
} from "../src/Priority.ts"

const decode = <W>(vendor: PriorityCodec<W>, wire: unknown) => Schema.decodeUnknownResult(vendor.codec)(wire)
const encode = <W>(vendor: PriorityCodec<W>, level: Priority) => Schema.encodeResult(vendor.codec)(level)
const failureMessage = <A>(result: Result.Result<A, Schema.SchemaError>): string =>
  Result.isFailure(result) ? result.failure.message : assert.fail(`expected a failure, got ${String(result.success)}`)

describe("canonical priority", () => {
  it("orders levels from none to urgent", () => {
    assert.deepStrictEqual([...levels].reverse().sort(PriorityOrder), ["none", "low", "normal", "high", "urgent"])
    assert.strictEqual(rank("urgent"), 4)
    assert.strictEqual(mostUrgent("low", "high"), "high")
    assert.strictEqual(mostUrgent("urgent", "none"), "urgent")
  })

  it("rejects a level outside the scale", () => {
    assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(Priority)("critical")))
  })
})

describe("Vambe priority", () => {
  const table: ReadonlyArray<readonly [VambePriorityWire, Priority, VambePriorityWire]> = [
    [0, "low", "0"],
    [1, "normal", "1"],
    [2, "high", "2"],
    ["0", "low", "0"],
    ["1", "normal", "1"],
    ["2", "high", "2"],
    ["low", "low", "0"],
    ["medium", "normal", "1"],
    ["high", "high", "2"],
  ]

  it("reads Vambe's integer, numeric-string and word priorities alike", () => {
    for (const [wire, level] of table)
      assert.strictEqual(Result.getOrUndefined(decode(vambe, wire)), level, String(wire))
  })

  it('writes low, normal and high as the strings "0", "1" and "2"', () => {
    assert.deepStrictEqual(
      (["low", "normal", "high"] as const).map((level) => Result.getOrUndefined(encode(vambe, level))),
      ["0", "1", "2"],
    )
  })

  it("refuses to write none or urgent instead of clamping them", () => {
    for (const level of ["none", "urgent"] as const) {
      const message = failureMessage(encode(vambe, level))
      assert.include(message, `Vambe cannot hold priority "${level}"`)
      assert.include(message, "only low, medium and high")
    }
    assert.isFalse(canHold(vambe, "urgent"))
    assert.deepStrictEqual(vambe.levels, ["low", "normal", "high"])
  })

  it("rejects values outside Vambe's three steps", () => {
    for (const wire of [3, -1, "3", "urgent", "Low", null, 1.5]) assert.isTrue(Result.isFailure(decode(vambe, wire)))
  })

  it.prop("rewrites every Vambe wire value as its numeric string", [VambePriorityWire], ([wire]) => {
    const normalised = table.find(([w]) => w === wire)?.[2]
    const level = Result.getOrThrow(decode(vambe, wire))
    assert.strictEqual(Result.getOrThrow(encode(vambe, level)), normalised)
  })

  it.prop("round-trips every level Vambe can hold and names the rule for the rest", [Priority], ([level]) => {
    const written = encode(vambe, level)
    if (canHold(vambe, level)) {
      assert.strictEqual(Result.getOrThrow(decode(vambe, Result.getOrThrow(written))), level)
    } else {
      assert.include(failureMessage(written), "Vambe's scale")
    }
  })

  it.effect("exposes effectful helpers that fail in the error channel", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* toPriority(vambe)("medium"), "normal")
      assert.strictEqual(yield* fromPriority(vambe)("high"), "2")
      const refused = yield* Effect.flip(fromPriority(vambe)("none"))
      assert.include(refused.message, "Vambe")
    }),
  )
})

describe("Spry priority", () => {
  const table = [
    [1, "urgent"],
    [2, "high"],
    [3, "normal"],
    [4, "low"],
    [5, "none"],
  ] as const

  it("maps 1 (highest) to urgent down to 5 to none, both ways", () => {
    for (const [wire, level] of table) {
      assert.strictEqual(Result.getOrUndefined(decode(spry, wire)), level)
      assert.strictEqual(Result.getOrUndefined(encode(spry, level)), wire)
    }
    assert.deepStrictEqual(spry.levels, levels)
  })

  it("rejects priorities outside 1-5 and numeric strings", () => {
    for (const wire of [0, 6, "1", 2.5]) assert.isTrue(Result.isFailure(decode(spry, wire)))
  })

  it.prop(
    "round-trips every Spry value and every canonical level",
    [Schema.Literals([1, 2, 3, 4, 5]), Priority],
    ([wire, level]) => {
      assert.strictEqual(Result.getOrThrow(encode(spry, Result.getOrThrow(decode(spry, wire)))), wire)
      assert.strictEqual(Result.getOrThrow(decode(spry, Result.getOrThrow(encode(spry, level)))), level)
    },
  )

  it.prop("keeps Spry's order reversed: a lower number is never less urgent", [Priority, Priority], ([a, b]) => {
    const [wa, wb] = [Result.getOrThrow(encode(spry, a)), Result.getOrThrow(encode(spry, b))]
    assert.strictEqual(Math.sign(wb - wa), Math.sign(rank(a) - rank(b)))
  })
})

describe("vendors without priority", () => {
  it("declares that Candid and CareValidate hold no priority level", () => {
    assert.deepStrictEqual(candid.levels, [])
    assert.deepStrictEqual(careValidate.levels, [])
    assert.isFalse(levels.some((level) => canHold(candid, level) || canHold(careValidate, level)))
  })
})
