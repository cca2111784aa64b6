// Vambe as one vendor definition: manifest, the credential and option schemas a connection is stored (and its form
// rendered) with, how to build its adapter, its webhook verifier (`x-vambe-signature`), and how `pnpm start` makes a
// demo connection to its emulator and registers the emulator's task webhooks to this API.
import { DemoSetupFailed, define } from "@taskbridge/adapter-kit/Definition"
import { header, verifyHexBody, type WebhookDelivery } from "@taskbridge/adapter-kit/Webhook"
import { Effect, Redacted, Schema } from "effect"
import { make } from "./Adapter.ts"
import { Credentials, Options } from "./Config.ts"
import { manifest } from "./Manifest.ts"

/**
 * [N] Vambe registers a `secret` with each webhook "for signature validation" but documents neither the header nor
 * the algorithm (vendor-docs §2.7). We verify `x-vambe-signature` = hex HMAC-SHA256 of the raw body: the header name
 * and algorithm of Vambe's own App-Platform webhooks, without their timestamp prefix. The emulator signs the same way.
 */
export const signatureHeader = "x-vambe-signature"

/** The update doc's task events (vendor-docs §2.7); each webhook names one topic. */
export const taskTopics = ["task.updated", "task.completed", "task.reassigned"] as const

const verify = (delivery: WebhookDelivery, secret: string) =>
  verifyHexBody(delivery, secret, header(delivery, signatureHeader))

// The emulator's `/_sandbox` info and webhook targets.
const SandboxInfo = Schema.Struct({
  credentials: Schema.NonEmptyArray(Schema.Struct({ organizationId: Schema.String, apiKey: Schema.String })),
})
const Targets = Schema.Struct({
  webhooks: Schema.Array(Schema.Struct({ url: Schema.String, events: Schema.NullOr(Schema.Array(Schema.String)) })),
})

const decode = <A, I>(schema: Schema.Codec<A, I>, what: string, value: unknown) =>
  Schema.decodeUnknownEffect(schema)(value).pipe(
    Effect.mapError(
      () => new DemoSetupFailed({ vendor: "vambe", reason: `the emulator's ${what} are not as expected` }),
    ),
  )

export const definition = define({
  manifest,
  credentials: Credentials,
  options: Options,
  secretFields: ["apiKey", "webhookSecret"],
  make: ({ connectionId, baseUrl, credentials, options, memory }) =>
    make(
      {
        baseUrl,
        apiKey: Redacted.make(credentials.apiKey),
        windowDays: options.windowDays,
        maxTasksPerWindow: options.maxTasksPerWindow,
      },
      { connectionId, memory },
    ),
  // The documented payload `{event, timestamp, data}` carries no event id: replays are recognised by body digest.
  webhook: { scheme: "hmac-sha256-hex", verify, eventId: () => null },
  demo: ({ info, getJson }) =>
    Effect.gen(function* () {
      const tenant = (yield* decode(SandboxInfo, "credentials", info)).credentials[0]
      return {
        name: "Vambe CRM (sandbox)",
        credentials: { apiKey: tenant.apiKey },
        options: {},
        // Vambe registers webhooks through `POST /api/webhooks` with the API key; the demo's emulator client carries
        // no key, so it registers the same subscriptions through the emulator's control route.
        register: ({ webhookUrl, webhookSecret }) =>
          Effect.gen(function* () {
            const targets = yield* decode(Targets, "webhook targets", yield* getJson("/_sandbox/webhooks"))
            const missing = taskTopics.filter(
              (topic) => !targets.webhooks.some((t) => t.url === webhookUrl && (t.events ?? []).includes(topic)),
            )
            for (const topic of missing) {
              yield* getJson("/_sandbox/webhooks", {
                method: "POST",
                body: {
                  url: webhookUrl,
                  secret: webhookSecret,
                  organizationId: tenant.organizationId,
                  events: [topic],
                },
              })
            }
          }),
      }
    }),
})
