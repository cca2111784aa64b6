// Kore.ai's identifiers: `ti-…` tasks, `ci-…` cases, `st-…` streams, `sts-…` statuses, `pr-…` priorities, `u-…`
// users (a prefix before a deterministic UUID), and the human references `TS000102` / `CS000108` counted per account.
import { uuidOf } from "../framework/Ids.ts"

export const prefixed = (prefix: string, ...parts: ReadonlyArray<number>) => `${prefix}-${uuidOf(...parts)}`

/** `TS000102` / `CS000108`: a per-account counter, six digits as in the docs' samples. */
export const refOf = (prefix: "TS" | "CS", n: number) => `${prefix}${String(n).padStart(6, "0")}`
