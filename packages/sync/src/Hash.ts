// Content hashes of vendor records: the link keeps the hash of the last synced state, so a replayed page or the
// echo of our own push (same content) is recognised and skipped without touching the task. A record is encoded once;
// its JSON is both what is hashed and the merge base the link stores.
import { createHash } from "node:crypto"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Schema } from "effect"

const encodeRecord = Schema.encodeSync(Schema.toCodecJson(VendorRecord))

/** JSON with object keys sorted, so equal records hash equally whatever order their fields were built in. */
const stable = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

export interface Encoded {
  readonly record: VendorRecord
  readonly json: Schema.Json
  readonly hash: string
}

export const encoded = (record: VendorRecord): Encoded => {
  const json = encodeRecord(record)
  return { record, json, hash: createHash("sha256").update(stable(json)).digest("hex") }
}

export const recordHash = (record: VendorRecord): string => encoded(record).hash
