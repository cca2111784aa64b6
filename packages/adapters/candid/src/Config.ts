// One Candid connection's settings. Secrets are Redacted from the moment they are read, so no log line, error
// message or inspection can print them.
import { Config, type Redacted } from "effect"
import { manifest } from "./Manifest.ts"

export interface CandidConfig {
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** Required by `POST /api/tasks/v3`; no API lists work queues, so the tenant configures it. */
  readonly workQueueId?: string | undefined
  /** Statuses never to write; defaults to the provider-group pair (see the domain's Candid scheme). */
  readonly deprecatedStatuses?: ReadonlyArray<string> | undefined
  /** `limit` per list call, 1–999 (Candid's default is 100). */
  readonly pageSize?: number | undefined
  /** How far behind the watermark an incremental pull starts, so writes committed out of order are not missed. */
  readonly overlapMillis?: number | undefined
  /** Candid budgets per client IP: connections sharing an egress address must share this key. */
  readonly rateBudgetKey?: string | undefined
}

/** `CANDID_BASE_URL`, `CANDID_CLIENT_ID`, `CANDID_CLIENT_SECRET`, `CANDID_WORK_QUEUE_ID` from the environment. */
export const CandidConfigFromEnv: Config.Config<CandidConfig> = Config.all({
  baseUrl: Config.String("CANDID_BASE_URL").pipe(Config.withDefault(manifest.defaultBaseUrl)),
  clientId: Config.String("CANDID_CLIENT_ID"),
  clientSecret: Config.Redacted("CANDID_CLIENT_SECRET"),
  workQueueId: Config.option(Config.String("CANDID_WORK_QUEUE_ID")).pipe(
    Config.map((queue) => (queue._tag === "Some" ? queue.value : undefined)),
  ),
})

export const defaults = { pageSize: 100, overlapMillis: 5 * 60_000, rateBudgetKey: "candid:default-egress" } as const
