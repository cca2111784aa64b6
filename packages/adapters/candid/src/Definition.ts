// Candid Health as one vendor definition: manifest, the credential and option schemas a connection is stored (and
// its form rendered) with, how to build its adapter, and how `pnpm start` makes a demo connection to its emulator.
import { DemoSetupFailed, define } from "@taskbridge/adapter-kit/Definition"
import { Effect, Redacted, Schema } from "effect"
import { make } from "./Adapter.ts"
import { Credentials, Options } from "./Config.ts"
import { manifest } from "./Manifest.ts"

// The emulator's `/_sandbox` info and organizations (its control API, not Candid's).
const SandboxInfo = Schema.Struct({
  credentials: Schema.NonEmptyArray(
    Schema.Struct({ organizationId: Schema.String, clientId: Schema.String, clientSecret: Schema.String }),
  ),
})
const SandboxOrganizations = Schema.Struct({
  organizations: Schema.Array(
    Schema.Struct({ organizationId: Schema.String, workQueueIds: Schema.Array(Schema.String) }),
  ),
})

const decode = <A, I>(schema: Schema.Codec<A, I>, what: string, value: unknown) =>
  Schema.decodeUnknownEffect(schema)(value).pipe(
    Effect.mapError(
      () => new DemoSetupFailed({ vendor: "candid", reason: `the emulator's ${what} are not as expected` }),
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
        workQueueId: options.workQueueId,
        deprecatedStatuses: options.deprecatedStatuses,
        pageSize: options.pageSize,
      },
      { connectionId, memory },
    ),
  // The sandbox's first tenant, with its first work queue for creates.
  demo: ({ info, getJson }) =>
    Effect.gen(function* () {
      const tenant = (yield* decode(SandboxInfo, "credentials", info)).credentials[0]
      const orgs = yield* decode(SandboxOrganizations, "organizations", yield* getJson("/_sandbox/organizations"))
      const queue = orgs.organizations.find((o) => o.organizationId === tenant.organizationId)?.workQueueIds[0]
      return {
        name: "Candid Health (sandbox)",
        credentials: { clientId: tenant.clientId, clientSecret: tenant.clientSecret },
        options: queue === undefined ? {} : { workQueueId: queue },
      }
    }),
})
