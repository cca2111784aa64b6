// Candid Health Task V3 statuses: a fixed 7-value enum, `finished` terminal, and a configurable set of statuses
// deprecated for writes (Candid answers 422 TaskUpdatedToDeprecatedStatusError but never documents which).
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update
import { type StatusScheme, status } from "../StatusScheme.ts"

export const candidStatuses = [
  "open",
  "in_progress",
  "blocked",
  "waiting_for_review",
  "finished",
  "sent_to_provider_group",
  "addressed_by_provider_group",
] as const
export type CandidStatus = (typeof candidStatuses)[number]

/** vendor-docs/README.md §1.6 [I]: the legacy provider-group hand-off looks like the deprecated pair. */
export const defaultCandidDeprecated: ReadonlyArray<string> = ["sent_to_provider_group", "addressed_by_provider_group"]

export interface CandidSchemeOptions {
  readonly deprecated?: ReadonlyArray<string> | undefined
}

export const candidScheme = (options: CandidSchemeOptions = {}): StatusScheme => {
  const deprecated = new Set(options.deprecated ?? defaultCandidDeprecated)
  const forbid = (name: string) => ({ writeForbidden: deprecated.has(name) })
  return {
    vendor: "candid",
    addressing: "name",
    transitions: "any",
    freezesOnTerminal: false,
    // A blocked task waits on someone else; review is a narrower wait, so `blocked` is the default for "waiting".
    preferred: { waiting: "blocked" },
    statuses: [
      status("open", 0, "open", forbid("open")),
      status("in_progress", 1, "in_progress", forbid("in_progress")),
      status("blocked", 2, "waiting", forbid("blocked")),
      status("waiting_for_review", 3, "waiting", forbid("waiting_for_review")),
      status("finished", 4, "done", { terminal: true, ...forbid("finished") }),
      status("sent_to_provider_group", 5, "waiting", forbid("sent_to_provider_group")),
      status("addressed_by_provider_group", 6, "in_progress", forbid("addressed_by_provider_group")),
    ],
  }
}
