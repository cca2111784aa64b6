// One CareValidate connection's settings: the standalone config (the `cv-api-key` Redacted from the moment it is read,
// so no log line, error message or inspection can print it) and the JSON schemas of a stored connection's credentials
// and options, which the console renders as the connection form and the API validates.
import { Config, type Redacted, Schema } from "effect"
import { manifest } from "./Manifest.ts"

export interface CareValidateConfig {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  /** How far back the first backfill reaches (cases are listed by creation date); default 365 days. */
  readonly sinceDays?: number | undefined
  /** `recordsPerPage` for the case list, 1–100; default the manifest's page size. */
  readonly pageSize?: number | undefined
  /** Case details fetched at once during a pull. */
  readonly detailConcurrency?: number | undefined
  /** How far behind the watermark a pull re-reads cases, so writes committed out of order are not missed. */
  readonly overlapMillis?: number | undefined
}

/** What a stored CareValidate connection's credentials hold (encrypted at rest). */
export const Credentials = Schema.Struct({
  apiKey: Schema.NonEmptyString.annotate({ title: "cv-api-key" }),
  /** The secret set in CareValidate's webhook settings; without it webhooks are refused (polling still runs). */
  webhookSecret: Schema.optionalKey(Schema.String.annotate({ title: "Webhook signing secret" })),
})

/** A stored CareValidate connection's options. */
export const Options = Schema.Struct({
  sinceDays: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 3650 }))).annotate({
      title: "Days of cases to backfill",
    }),
  ),
  pageSize: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 100 }))).annotate({ title: "Page size" }),
  ),
})

/** `CAREVALIDATE_BASE_URL` and `CAREVALIDATE_API_KEY` from the environment. */
export const CareValidateConfigFromEnv: Config.Config<CareValidateConfig> = Config.all({
  baseUrl: Config.String("CAREVALIDATE_BASE_URL").pipe(Config.withDefault(manifest.defaultBaseUrl)),
  apiKey: Config.Redacted("CAREVALIDATE_API_KEY"),
})

export const defaults = { sinceDays: 365, detailConcurrency: 4, overlapMillis: 5 * 60_000 } as const
