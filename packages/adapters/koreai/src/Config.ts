// One Kore.ai connection's settings: the standalone config (the client secret Redacted from the moment it is read, so
// no log line, error message or inspection can print it) and the JSON schemas of a stored connection's credentials
// and options, which the console renders as the connection form and the API validates. The account id is a
// credential: it is the scope of the 60-a-minute budget every connection of the account shares.
import type { RateBudget } from "@taskbridge/domain/Capabilities"
import { KoreaiPriorityObject } from "@taskbridge/domain/PriorityKoreai"
import { KoreaiStatusConfig } from "@taskbridge/domain/schemes/Koreai"
import { Config, type Redacted, Schema } from "effect"
import { manifest } from "./Manifest.ts"

export interface KoreaiConfig {
  readonly baseUrl: string
  /** The JWT app's Client ID: the token's `appId` claim. */
  readonly clientId: string
  /** The JWT app's Client Secret: the HS256 key. */
  readonly clientSecret: Redacted.Redacted<string>
  /** The `AccountId` header, and whose budget every call spends. */
  readonly accountId: string
  /** The bot / stream id (`st-…`) every path names. */
  readonly streamId: string
  /** The account's statuses as its admin configured them; learned from listed tasks when absent. */
  readonly statuses?: ReadonlyArray<KoreaiStatusConfig> | undefined
  /** The account's priorities; learned from listed tasks when absent. */
  readonly priorities?: ReadonlyArray<KoreaiPriorityObject> | undefined
  /** The user (`u-…`) created tasks are requested by (`userInfo`); creates are refused without it. */
  readonly creatorUserId?: string | undefined
  /** getTasks' `limit`; default the manifest's page size. */
  readonly pageSize?: number | undefined
  /** A full listing (which also finds deletions) replaces the next scan once this long has passed since the last. */
  readonly fullListingEveryHours?: number | undefined
  /** How far behind the watermark a scan re-reads, so writes committed out of order are not missed. */
  readonly overlapMillis?: number | undefined
  /** Seconds a minted JWT is valid for. */
  readonly tokenTtlSeconds?: number | undefined
  /**
   * The account's budget when its contract differs from the documented 60 a minute (and in tests, a faster window);
   * still per account and shared.
   */
  readonly rateBudget?: Omit<RateBudget, "scope"> | undefined
}

/** What a stored Kore.ai connection's credentials hold (encrypted at rest). */
export const Credentials = Schema.Struct({
  clientId: Schema.NonEmptyString.annotate({ title: "JWT app Client ID" }),
  clientSecret: Schema.NonEmptyString.annotate({ title: "JWT app Client Secret" }),
  accountId: Schema.NonEmptyString.annotate({ title: "Account ID" }),
})

/** A stored Kore.ai connection's options. */
export const Options = Schema.Struct({
  streamId: Schema.NonEmptyString.annotate({ title: "Bot / stream id (st-…)" }),
  statuses: Schema.optionalKey(Schema.Array(KoreaiStatusConfig).annotate({ title: "Configured statuses" })),
  priorities: Schema.optionalKey(Schema.Array(KoreaiPriorityObject).annotate({ title: "Configured priorities" })),
  creatorUserId: Schema.optionalKey(Schema.NonEmptyString.annotate({ title: "User new tasks are requested by" })),
  pageSize: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 500 }))).annotate({ title: "Page size" }),
  ),
  fullListingEveryHours: Schema.optionalKey(
    Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: 0.1, maximum: 720 }))).annotate({
      title: "Hours between full listings (deletions are found then)",
    }),
  ),
  /** An account whose contract allows more than the documented 60 requests a minute (shared by its connections). */
  requestsPerMinute: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 100_000 }))).annotate({
      title: "Requests a minute the account may make (documented: 60)",
    }),
  ),
})

/** `KOREAI_BASE_URL`, `KOREAI_CLIENT_ID`, `KOREAI_CLIENT_SECRET`, `KOREAI_ACCOUNT_ID`, `KOREAI_STREAM_ID`. */
export const KoreaiConfigFromEnv: Config.Config<KoreaiConfig> = Config.all({
  baseUrl: Config.String("KOREAI_BASE_URL").pipe(Config.withDefault(manifest.defaultBaseUrl)),
  clientId: Config.String("KOREAI_CLIENT_ID"),
  clientSecret: Config.Redacted("KOREAI_CLIENT_SECRET"),
  accountId: Config.String("KOREAI_ACCOUNT_ID"),
  streamId: Config.String("KOREAI_STREAM_ID"),
})

export const defaults = {
  overlapMillis: 5 * 60_000,
  fullListingEveryHours: 24,
  /** Short: a token is minted per request, so a leaked one is useless within a minute. */
  tokenTtlSeconds: 60,
} as const
