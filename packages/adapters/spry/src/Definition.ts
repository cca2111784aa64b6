// Spry as one vendor definition: manifest, the credential and option schemas a connection is stored (and its form
// rendered) with, how to build its adapter, and how `pnpm start` makes a demo connection to its emulator (its first
// organisation's integration login, with each clinic's zone). No webhook verifier: Spry sends none for waitlists.
import { DemoSetupFailed, define } from "@taskbridge/adapter-kit/Definition"
import { Effect, Redacted, Schema } from "effect"
import { make } from "./Adapter.ts"
import { Credentials, Options } from "./Config.ts"
import { manifest } from "./Manifest.ts"

// The emulator's `/_sandbox` info (its control API, not Spry's).
const SandboxInfo = Schema.Struct({
  credentials: Schema.NonEmptyArray(
    Schema.Struct({
      clientId: Schema.String,
      clientSecret: Schema.String,
      clinics: Schema.Array(Schema.Struct({ id: Schema.String, timeZone: Schema.String })),
    }),
  ),
})

const decode = <A, I>(schema: Schema.Codec<A, I>, what: string, value: unknown) =>
  Schema.decodeUnknownEffect(schema)(value).pipe(
    Effect.mapError(
      () => new DemoSetupFailed({ vendor: "spry", reason: `the emulator's ${what} are not as expected` }),
    ),
  )

export const definition = define({
  manifest,
  credentials: Credentials,
  options: Options,
  secretFields: ["clientSecret"],
  make: ({ connectionId, baseUrl, credentials, options, memory }) =>
    make(
      {
        baseUrl,
        clientId: credentials.clientId,
        clientSecret: Redacted.make(credentials.clientSecret),
        clinicZones: options.clinicZones,
        defaultTimeZone: options.defaultTimeZone,
        pageSize: options.pageSize,
        fullListingEveryHours: options.fullListingEveryHours,
      },
      { connectionId, memory },
    ),
  demo: ({ info }) =>
    Effect.gen(function* () {
      const tenant = (yield* decode(SandboxInfo, "credentials", info)).credentials[0]
      return {
        name: "Spry waitlist requests (sandbox)",
        credentials: { clientId: tenant.clientId, clientSecret: tenant.clientSecret },
        options: { clinicZones: Object.fromEntries(tenant.clinics.map((c) => [c.id, c.timeZone])) },
      }
    }),
})
