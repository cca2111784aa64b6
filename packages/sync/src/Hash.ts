// Content hashes of vendor records: the link keeps the hash of the last synced state, so a replayed page or the
// echo of our own push (same content) is recognised and skipped without touching the task.
import { createHash } from "node:crypto"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Schema } from "effect"

const RecordJson = Schema.toCodecJson(VendorRecord)

/** JSON with object keys sorted, so equal records hash equally whatever order their fields were built in. */
const stable = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

export const recordHash = (record: VendorRecord): string =>
  createHash("sha256")
    .update(stable(Schema.encodeSync(RecordJson)(record)))
    .digest("hex")
