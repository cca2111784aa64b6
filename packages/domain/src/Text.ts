// Bounds for what callers may send: the documented maximum of every kind of string and list, the rule that text must
// be storable (no NUL, which PostgreSQL's text cannot hold, and no unpaired UTF-16 surrogate, which is not Unicode),
// and the years an instant may name. Input schemas are built from these, so a refusal names the field and the rule.
import { DateTime, Schema } from "effect"

/** The documented maxima (characters for text, items for lists); the API README's table repeats them. */
export const limits = {
  id: 200,
  name: 200,
  title: 500,
  tag: 100,
  display: 500,
  email: 320,
  description: 50_000,
  note: 20_000,
  search: 200,
  cursor: 2_000,
  url: 2_000,
  credential: 10_000,
  settingKey: 100,
  settingValue: 10_000,
  /** Assignees, tags and every other list a task carries. */
  list: 50,
  /** Filters that name many things at once (connections). */
  filterList: 100,
  /** Entries of a settings record (credentials, options). */
  settings: 50,
  /** A connection's identity map. */
  identities: 1_000,
} as const

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why `text` cannot be stored, or undefined when it can. */
export const unstorable = (text: string): string | undefined =>
  text.includes("\u0000")
    ? "must not contain NUL (U+0000) characters"
    : LONE_SURROGATE.test(text)
      ? "must not contain unpaired surrogates (it is not valid Unicode)"
      : undefined

/** Text PostgreSQL can store and every vendor can read. */
export const isStorable = Schema.makeFilter((text: string) => unstorable(text) ?? true, {
  expected: "text without NUL characters or unpaired surrogates",
})

/** Storable text of at most `maxLength` characters. */
export const Text = (maxLength: number) => Schema.String.pipe(Schema.check(isStorable, Schema.isMaxLength(maxLength)))

/** Storable, trimmed, non-empty text of at most `maxLength` characters. */
export const NonEmptyText = (maxLength: number) =>
  Schema.String.pipe(Schema.check(isStorable, Schema.isTrimmed(), Schema.isNonEmpty(), Schema.isMaxLength(maxLength)))

/** A list of at most `maxItems` items. */
export const List = <S extends Schema.Top>(item: S, maxItems: number = limits.list) =>
  Schema.Array(item).pipe(Schema.check(Schema.isMaxLength(maxItems)))

/** The years ISO 8601's basic form, every vendor and both databases can hold. */
export const minYear = 0
export const maxYear = 9999

export const isWithinYears = (at: DateTime.Utc): boolean => {
  const year = DateTime.toPartsUtc(at).year
  return year >= minYear && year <= maxYear
}

/** An instant within years 0000–9999: a due of year −271821 or 200000 is a typo, and no vendor could store it. */
export const BoundedInstant = Schema.DateTimeUtc.pipe(
  Schema.check(Schema.makeFilter(isWithinYears, { expected: `an instant in the years ${minYear}–${maxYear}` })),
)
