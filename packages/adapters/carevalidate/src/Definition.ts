// CareValidate Care360 as one vendor definition: manifest, the credential and option schemas a connection is stored
// (and its form rendered) with, how to build its adapter, its webhook verifier (`x-cv-signature`), and how `pnpm
// start` makes a demo connection to its emulator and registers the emulator's webhook to this API.
import { DemoSetupFailed, define } from "@taskbridge/adapter-kit/Definition"
import { header, hmacHex, verifyHexBody, type WebhookDelivery } from "@taskbridge/adapter-kit/Webhook"
import { Effect, Option, Redacted, Schema } from "effect"
import { make } from "./Adapter.ts"
import { Credentials, Options } from "./Config.ts"
import { manifest } from "./Manifest.ts"

// The emulator's `/_sandbox` info and webhook targets (its control API, standing in for CareValidate's settings UI).
const SandboxInfo = Schema.Struct({
  credentials: Schema.NonEmptyArray(Schema.Struct({ organizationId: Schema.String, apiKey: Schema.String })),
})
const Targets = Schema.Struct({ webhooks: Schema.Array(Schema.Struct({ url: Schema.String })) })

const decode = <A, I>(schema: Schema.Codec<A, I>, what: string, value: unknown) =>
  Schema.decodeUnknownEffect(schema)(value).pipe(
    Effect.mapError(
      () => new DemoSetupFailed({ vendor: "carevalidate", reason: `the emulator's ${what} are not as expected` }),
    ),
  )

/**
 * vendor-docs §5.8: `x-cv-signature` is the hex HMAC-SHA256 of the body. CareValidate's own example hashes
 * `JSON.stringify(body)`, so the raw bytes are tried first and the re-serialised JSON second.
 */
const verify = (delivery: WebhookDelivery, secret: string) => {
  const given = header(delivery, "x-cv-signature")
  if (verifyHexBody(delivery, secret, given)) return true
  const reserialised = Option.liftThrowable(() => JSON.stringify(JSON.parse(delivery.body.toString("utf8"))))()
  return (
    Option.isSome(reserialised) && given !== undefined && hmacHex(secret, reserialised.value) === given.toLowerCase()
  )
}

export const definition = define({
  manifest,
  credentials: Credentials,
  options: Options,
  secretFields: ["apiKey", "webhookSecret"],
  make: ({ connectionId, baseUrl, credentials, options, memory }) =>
    make(
      { baseUrl, apiKey: Redacted.make(credentials.apiKey), sinceDays: options.sinceDays, pageSize: options.pageSize },
      { connectionId, memory },
    ),
  // CareValidate's payload carries no event id, so replays are recognised by their body digest.
  webhook: { scheme: "hmac-sha256-hex", verify, eventId: () => null },
  demo: ({ info, getJson }) =>
    Effect.gen(function* () {
      const tenant = (yield* decode(SandboxInfo, "credentials", info)).credentials[0]
      return {
        name: "CareValidate Care360 (sandbox)",
        credentials: { apiKey: tenant.apiKey },
        options: {},
        // CareValidate configures webhooks in its UI; the sandbox's control route stands in for that screen.
        register: ({ webhookUrl, webhookSecret }) =>
          Effect.gen(function* () {
            const targets = yield* decode(Targets, "webhook targets", yield* getJson("/_sandbox/webhooks"))
            if (targets.webhooks.some((t) => t.url === webhookUrl)) return
            yield* getJson("/_sandbox/webhooks", {
              method: "POST",
              body: { url: webhookUrl, secret: webhookSecret, organizationId: tenant.organizationId },
            })
          }),
      }
    }),
})
