// Kore.ai as one vendor definition: manifest, the credential (JWT app + account) and option (stream, configuration)
// schemas a connection is stored (and its form rendered) with, how to build its adapter, and how `pnpm start` makes
// a demo connection to its emulator (its first account's scoped JWT app). No webhook verifier: Kore.ai documents no
// case-management webhooks.
import { DemoSetupFailed, define } from "@taskbridge/adapter-kit/Definition"
import { Effect, Redacted, Schema } from "effect"
import { make } from "./Adapter.ts"
import { Credentials, Options } from "./Config.ts"
import { manifest } from "./Manifest.ts"

// The emulator's `/_sandbox` info (its control API, not Kore.ai's).
const SandboxInfo = Schema.Struct({
  credentials: Schema.NonEmptyArray(
    Schema.Struct({
      clientId: Schema.String,
      clientSecret: Schema.String,
      accountId: Schema.String,
      streamId: Schema.String,
      creatorUserId: Schema.optionalKey(Schema.String),
    }),
  ),
})

const decode = <A, I>(schema: Schema.Codec<A, I>, what: string, value: unknown) =>
  Schema.decodeUnknownEffect(schema)(value).pipe(
    Effect.mapError(
      () => new DemoSetupFailed({ vendor: "koreai", reason: `the emulator's ${what} are not as expected` }),
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
        accountId: credentials.accountId,
        streamId: options.streamId,
        statuses: options.statuses,
        priorities: options.priorities,
        creatorUserId: options.creatorUserId,
        pageSize: options.pageSize,
        fullListingEveryHours: options.fullListingEveryHours,
        // The manifest's window (61 s: a minute, padded for clock skew) with the contract's count.
        rateBudget:
          options.requestsPerMinute === undefined
            ? undefined
            : { requests: options.requestsPerMinute, perMillis: manifest.rateBudget?.perMillis ?? 61_000 },
      },
      { connectionId, memory },
    ),
  demo: ({ info }) =>
    Effect.gen(function* () {
      const tenant = (yield* decode(SandboxInfo, "credentials", info)).credentials[0]
      return {
        name: "Kore.ai case-management tasks (sandbox)",
        credentials: { clientId: tenant.clientId, clientSecret: tenant.clientSecret, accountId: tenant.accountId },
        options: {
          streamId: tenant.streamId,
          ...(tenant.creatorUserId === undefined ? {} : { creatorUserId: tenant.creatorUserId }),
        },
      }
    }),
})
