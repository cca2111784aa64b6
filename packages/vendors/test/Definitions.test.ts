// The list of vendor definitions is coherent: one definition per vendor, each manifest valid for its own vendor, and
// each definition's credential and option schemas render as JSON Schema (what the console builds its forms from).
import { assert, describe, it } from "@effect/vitest"
import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { Schema } from "effect"
import { definitions } from "../src/Definitions.ts"

describe("the vendor definitions", () => {
  it("hold one definition per vendor, each with a manifest of its own vendor", () => {
    const vendors = definitions.map((d) => d.vendor)
    assert.strictEqual(new Set(vendors).size, vendors.length)
    for (const d of definitions) {
      assert.strictEqual(d.manifest.vendor, d.vendor)
      assert.isTrue(Schema.is(VendorManifest)(d.manifest))
    }
  })

  it("describe their credentials and options as JSON Schema, naming every secret field", () => {
    for (const d of definitions) {
      const credentials = Schema.toJsonSchemaDocument(d.credentials).schema
      const properties = Object.keys((credentials as { properties?: object }).properties ?? {})
      assert.isAbove(properties.length, 0, `${d.vendor} credentials have fields`)
      for (const secret of d.secretFields) assert.include(properties, secret, `${d.vendor}.${secret} is a credential`)
      assert.isObject(Schema.toJsonSchemaDocument(d.options).schema)
    }
  })
})
