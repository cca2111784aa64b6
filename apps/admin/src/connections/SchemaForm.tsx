// A form rendered from a JSON Schema document (what `vendors.list` gives for a vendor's credentials and options):
// one input per property — text (masked when secret), number with its bounds, a list, or JSON — labelled with the
// property's title, described by its description, and validated by the schema's own rules before anything is sent.
import { NumberInput, PasswordInput, Stack, TagsInput, Textarea, TextInput } from "@mantine/core"

export interface JsonSchema {
  readonly type?: string
  readonly title?: string
  readonly description?: string
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly minLength?: number
  readonly maxLength?: number
  readonly minimum?: number
  readonly maximum?: number
  readonly items?: JsonSchema
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly enum?: ReadonlyArray<unknown>
}

export type Values = Record<string, unknown>

const kindOf = (s: JsonSchema): "string" | "number" | "list" | "json" => {
  if (s.type === "string") return "string"
  if (s.type === "integer" || s.type === "number") return "number"
  if (s.anyOf?.some((a) => a.type === "number" || a.type === "integer")) return "number"
  if (s.type === "array") return "list"
  return "json"
}

const label = (key: string, s: JsonSchema) => s.title ?? key

/** Every rule the values break, by property: the schema's required, length and bound rules, and JSON syntax. */
export const validate = (schema: JsonSchema, values: Values): Record<string, string> => {
  const errors: Record<string, string> = {}
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const value = values[key]
    const name = label(key, s)
    const empty = value === undefined || value === "" || (Array.isArray(value) && value.length === 0)
    if (empty) {
      if (schema.required?.includes(key)) errors[key] = `${name} is required`
      continue
    }
    if (typeof value === "string" && kindOf(s) === "string") {
      if (s.minLength !== undefined && value.length < s.minLength)
        errors[key] = `${name} must have at least ${s.minLength} character${s.minLength === 1 ? "" : "s"}`
      if (s.maxLength !== undefined && value.length > s.maxLength)
        errors[key] = `${name} must have at most ${s.maxLength} characters`
    }
    if (typeof value === "number") {
      if (s.type === "integer" && !Number.isInteger(value)) errors[key] = `${name} must be a whole number`
      if (s.minimum !== undefined && value < s.minimum) errors[key] = `${name} must be at least ${s.minimum}`
      if (s.maximum !== undefined && value > s.maximum) errors[key] = `${name} must be at most ${s.maximum}`
    }
    if (kindOf(s) === "json" && typeof value === "string") {
      try {
        JSON.parse(value)
      } catch {
        errors[key] = `${name} must be JSON, e.g. {"clinic-1": "America/New_York"}`
      }
    }
  }
  return errors
}

/** The values as the API takes them: empty inputs left out, JSON inputs parsed. */
export const toSettings = (schema: JsonSchema, values: Values): Values => {
  const out: Values = {}
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const value = values[key]
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) continue
    out[key] = kindOf(s) === "json" && typeof value === "string" ? JSON.parse(value) : value
  }
  return out
}

export const SchemaForm = ({
  schema,
  secret,
  values,
  errors,
  onChange,
  idPrefix,
  descriptions = {},
}: {
  readonly schema: JsonSchema
  readonly secret: ReadonlyArray<string>
  readonly values: Values
  readonly errors: Readonly<Record<string, string>>
  readonly onChange: (values: Values) => void
  readonly idPrefix: string
  /** Field descriptions by property (`vendors.list`'s field lists), over the schema's own. */
  readonly descriptions?: Readonly<Record<string, string | null>>
}) => (
  <Stack gap="xs">
    {Object.entries(schema.properties ?? {}).map(([key, s]) => {
      const common = {
        id: `${idPrefix}-${key}`,
        label: label(key, s),
        description: descriptions[key] ?? s.description,
        required: schema.required?.includes(key) ?? false,
        error: errors[key],
        "data-field": key,
      }
      const set = (value: unknown) => onChange({ ...values, [key]: value })
      switch (kindOf(s)) {
        case "string":
          return secret.includes(key) ? (
            <PasswordInput
              key={key}
              {...common}
              value={String(values[key] ?? "")}
              onChange={(e) => set(e.currentTarget.value)}
              autoComplete="off"
            />
          ) : (
            <TextInput
              key={key}
              {...common}
              value={String(values[key] ?? "")}
              onChange={(e) => set(e.currentTarget.value)}
            />
          )
        case "number":
          return (
            <NumberInput
              key={key}
              {...common}
              value={(values[key] as number | undefined) ?? ""}
              onChange={(v) => set(v === "" ? undefined : Number(v))}
              {...(s.minimum === undefined ? {} : { min: s.minimum })}
              {...(s.maximum === undefined ? {} : { max: s.maximum })}
              allowDecimal={s.type !== "integer"}
              clampBehavior="none"
            />
          )
        case "list":
          return (
            <TagsInput key={key} {...common} value={(values[key] as Array<string> | undefined) ?? []} onChange={set} />
          )
        case "json":
          return (
            <Textarea
              key={key}
              {...common}
              value={String(values[key] ?? "")}
              onChange={(e) => set(e.currentTarget.value)}
              placeholder="{}"
              autosize
              minRows={1}
            />
          )
        default:
          return null
      }
    })}
  </Stack>
)
