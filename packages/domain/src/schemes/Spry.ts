// Spry waitlist request statuses: ACTIVE is the only live state; FULFILLED and EXPIRED are set by Spry itself;
// every terminal request refuses any further change (409 code 4090 "waitlist request is closed").
// https://api-docs.spryhealth.care/api/waitlist/update/
import { type StatusScheme, status } from "../StatusScheme.ts"

export const spryStatuses = ["ACTIVE", "FULFILLED", "CANCELLED", "EXPIRED"] as const
export type SpryStatus = (typeof spryStatuses)[number]

export const spryScheme = (): StatusScheme => ({
  vendor: "spry",
  addressing: "name",
  transitions: [
    { from: "ACTIVE", to: "CANCELLED" },
    { from: "ACTIVE", to: "FULFILLED" },
    { from: "ACTIVE", to: "EXPIRED" },
  ],
  freezesOnTerminal: true,
  preferred: {},
  statuses: [
    status("ACTIVE", 0, "open"),
    status("FULFILLED", 1, "done", { terminal: true, systemOnly: true }),
    status("CANCELLED", 2, "cancelled", { terminal: true }),
    // An expired request never happened, which is what "cancelled" means canonically.
    status("EXPIRED", 3, "cancelled", { terminal: true, systemOnly: true }),
  ],
})
