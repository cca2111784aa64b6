// One CareValidate connection's settings. The `cv-api-key` is Redacted from the moment it is read, so no log
// line, error message or inspection can print it.
import type { IdentityMap } from "@taskbridge/domain/Assignment"
import { Config, type Redacted } from "effect"
import { manifest } from "./Manifest.ts"

export interface CareValidateConfig {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  /** Where the first backfill starts (cases are listed by creation date); default 365 days before the first pull. */
  readonly since?: Date | undefined
  /** E-mail ⇄ CareValidate user id pairs already known for this connection (more are learned from write answers). */
  readonly identities?: IdentityMap | undefined
  /**
   * The case an escalation belongs to, when the caller already knows it (the engine stores `caseRef`). Without it
   * the adapter uses the pairs it learned from pulls and writes, then searches the cases newest first.
   */
  readonly caseRefOf?: ((escalationId: string) => string | undefined) | undefined
  /** `recordsPerPage` for the case list, 1–100. */
  readonly pageSize?: number | undefined
  /** Case details fetched at once during a pull. */
  readonly detailConcurrency?: number | undefined
}

/** `CAREVALIDATE_BASE_URL` and `CAREVALIDATE_API_KEY` from the environment. */
export const CareValidateConfigFromEnv: Config.Config<CareValidateConfig> = Config.all({
  baseUrl: Config.String("CAREVALIDATE_BASE_URL").pipe(Config.withDefault(manifest.defaultBaseUrl)),
  apiKey: Config.Redacted("CAREVALIDATE_API_KEY"),
})

export const defaults = { sinceMillis: 365 * 86_400_000, pageSize: 100, detailConcurrency: 4 } as const
