// Content hashes: equal records hash equally whatever order their keys were built in (the encoder writes the schema's
// order, so the hash needs no key sorting), the pull path's fast encoding is the schema's to the character, and any
// change of content changes the hash.

import { describe, expect, it } from "@effect/vitest"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { VendorRecord as VendorRecordSchema } from "@taskbridge/domain/VendorRecord"
import { Arbitrary } from "effect"
import { encoded, encodeRecord, encodeRecordFast } from "../src/Hash.ts"

const record = {
  id: VendorRecordId.make("r-1"),
  version: "7",
  updatedAt: null,
  parent: null,
  unknownValues: [],
  snapshot: {
    fields: {
      title: "Call payer",
      description: null,
      status: "open",
      priority: "high",
      due: { _tag: "None" },
      assignees: [{ _tag: "Queue", id: "q-1", name: "Billing" }],
      tags: ["denial"],
    },
    vendorStatus: "open",
    subjects: { patient: { id: "p-1", display: "Ana" } },
    notes: [],
    extension: null,
  },
} as unknown as VendorRecord

/** The same value with every object's keys in reverse order. */
const reversed = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reversed)
    : value !== null && typeof value === "object"
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversed(v)]),
        )
      : value

describe("record hashes", () => {
  it("ignore the order keys were built in", () => {
    expect(encoded(reversed(record) as VendorRecord).hash).toBe(encoded(record).hash)
  })

  it.prop(
    "come from the pull path's encoding, which writes exactly what the schema's encoder writes",
    [Arbitrary.schema(VendorRecordSchema)],
    ([record]) => {
      expect(JSON.stringify(encodeRecordFast(record))).toBe(JSON.stringify(encodeRecord(record)))
    },
    { arbitrary: { runs: 300 } },
  )

  it("change with any content", () => {
    const retitled = { ...record, snapshot: { ...record.snapshot, fields: { ...record.snapshot.fields, title: "x" } } }
    const renoted = { ...record, snapshot: { ...record.snapshot, vendorStatus: "closed" } }
    expect(new Set([record, retitled, renoted].map((r) => encoded(r as VendorRecord).hash)).size).toBe(3)
  })
})
