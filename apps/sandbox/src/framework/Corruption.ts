// Payload-corruption faults: the emulator answers 200 with a body a client must refuse or survive — invalid JSON,
// JSON cut mid-way, valid JSON padded to many megabytes, or valid JSON whose field has the wrong type. Each mode
// rewrites the response the handler produced, so the request's effects happen and only the answer is broken.

export const CORRUPTION_KINDS = ["malformed", "truncated", "oversized", "wrongType"] as const
export type CorruptionKind = (typeof CORRUPTION_KINDS)[number]

export const MAX_OVERSIZED_BYTES = 256 * 1_048_576

export interface CorruptionRule {
  readonly kind: CorruptionKind
  readonly sizeBytes: number
  readonly field: string | null
}

/** A vendor's own wrong-type corruption of a response body (EmulatorDefinition.responses.wrongType). */
export type WrongType = (body: unknown) => unknown

/** The value a wrong-type field gets: a number for a string, a string for anything else. */
const retyped = (value: unknown): unknown => {
  if (typeof value === "string") return 12_345
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (value === null) return 0
  return "[corrupted]"
}

type Found = { readonly found: true; readonly value: unknown } | { readonly found: false }

/**
 * Depth-first in key order, replaces the first property named `field` (or, with no field, the first string value
 * anywhere) with a value of another type. Works on a JSON copy, so the emulator's state is never touched.
 */
const mutateFirst = (value: unknown, field: string | null): Found => {
  if (field === null && typeof value === "string") return { found: true, value: retyped(value) }
  if (typeof value !== "object" || value === null) return { found: false }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = mutateFirst(value[i], field)
      if (inner.found) return { found: true, value: value.map((item, j) => (j === i ? inner.value : item)) }
    }
    return { found: false }
  }
  const record = value as Record<string, unknown>
  for (const [key, item] of Object.entries(record)) {
    if (field !== null && key === field) return { found: true, value: { ...record, [key]: retyped(item) } }
    const inner = mutateFirst(item, field)
    if (inner.found) return { found: true, value: { ...record, [key]: inner.value } }
  }
  return { found: false }
}

/** Generic wrong type; a body with nothing to retype is wrapped in an array (still the wrong shape). */
export const wrongTypeOf = (body: unknown, field: string | null): unknown => {
  const result = mutateFirst(body === undefined ? null : JSON.parse(JSON.stringify(body)), field)
  return result.found ? result.value : [body ?? null]
}

/** A leading comma inside the outer bracket breaks every JSON parser, lenient or not. */
const malformed = (text: string): string =>
  text.startsWith("{") || text.startsWith("[") ? `${text[0]},${text.slice(1)}` : `{${text}`

/** JSON allows trailing whitespace, so the padded body still parses to the same value; only its size is wrong. */
const oversized = (text: string, sizeBytes: number): string => {
  const missing = sizeBytes - Buffer.byteLength(text, "utf8")
  return missing > 0 ? text + " ".repeat(missing) : text
}

/**
 * The corrupted body text for a response the handler produced. `vendorWrongType` is the emulator's own
 * corruption; a rule naming a `field` always uses the generic one, so tests can aim at one property.
 */
export const corruptBody = (rule: CorruptionRule, body: unknown, vendorWrongType?: WrongType): string => {
  const text = body === undefined ? "" : JSON.stringify(body)
  switch (rule.kind) {
    case "malformed":
      return malformed(text)
    case "truncated":
      return text.slice(0, Math.floor(text.length / 2))
    case "oversized":
      return oversized(text, rule.sizeBytes)
    case "wrongType": {
      const changed =
        rule.field === null && vendorWrongType !== undefined ? vendorWrongType(body) : wrongTypeOf(body, rule.field)
      return JSON.stringify(changed)
    }
  }
}
