// `vendors.list`: the vendors this deployment runs with, from their definitions — what each can and cannot do (its
// manifest), the kind of work item it holds, and the JSON Schema of its connection credentials and options, which
// the console renders as the connection form (secret fields masked).
import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { VendorDefinitions } from "@taskbridge/sync/Registry"
import { Effect, Schema } from "effect"
import { output, procedure, router, run } from "../Trpc.ts"

export const VendorInfo = Schema.Struct({
  manifest: VendorManifest,
  /** JSON Schema documents of the connection form's two parts. */
  credentials: Schema.Json,
  options: Schema.Json,
  secretFields: Schema.Array(Schema.String),
  receivesWebhooks: Schema.Boolean,
})

const encodeVendors = output(Schema.Array(VendorInfo))

const jsonSchema = (schema: Schema.Top): Schema.Json =>
  JSON.parse(JSON.stringify(Schema.toJsonSchemaDocument(schema).schema)) as Schema.Json

export const vendorsRouter = router({
  list: procedure("viewer").query(({ ctx }) =>
    run(
      ctx,
      Effect.gen(function* () {
        const definitions = yield* VendorDefinitions
        return encodeVendors(
          definitions.map((d) => ({
            manifest: d.manifest,
            credentials: jsonSchema(d.credentials),
            options: jsonSchema(d.options),
            secretFields: d.secretFields,
            receivesWebhooks: d.webhook !== null,
          })),
        )
      }),
    ),
  ),
})
