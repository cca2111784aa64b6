// `vendors.list`: the vendors this deployment runs with, from their definitions — what each can and cannot do (its
// manifest), the kind of work item it holds, and the JSON Schema of its connection credentials and options, which
// the console renders as the connection form (secret fields masked), also as field lists (label, type, required,
// secret, constraints) for a form that wants no JSON Schema interpreter.
import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { VendorDefinitions } from "@taskbridge/sync/Registry"
import { Effect, Schema } from "effect"
import { FormField, formFields } from "../FormFields.ts"
import { output, procedure, router, run } from "../Trpc.ts"

export const VendorInfo = Schema.Struct({
  manifest: VendorManifest,
  /** JSON Schema documents of the connection form's two parts. */
  credentials: Schema.Json,
  options: Schema.Json,
  secretFields: Schema.Array(Schema.String),
  /** The two parts as field lists, in the schemas' order. */
  credentialFields: Schema.Array(FormField),
  optionFields: Schema.Array(FormField),
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
          definitions.map((d) => {
            const credentials = jsonSchema(d.credentials)
            const options = jsonSchema(d.options)
            return {
              manifest: d.manifest,
              credentials,
              options,
              secretFields: d.secretFields,
              credentialFields: formFields(credentials, d.secretFields),
              optionFields: formFields(options, []),
              receivesWebhooks: d.webhook !== null,
            }
          }),
        )
      }),
    ),
  ),
})
