// One Vambe connection's settings: the standalone config (the `x-api-key` Redacted from the moment it is read, so no
// log line, error message or inspection can print it) and the JSON schemas of a stored connection's credentials and
// options, which the console renders as the connection form and the API validates.
import { Config, type Redacted, Schema } from "effect"
import { manifest } from "./Manifest.ts"

export interface VambeConfig {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  /** Width in days of the due-date windows a listing starts with (narrowed and remembered when one is too large). */
  readonly windowDays?: number | undefined
  /** Most tasks one window may answer before it is bisected; default the manifest's page size. */
  readonly maxTasksPerWindow?: number | undefined
  /** Largest answer body read (default the kit's 32 MiB); a dated window answering more is bisected too. */
  readonly maxBodyBytes?: number | undefined
}

/** What a stored Vambe connection's credentials hold (encrypted at rest). */
export const Credentials = Schema.Struct({
  apiKey: Schema.NonEmptyString.annotate({ title: "x-api-key" }),
  /** The secret registered with Vambe's webhooks; without it webhooks are refused (polling still runs). */
  webhookSecret: Schema.optionalKey(Schema.String.annotate({ title: "Webhook signing secret" })),
})

/** A stored Vambe connection's options. */
export const Options = Schema.Struct({
  windowDays: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 3660 }))).annotate({
      title: "Due-date window (days)",
    }),
  ),
  maxTasksPerWindow: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 10, maximum: 10_000 }))).annotate({
      title: "Most tasks per listing call",
    }),
  ),
})

/** `VAMBE_BASE_URL` and `VAMBE_API_KEY` from the environment. */
export const VambeConfigFromEnv: Config.Config<VambeConfig> = Config.all({
  baseUrl: Config.String("VAMBE_BASE_URL").pipe(Config.withDefault(manifest.defaultBaseUrl)),
  apiKey: Config.Redacted("VAMBE_API_KEY"),
})

export const defaults = { windowDays: 30 } as const
