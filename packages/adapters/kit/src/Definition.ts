// A vendor as one definition: everything the engine, the API, the console and `pnpm start` need to know about it —
// its manifest, the schemas of its credentials and options (the console renders connection forms from them, the API
// validates `connections.create` with them), how to build its adapter for a connection, its webhook verifier, and
// how to set up a demo connection against its sandbox emulator. One list of these drives every vendor-specific choice.
import type { VendorManifest } from "@taskbridge/domain/Capabilities"
import type { ConnectionId, Vendor } from "@taskbridge/domain/Ids"
import type { ConnectionMemory, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { Effect, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { describeIssue } from "./Http.ts"
import type { RateBudgets } from "./RateBudget.ts"
import type { WebhookVerifier } from "./Webhook.ts"

export type AdapterEnv = HttpClient.HttpClient | RateBudgets

export interface AdapterInput<C, O> {
  readonly connectionId: ConnectionId
  readonly baseUrl: string
  readonly credentials: C
  readonly options: O
  readonly memory: ConnectionMemory
}

/** Stored or submitted settings the definition cannot read; names the field and rule, never a credential's value. */
export class InvalidSettings extends Schema.TaggedError<InvalidSettings>()("InvalidSettings", {
  field: Schema.Literals(["credentials", "options"]),
  detail: Schema.String,
}) {
  override get message() {
    return `${this.field}: ${this.detail}`
  }
}

export class DemoSetupFailed extends Schema.TaggedError<DemoSetupFailed>()("DemoSetupFailed", {
  vendor: Schema.String,
  reason: Schema.String,
}) {
  override get message() {
    return `${this.vendor} demo setup failed: ${this.reason}`
  }
}

/** What the demo setup hands a definition: its emulator's `/_sandbox` info and a way to call the emulator. */
export interface DemoInput {
  readonly sandboxUrl: string
  readonly info: unknown
  readonly getJson: (
    path: string,
    init?: { readonly method: string; readonly body: unknown },
  ) => Effect.Effect<unknown, DemoSetupFailed>
}

/** A demo connection for one emulator tenant; `register` runs once the connection exists (e.g. a webhook target). */
export interface DemoConnection {
  readonly name: string
  readonly credentials: Readonly<Record<string, string>>
  readonly options: Readonly<Record<string, Schema.Json>>
  readonly register?:
    | ((connection: {
        readonly webhookUrl: string
        readonly webhookSecret: string | null
      }) => Effect.Effect<void, DemoSetupFailed>)
    | undefined
}

export interface VendorDefinition {
  readonly vendor: Vendor
  readonly manifest: VendorManifest
  /** The credentials' JSON form (string fields; `webhookSecret` where the vendor signs webhooks). */
  readonly credentials: Schema.Top
  readonly options: Schema.Top
  /** Credential fields that are secrets: shown masked in the console, never echoed back. */
  readonly secretFields: ReadonlyArray<string>
  /** Checks stored or submitted settings (JSON) and builds the connection's adapter. */
  readonly make: (input: AdapterInput<unknown, unknown>) => Effect.Effect<VendorAdapter, InvalidSettings, AdapterEnv>
  readonly webhook: WebhookVerifier | null
  readonly demo: (input: DemoInput) => Effect.Effect<DemoConnection, DemoSetupFailed>
}

export interface DefinitionSpec<C, CI, O, OI> {
  readonly manifest: VendorManifest
  readonly credentials: Schema.Codec<C, CI>
  readonly options: Schema.Codec<O, OI>
  readonly secretFields: ReadonlyArray<string>
  readonly make: (input: AdapterInput<C, O>) => Effect.Effect<VendorAdapter, never, AdapterEnv>
  readonly webhook?: WebhookVerifier | undefined
  readonly demo: (input: DemoInput) => Effect.Effect<DemoConnection, DemoSetupFailed>
}

/** Builds a definition whose `make` decodes the JSON settings with the definition's own schemas first. */
export const define = <C, CI, O, OI>(spec: DefinitionSpec<C, CI, O, OI>): VendorDefinition => {
  const readCredentials = Schema.decodeUnknownEffect(Schema.toCodecJson(spec.credentials))
  const readOptions = Schema.decodeUnknownEffect(Schema.toCodecJson(spec.options))
  return {
    vendor: spec.manifest.vendor,
    manifest: spec.manifest,
    credentials: spec.credentials,
    options: spec.options,
    secretFields: spec.secretFields,
    webhook: spec.webhook ?? null,
    demo: spec.demo,
    make: (input) =>
      Effect.gen(function* () {
        const credentials = yield* readCredentials(input.credentials).pipe(
          Effect.mapError((e) => new InvalidSettings({ field: "credentials", detail: describeIssue(e) })),
        )
        const options = yield* readOptions(input.options).pipe(
          Effect.mapError((e) => new InvalidSettings({ field: "options", detail: describeIssue(e) })),
        )
        return yield* spec.make({ ...input, credentials, options })
      }),
  }
}

/** The one definition of `vendor` in a list, or undefined. */
export const definitionOf = (definitions: ReadonlyArray<VendorDefinition>, vendor: string) =>
  definitions.find((d) => d.vendor === vendor)
