// Canonical task priority: the five-level scale every vendor maps onto, its ordering, the `PriorityCodec` shape each
// vendor form implements, and the fixed-scale vendors (Vambe, Spry) plus the vendors without priority (Candid,
// CareValidate). Kore.ai's per-organisation catalog lives in PriorityKoreai.ts.
import { Effect, Order, Result, Schema, type SchemaAST, SchemaIssue, SchemaTransformation } from "effect"

/** Every canonical level, least urgent first; the index is the rank used for ordering. */
export const levels = ["none", "low", "normal", "high", "urgent"] as const

export const Priority = Schema.Literals(levels)
export type Priority = typeof Priority.Type

/** 0 for `none` up to 4 for `urgent`, so "more urgent" is "greater". */
export const rank = (priority: Priority): number => levels.indexOf(priority)

/** Orders priorities from least to most urgent. */
export const PriorityOrder: Order.Order<Priority> = Order.mapInput(Order.Number, rank)

/** The more urgent of two priorities (the first on a tie). */
export const mostUrgent = (self: Priority, that: Priority): Priority => (rank(that) > rank(self) ? that : self)

/**
 * One vendor's priority form. `levels` lists the canonical levels the vendor can hold (least urgent first) so patch
 * validation can reject the others up front; `codec` decodes the vendor's wire value and encodes a canonical level,
 * failing with a Schema issue that names the vendor and rule when the level is not in `levels`.
 */
export interface PriorityCodec<W> {
  readonly vendor: string
  readonly levels: ReadonlyArray<Priority>
  readonly codec: Schema.Codec<Priority, W>
}

/** A vendor whose work item has no priority field at all: nothing to decode, nothing to write. */
export interface NoPriority {
  readonly vendor: string
  readonly levels: readonly []
}

/** True when `vendor` can hold `priority`; use before accepting a patch. */
export const canHold = (vendor: { readonly levels: ReadonlyArray<Priority> }, priority: Priority): boolean =>
  vendor.levels.includes(priority)

/** Decodes a vendor wire value into a canonical priority. */
export const toPriority = <W>(vendor: PriorityCodec<W>) => Schema.decodeUnknownEffect(vendor.codec)

/** Encodes a canonical priority into the vendor's write form. */
export const fromPriority = <W>(vendor: PriorityCodec<W>) => Schema.encodeEffect(vendor.codec)

/** The issue every codec raises for a level the vendor cannot hold: names the vendor, the level and the rule. */
export const unrepresentable = (
  vendor: string,
  priority: Priority,
  rule: string,
  options: SchemaAST.ParseOptions,
): SchemaIssue.Issue =>
  new SchemaIssue.InvalidValue({ message: `${vendor} cannot hold priority "${priority}": ${rule}` }, priority, options)

/**
 * Builds a codec from a total decode and an encode that may refuse with a rule. `levels` is derived from the encoder,
 * so the capability list and the codec cannot disagree.
 */
export const makePriorityCodec = <W, E>(options: {
  readonly vendor: string
  readonly wire: Schema.Codec<W, E>
  readonly decode: (wire: W) => Priority
  readonly encode: (priority: Priority) => Result.Result<W, string>
}): PriorityCodec<E> => ({
  vendor: options.vendor,
  levels: levels.filter((level) => Result.isSuccess(options.encode(level))),
  codec: options.wire.pipe(
    Schema.decodeTo(
      Priority,
      SchemaTransformation.transformEffect({
        decode: (wire: W) => Effect.succeed(options.decode(wire)),
        encode: (priority: Priority, parseOptions) => {
          const encoded = options.encode(priority)
          return Result.isSuccess(encoded)
            ? Effect.succeed(encoded.success)
            : Effect.fail(unrepresentable(options.vendor, priority, encoded.failure, parseOptions))
        },
      }),
    ),
  ),
})

// --- Vambe: three steps, read in three spellings ---------------------------------------------------------------

/**
 * Vambe priority as read: the update doc returns an integer, the get-tasks page a word, and requests use numeric
 * strings (vendor-docs README §2.5). The docs disagree, so reading accepts all three spellings of the same steps.
 */
export const VambePriorityWire = Schema.Union([
  Schema.Literals([0, 1, 2]),
  Schema.Literals(["0", "1", "2"]),
  Schema.Literals(["low", "medium", "high"]),
])
export type VambePriorityWire = typeof VambePriorityWire.Type

const vambeScale = `Vambe's scale has only low, medium and high ("0", "1", "2")`

export const vambe: PriorityCodec<VambePriorityWire> = makePriorityCodec({
  vendor: "Vambe",
  wire: VambePriorityWire,
  decode: (wire) => {
    switch (wire) {
      case 0:
      case "0":
      case "low":
        return "low"
      case 1:
      case "1":
      case "medium":
        return "normal"
      case 2:
      case "2":
      case "high":
        return "high"
    }
  },
  // Writes always use the numeric string: it is the only spelling the create and update endpoints document.
  // `none` and `urgent` fail rather than clamp, because clamping would silently rewrite the task on the next read.
  encode: (priority): Result.Result<VambePriorityWire, string> => {
    switch (priority) {
      case "low":
        return Result.succeed("0")
      case "normal":
        return Result.succeed("1")
      case "high":
        return Result.succeed("2")
      default:
        return Result.fail(vambeScale)
    }
  },
})

// --- Spry: 1-5, 1 most urgent ------------------------------------------------------------------------------------

/** Spry waitlist-request priority: an integer 1-5 where 1 is the highest (vendor-docs README §4.4, §4.8). */
export const SpryPriorityWire = Schema.Literals([1, 2, 3, 4, 5])
export type SpryPriorityWire = typeof SpryPriorityWire.Type

// Five vendor steps onto five canonical levels, order reversed: a bijection, so both round trips are lossless.
// 5 is `none` rather than a second `low` because merging 4 and 5 would lose a step; the lowest Spry step is the
// "whenever a slot frees up" end of a waitlist, which is what `none` (no particular urgency) means canonically.
// Spry's default of 3 lands on `normal`, which is where a task without an explicit priority sits elsewhere.
const spryToLevel = { 1: "urgent", 2: "high", 3: "normal", 4: "low", 5: "none" } as const
const levelToSpry = { urgent: 1, high: 2, normal: 3, low: 4, none: 5 } as const

export const spry: PriorityCodec<SpryPriorityWire> = makePriorityCodec({
  vendor: "Spry",
  wire: SpryPriorityWire,
  decode: (wire) => spryToLevel[wire],
  encode: (priority) => Result.succeed(levelToSpry[priority]),
})

// --- Vendors without priority --------------------------------------------------------------------------------------

/** Candid Tasks V3 have no priority concept (vendor-docs README §1.6): nothing to map, nothing to write. */
export const candid: NoPriority = { vendor: "Candid", levels: [] }

/** CareValidate escalations have no priority (§5.4); `type`/`title` act as a category instead. */
export const careValidate: NoPriority = { vendor: "CareValidate", levels: [] }
