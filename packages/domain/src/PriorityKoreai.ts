// Kore.ai case-management priorities: the per-organisation priority object, the score bands that place custom
// priorities on the canonical scale, and `koreaiPriorityCodec(catalog)`, which writes the org's own priority objects.
import { Order, Result, Schema } from "effect"
import { makePriorityCodec, type Priority, type PriorityCodec } from "./Priority.ts"

/**
 * A Kore.ai priority object as it appears on a task and in the org's priority list (vendor-docs README §3.4, §3.5):
 * `{_id:"pr-…", name:"Medium", lname, type:"system", desc, color:"#16A34A", isEnabled, isActive, score:10}`.
 * Keys not listed here are dropped on decode.
 */
export const KoreaiPriorityObject = Schema.Struct({
  _id: Schema.String,
  name: Schema.String,
  lname: Schema.optionalKey(Schema.String),
  type: Schema.Literals(["system", "custom"]),
  desc: Schema.optionalKey(Schema.NullOr(Schema.String)),
  color: Schema.optionalKey(Schema.String),
  isEnabled: Schema.optionalKey(Schema.Boolean),
  isActive: Schema.optionalKey(Schema.Boolean),
  // The admin UI calls it "Value" and allows 1-15.
  score: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 15 })),
})
export type KoreaiPriorityObject = typeof KoreaiPriorityObject.Type

/** System priorities map by (lower-cased) name, whatever score the org gives them. */
export const systemNames: ReadonlyMap<string, Priority> = new Map([
  ["low", "low"],
  ["medium", "normal"],
  ["high", "high"],
  ["critical", "urgent"],
])

/**
 * Score bands for custom priorities (and any system priority with an unknown name). [I] A higher score is more
 * urgent: the docs list priorities "sorted based on their assigned value" and suggest an "Emergency" above
 * "Critical", and the one sample (Medium = 10) suggests a grid of 5s. So 1-5 is low, 6-10 normal (Medium's 10 at its
 * top), 11-14 high and 15, the ceiling, is urgent. Kore.ai has nothing that means "no priority", so `none` has no band.
 */
export const scoreBands = [
  { level: "low", min: 1, max: 5 },
  { level: "normal", min: 6, max: 10 },
  { level: "high", min: 11, max: 14 },
  { level: "urgent", min: 15, max: 15 },
] as const satisfies ReadonlyArray<{ readonly level: Priority; readonly min: number; readonly max: number }>

const bandOf = (score: number) => scoreBands.find((band) => score >= band.min && score <= band.max) ?? scoreBands[1]

const systemLevel = (entry: KoreaiPriorityObject): Priority | undefined =>
  entry.type === "system" ? systemNames.get(entry.name.trim().toLowerCase()) : undefined

/** The canonical level of a Kore.ai priority object: system name first, else its score band. */
export const levelOf = (entry: KoreaiPriorityObject): Priority => systemLevel(entry) ?? bandOf(entry.score).level

/** Inactive priorities "cannot be used anywhere else" (§3.5), so only enabled, active entries are ever written. */
export const isUsable = (entry: KoreaiPriorityObject): boolean => entry.isEnabled !== false && entry.isActive !== false

// Within a band prefer the score nearest the band's middle, then the lower score, then the id, so the choice is
// deterministic whatever order the org's list arrives in.
const byPreference = (level: Priority) => {
  const band = scoreBands.find((b) => b.level === level) ?? scoreBands[1]
  const middle = (band.min + band.max) / 2
  return Order.combineAll<KoreaiPriorityObject>([
    Order.mapInput(Order.Boolean, (entry) => systemLevel(entry) !== level),
    Order.mapInput(Order.Number, (entry) => Math.abs(entry.score - middle)),
    Order.mapInput(Order.Number, (entry) => entry.score),
    Order.mapInput(Order.String, (entry) => entry._id),
  ])
}

/** The catalog entry written for `level`: enabled, mapping back to `level`, system name first, else nearest band. */
export const entryFor = (
  catalog: ReadonlyArray<KoreaiPriorityObject>,
  level: Priority,
): KoreaiPriorityObject | undefined =>
  catalog
    .filter((entry) => isUsable(entry) && levelOf(entry) === level)
    .sort(byPreference(level))
    .at(0)

/**
 * The codec for one Kore.ai organisation. Decoding needs only the object on the task (it carries name, type and
 * score); encoding picks from `catalog`, the org's priority list, and fails when the org has no usable priority for
 * the level. `levels` is therefore per organisation.
 */
export const koreaiPriorityCodec = (
  catalog: ReadonlyArray<KoreaiPriorityObject>,
): PriorityCodec<typeof KoreaiPriorityObject.Encoded> =>
  makePriorityCodec({
    vendor: "Kore.ai",
    wire: KoreaiPriorityObject,
    decode: levelOf,
    encode: (level) => {
      const entry = entryFor(catalog, level)
      if (entry !== undefined) return Result.succeed(entry)
      return Result.fail(
        level === "none"
          ? "Kore.ai has no empty priority; every priority object is a level"
          : `this organisation has no enabled, active priority for it (system "${nameOf(level)}" or a custom score ${bandText(level)})`,
      )
    },
  })

const nameOf = (level: Priority): string => [...systemNames].find(([, mapped]) => mapped === level)?.[0] ?? level

const bandText = (level: Priority): string => {
  const band = scoreBands.find((b) => b.level === level)
  return band === undefined ? "" : band.min === band.max ? `of ${band.min}` : `in ${band.min}-${band.max}`
}
