// CareValidate Care360 escalation statuses: only `isCompleted`, which CareValidate alone flips (no API completes
// an escalation) and which freezes the escalation (updates answer 400 "Escalation not found").
// https://docs.careglp.com/docs/Case/case-escalation-update
import { type StatusScheme, status } from "../StatusScheme.ts"

export const careValidateStatuses = ["active", "completed"] as const
export type CareValidateStatus = (typeof careValidateStatuses)[number]

/** The wire has a boolean; the scheme names its two values so they read like every other vendor's statuses. */
export const careValidateStatusOf = (isCompleted: boolean): CareValidateStatus => (isCompleted ? "completed" : "active")

export const careValidateEscalationScheme = (): StatusScheme => ({
  vendor: "carevalidate",
  addressing: "name",
  transitions: [{ from: "active", to: "completed" }],
  freezesOnTerminal: true,
  preferred: {},
  statuses: [status("active", 0, "open"), status("completed", 1, "done", { terminal: true, systemOnly: true })],
})
