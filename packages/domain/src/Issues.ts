// Schema failures described by where they are and what kind of rule broke, never by the offending value: what a vendor
// answered or a row held may be patient data, and these descriptions reach logs and error messages.
import { type Schema, SchemaIssue } from "effect"

const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => {
    switch (issue._tag) {
      case "MissingKey":
        return "is missing"
      case "InvalidType":
        return "has the wrong type"
      case "UnexpectedKey":
        return "is not expected"
      case "OneOf":
        return "matches more than one form"
      case "Forbidden":
        return "is forbidden"
      default:
        return "is not a valid value"
    }
  },
  checkHook: () => "fails a check",
})

/** At most `limit` issues, each as `path what is wrong`. */
export const describeIssue = (error: Schema.SchemaError, limit = 3): string => {
  const issues = formatIssue(error.issue).issues
  const path = (p: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined) =>
    (p ?? []).map((s) => String(typeof s === "object" && s !== null ? s.key : s)).join(".") || "(root)"
  const shown = issues.slice(0, limit).map((i) => `${path(i.path)} ${i.message}`)
  return `${shown.join("; ")}${issues.length > limit ? `; and ${issues.length - limit} more` : ""}`
}
