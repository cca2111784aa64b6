// Kore.ai priority: system priorities by name, custom ones by score band, and writing only the org's own usable
// priority objects. Properties run over generated catalogs.
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Result, Schema } from "effect"
import { levels, Priority } from "../src/Priority.ts"
import { KoreaiPriorityObject, koreaiPriorityCodec, scoreBands } from "../src/PriorityKoreai.ts"

const catalogOf = Schema.decodeUnknownSync(Schema.Array(KoreaiPriorityObject))

// The docs' sample (Medium, score 10) plus the other system priorities and two custom ones.
const catalog = catalogOf([
  { _id: "pr-low", name: "Low", lname: "low", type: "system", score: 5, isEnabled: true, isActive: true },
  { _id: "pr-med", name: "Medium", lname: "medium", type: "system", desc: "", color: "#16A34A", score: 10 },
  { _id: "pr-high", name: "High", type: "system", score: 13, isActive: false },
  { _id: "pr-crit", name: "Critical", type: "system", score: 15, isEnabled: false },
  { _id: "pr-elev", name: "Elevated", type: "custom", score: 12 },
  { _id: "pr-raised", name: "Raised", type: "custom", score: 14 },
  { _id: "pr-routine", name: "Routine", type: "custom", score: 9 },
])
const org = koreaiPriorityCodec(catalog)
const decode = (wire: unknown) => Schema.decodeUnknownResult(org.codec)(wire)
const encode = (level: Priority) => Schema.encodeResult(org.codec)(level)

describe("Kore.ai priority", () => {
  it("reads system priorities by name, whatever their score", () => {
    const named = catalogOf([
      { _id: "a", name: "Low", type: "system", score: 14 },
      { _id: "b", name: "medium", type: "system", score: 1 },
      { _id: "c", name: "High", type: "system", score: 2 },
      { _id: "d", name: "Critical", type: "system", score: 3 },
    ])
    assert.deepStrictEqual(
      named.map((entry) => Result.getOrUndefined(decode(entry))),
      ["low", "normal", "high", "urgent"],
    )
  })

  it("places custom priorities by score band: 1-5 low, 6-10 normal, 11-14 high, 15 urgent", () => {
    const expected: Array<Priority> = ["low", "low", "low", "low", "low", "normal", "normal", "normal", "normal"]
    expected.push("normal", "high", "high", "high", "high", "urgent")
    const read = expected.map((_, i) => decode({ _id: `c${i}`, name: "Custom", type: "custom", score: i + 1 }))
    assert.deepStrictEqual(read.map(Result.getOrUndefined), expected)
    // A system priority with a name Kore.ai did not ship also falls back to its band.
    assert.strictEqual(
      Result.getOrUndefined(decode({ _id: "x", name: "Emergency", type: "system", score: 15 })),
      "urgent",
    )
  })

  it("rejects priority objects with a score outside 1-15 or an unknown type", () => {
    for (const wire of [
      { _id: "x", name: "Low", type: "system", score: 0 },
      { _id: "x", name: "Low", type: "system", score: 16 },
      { _id: "x", name: "Low", type: "system", score: 2.5 },
      { _id: "x", name: "Low", type: "builtin", score: 5 },
      { name: "Low", type: "system", score: 5 },
    ]) {
      assert.isTrue(Result.isFailure(decode(wire)), JSON.stringify(wire))
    }
  })

  it("writes the org's system priority for a level before any custom one", () => {
    assert.strictEqual(Result.getOrThrow(encode("low"))._id, "pr-low")
    assert.strictEqual(Result.getOrThrow(encode("normal"))._id, "pr-med")
    assert.deepStrictEqual(Result.getOrThrow(encode("normal")), catalog[1])
  })

  it("falls back to the enabled custom priority nearest the band's middle when the system one is inactive", () => {
    // High (13) is inactive; Elevated (12) and Raised (14) are equally near 12.5, so the lower score wins.
    assert.strictEqual(Result.getOrThrow(encode("high"))._id, "pr-elev")
  })

  it("refuses a level the org has no usable priority for, and none always", () => {
    // Critical is disabled and no custom priority scores 15.
    const urgent = encode("urgent")
    assert.isTrue(Result.isFailure(urgent))
    if (Result.isFailure(urgent)) assert.include(urgent.failure.message, 'Kore.ai cannot hold priority "urgent"')
    const none = encode("none")
    if (Result.isFailure(none)) assert.include(none.failure.message, "no empty priority")
    else assert.fail("none must not be written to Kore.ai")
    assert.deepStrictEqual(org.levels, ["low", "normal", "high"])
  })
})

// Catalogs that mix system names, custom names, every score and enabled/disabled flags.
const entry = Arbitrary.all({
  id: Arbitrary.schema(Schema.Literals(["pr-1", "pr-2", "pr-3", "pr-4", "pr-5", "pr-6"])),
  name: Arbitrary.schema(Schema.Literals(["Low", "Medium", "High", "Critical", "Emergency", "Routine"])),
  type: Arbitrary.schema(Schema.Literals(["system", "custom"])),
  score: Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 15 }))),
  isEnabled: Arbitrary.schema(Schema.Boolean),
  isActive: Arbitrary.schema(Schema.UndefinedOr(Schema.Boolean)),
}).pipe(
  Arbitrary.map(
    ({ id, isActive, ...rest }): KoreaiPriorityObject => ({
      _id: id,
      ...rest,
      ...(isActive === undefined ? {} : { isActive }),
    }),
  ),
)
const catalogs = Arbitrary.array(entry, { minLength: 1, maxLength: 8 })
const usable = (e: KoreaiPriorityObject) => e.isEnabled !== false && e.isActive !== false
// Encoding copies the object, so membership is by value.
const sameEntry = Schema.toEquivalence(KoreaiPriorityObject)

describe("Kore.ai priority properties", () => {
  it.prop(
    "round-trips every level an org can hold and names Kore.ai for the rest",
    [catalogs, Priority],
    ([cat, level]) => {
      const codec = koreaiPriorityCodec(cat).codec
      const written = Schema.encodeResult(codec)(level)
      const holders = cat.filter((e) => usable(e) && Result.getOrUndefined(Schema.decodeResult(codec)(e)) === level)
      if (Result.isSuccess(written)) {
        assert.isTrue(cat.some((e) => sameEntry(e, written.success)) && usable(written.success))
        assert.strictEqual(Result.getOrThrow(Schema.decodeResult(codec)(written.success)), level)
      } else {
        assert.lengthOf(holders, 0)
        assert.include(written.failure.message, `Kore.ai cannot hold priority "${level}"`)
      }
      assert.strictEqual(koreaiPriorityCodec(cat).levels.includes(level), holders.length > 0)
    },
  )

  it.prop("rewrites every catalog entry as the org's preferred entry for its level", [catalogs], ([cat]) => {
    const codec = koreaiPriorityCodec(cat).codec
    for (const wire of cat) {
      const level = Result.getOrThrow(Schema.decodeResult(codec)(wire))
      const normal = Schema.encodeResult(codec)(level)
      if (Result.isFailure(normal)) {
        assert.isFalse(usable(wire))
        continue
      }
      assert.strictEqual(Result.getOrThrow(Schema.decodeResult(codec)(normal.success)), level)
      // The normal form is a fixed point: writing what it reads back gives the same object.
      const again = Schema.encodeResult(codec)(Result.getOrThrow(Schema.decodeResult(codec)(normal.success)))
      assert.deepStrictEqual(Result.getOrThrow(again), normal.success)
    }
  })

  it("covers the whole 1-15 range with bands that do not overlap", () => {
    const covered = scoreBands.flatMap((band) =>
      Array.from({ length: band.max - band.min + 1 }, (_, i) => band.min + i),
    )
    assert.deepStrictEqual(
      covered,
      Array.from({ length: 15 }, (_, i) => i + 1),
    )
    assert.deepStrictEqual(
      scoreBands.map((band) => band.level),
      levels.filter((level) => level !== "none"),
    )
  })
})
