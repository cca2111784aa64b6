// One Candid connection's settings: the standalone config (secrets Redacted from the moment they are read, so no log
// line, error message or inspection can print them) and the JSON schemas of a stored connection's credentials and
// options, which the console renders as the connection form and the API validates.
import { Config, type Redacted, Schema } from "effect"
import { manifest } from "./Manifest.ts"

export interface CandidConfig {
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** Required by `POST /api/tasks/v3`; no API lists work queues, so the tenant configures it. */
  readonly workQueueId?: string | undefined
  /** Statuses never to write; defaults to the provider-group pair (see the domain's Candid scheme). */
  readonly deprecatedStatuses?: ReadonlyArray<string> | undefined
  /** `limit` per list call, 1–999; default the manifest's page size. */
  readonly pageSize?: number | undefined
  /** How far behind the watermark an incremental pull starts, so writes committed out of order are not missed. */
  readonly overlapMillis?: number | undefined
  /** Candid budgets per client IP: connections sharing an egress address share this name's budget. */
  readonly egress?: string | undefined
}

/** What a stored Candid connection's credentials hold (encrypted at rest). */
export const Credentials = Schema.Struct({
  clientId: Schema.NonEmptyString.annotate({ title: "Client ID" }),
  clientSecret: Schema.NonEmptyString.annotate({ title: "Client secret" }),
})

/** A stored Candid connection's options. */
export const Options = Schema.Struct({
  workQueueId: Schema.optionalKey(Schema.NonEmptyString.annotate({ title: "Work queue ID for creates" })),
  deprecatedStatuses: Schema.optionalKey(Schema.Array(Schema.String).annotate({ title: "Statuses never written" })),
  pageSize: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 999 }))).annotate({ title: "Page size" }),
  ),
})

/** `CANDID_BASE_URL`, `CANDID_CLIENT_ID`, `CANDID_CLIENT_SECRET`, `CANDID_WORK_QUEUE_ID` from the environment. */
export const CandidConfigFromEnv: Config.Config<CandidConfig> = Config.all({
  baseUrl: Config.String("CANDID_BASE_URL").pipe(Config.withDefault(manifest.defaultBaseUrl)),
  clientId: Config.String("CANDID_CLIENT_ID"),
  clientSecret: Config.Redacted("CANDID_CLIENT_SECRET"),
  workQueueId: Config.option(Config.String("CANDID_WORK_QUEUE_ID")).pipe(
    Config.map((queue) => (queue._tag === "Some" ? queue.value : undefined)),
  ),
})

export const defaults = { overlapMillis: 5 * 60_000 } as const
