// The error for a per-organization status configuration (Vambe, Kore.ai) that cannot form a usable scheme.
import { Schema } from "effect"
import { Vendor } from "../Ids.ts"

export class SchemeConfigError extends Schema.TaggedError<SchemeConfigError>()("SchemeConfigError", {
  vendor: Vendor,
  detail: Schema.String,
}) {
  override get message() {
    return `status scheme for ${this.vendor}: ${this.detail}`
  }
}
