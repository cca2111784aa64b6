// One Spry connection's settings: the standalone config (the client secret Redacted from the moment it is read, so no
// log line, error message or inspection can print it) and the JSON schemas of a stored connection's credentials and
// options, which the console renders as the connection form and the API validates. Spry's dates are in each clinic's
// zone, which its API does not say: the connection names the zones.
import { IanaZone } from "@taskbridge/domain/Due"
import { Config, type Redacted, Schema } from "effect"
import { manifest } from "./Manifest.ts"

export interface SpryConfig {
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** Each clinic's IANA zone, by clinic id: the zone a request's date window is in. */
  readonly clinicZones?: Readonly<Record<string, IanaZone>> | undefined
  /** The zone of a clinic `clinicZones` does not name; without it such a request is read in UTC and flagged. */
  readonly defaultTimeZone?: IanaZone | undefined
  /** `page_size` of the list calls, 1–100; default the manifest's page size. */
  readonly pageSize?: number | undefined
  /** How far behind the watermark a scan re-reads, so writes committed out of order are not missed. */
  readonly overlapMillis?: number | undefined
  /** A full listing (which also finds deletions) replaces the next scan once this long has passed since the last. */
  readonly fullListingEveryHours?: number | undefined
}

/** What a stored Spry connection's credentials hold (encrypted at rest). */
export const Credentials = Schema.Struct({
  clientId: Schema.NonEmptyString.annotate({ title: "Client ID" }),
  clientSecret: Schema.NonEmptyString.annotate({ title: "Client secret" }),
})

/** A stored Spry connection's options. */
export const Options = Schema.Struct({
  clinicZones: Schema.optionalKey(
    Schema.Record(Schema.NonEmptyString, IanaZone).annotate({ title: "Time zone of each clinic (by clinic id)" }),
  ),
  defaultTimeZone: Schema.optionalKey(IanaZone.annotate({ title: "Time zone of other clinics" })),
  pageSize: Schema.optionalKey(
    Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 100 }))).annotate({ title: "Page size" }),
  ),
  fullListingEveryHours: Schema.optionalKey(
    Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: 0.1, maximum: 720 }))).annotate({
      title: "Hours between full listings (deletions are found then)",
    }),
  ),
})

/** `SPRY_BASE_URL`, `SPRY_CLIENT_ID`, `SPRY_CLIENT_SECRET`, `SPRY_TIME_ZONE` from the environment. */
export const SpryConfigFromEnv: Config.Config<SpryConfig> = Config.all({
  baseUrl: Config.String("SPRY_BASE_URL").pipe(Config.withDefault(manifest.defaultBaseUrl)),
  clientId: Config.String("SPRY_CLIENT_ID"),
  clientSecret: Config.Redacted("SPRY_CLIENT_SECRET"),
  defaultTimeZone: Config.option(Config.schema(IanaZone, "SPRY_TIME_ZONE")).pipe(
    Config.map((zone) => (zone._tag === "Some" ? zone.value : undefined)),
  ),
})

export const defaults = {
  overlapMillis: 5 * 60_000,
  fullListingEveryHours: 24,
  /** Tokens last an hour; a new one is minted five minutes before, so no call carries one about to lapse. */
  refreshBeforeMillis: 5 * 60_000,
} as const
