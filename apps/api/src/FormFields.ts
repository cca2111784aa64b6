// A connection form's fields read from a vendor definition's JSON Schema (credentials or options): name, label, input
// type, required, secret, and the constraints the schema checks, so the console can render the form and say what a
// value must be before the API refuses it. Generic over any definition; nothing here knows a vendor.
import { Schema } from "effect"

export const FormField = Schema.Struct({
  name: Schema.String,
  /** The schema's title, else the name spelled as words. */
  label: Schema.String,
  /** `list` is a list of strings; `map` an object of string values by key; `json` anything else. */
  type: Schema.Literals(["string", "integer", "number", "boolean", "list", "map", "json"]),
  required: Schema.Boolean,
  /** Shown masked and never echoed back. */
  secret: Schema.Boolean,
  description: Schema.NullOr(Schema.String),
  constraints: Schema.Struct({
    minLength: Schema.optionalKey(Schema.Number),
    maxLength: Schema.optionalKey(Schema.Number),
    pattern: Schema.optionalKey(Schema.String),
    minimum: Schema.optionalKey(Schema.Number),
    maximum: Schema.optionalKey(Schema.Number),
    enum: Schema.optionalKey(Schema.Array(Schema.String)),
  }),
})
export type FormField = typeof FormField.Type

type Node = Readonly<Record<string, unknown>>
const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value)

/** `fullListingEveryHours` → "Full listing every hours". */
const words = (name: string) => {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

/** The node a value is checked by; an `anyOf` of a number and the non-finite spellings is a number. */
const main = (node: Node): Node => {
  const options = Array.isArray(node.anyOf) ? node.anyOf.filter(isNode) : []
  return options.find((o) => o.type === "number" || o.type === "integer") ?? options[0] ?? node
}

const typeOf = (node: Node): FormField["type"] => {
  switch (node.type) {
    case "string":
    case "integer":
    case "number":
    case "boolean":
      return node.type
    case "array":
      return isNode(node.items) && node.items.type === "string" ? "list" : "json"
    case "object":
      return "map"
    default:
      return "json"
  }
}

const numberAt = (node: Node, key: string) => (typeof node[key] === "number" ? { [key]: node[key] as number } : {})

/** The fields of an object JSON Schema, in its property order. */
export const formFields = (document: unknown, secretFields: ReadonlyArray<string>): Array<FormField> => {
  if (!isNode(document) || !isNode(document.properties)) return []
  const required = Array.isArray(document.required) ? document.required : []
  return Object.entries(document.properties).map(([name, raw]) => {
    const outer = isNode(raw) ? raw : {}
    const node = main(outer)
    const title = outer.title ?? node.title
    const description = outer.description ?? node.description
    const enumeration = Array.isArray(node.enum) ? node.enum.filter((v): v is string => typeof v === "string") : []
    return {
      name,
      label: typeof title === "string" ? title : words(name),
      type: enumeration.length > 0 ? "string" : typeOf(node),
      required: required.includes(name),
      secret: secretFields.includes(name),
      description: typeof description === "string" ? description : null,
      constraints: {
        ...numberAt(node, "minLength"),
        ...numberAt(node, "maxLength"),
        ...numberAt(node, "minimum"),
        ...numberAt(node, "maximum"),
        ...(typeof node.pattern === "string" ? { pattern: node.pattern } : {}),
        ...(enumeration.length > 0 ? { enum: enumeration } : {}),
      },
    }
  })
}
