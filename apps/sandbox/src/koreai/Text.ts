// Seed text for the Kore.ai emulator: contact-center case and task wording of a US healthcare provider's patient
// service team, queue names, and the custom statuses and priorities an admin typically adds.
import type { StatusCategory } from "./Model.ts"

export const ACCOUNT_NAMES: ReadonlyArray<string> = [
  "Harborview Patient Services",
  "Summit Care Contact Center",
  "Riverside Health Access",
  "Maple Grove Clinics Support",
]

export const CASE_NAMES: ReadonlyArray<string> = [
  "Billing dispute",
  "Prescription refill request",
  "Referral follow-up",
  "Appointment rescheduling",
  "Prior authorization",
  "Medical records request",
  "Insurance verification",
  "Lab results inquiry",
]

export const TASK_NAMES: ReadonlyArray<string> = [
  "Call patient back about lab results",
  "Verify insurance eligibility",
  "Send refill request to pharmacy",
  "Request prior authorization",
  "Schedule follow-up visit",
  "Email itemized statement",
  "Confirm referral was received",
  "Collect signed records release",
  "Review denied claim",
  "Update patient contact details",
  "Escalate to nurse line",
  "Arrange interpreter for visit",
]

export const TASK_DESCRIPTIONS: ReadonlyArray<string> = [
  "Patient asked to be called after 3 pm.",
  "Waiting on payer portal confirmation.",
  "Pharmacy faxed the request twice already.",
  "Member id on file looks outdated.",
  "Provider wants this done before Friday.",
  "Patient prefers email over phone.",
  "",
]

export const TEMPLATE_NAMES: ReadonlyArray<string> = ["Patient callback", "Payer follow-up", "Records request"]

export const QUEUE_NAMES: ReadonlyArray<string> = ["Front Desk", "Billing", "Clinical Support", "Referrals"]

/** The five system statuses [D: configure-cases], one per status type. */
export const SYSTEM_STATUSES: ReadonlyArray<{ readonly name: string; readonly statusCategory: StatusCategory }> = [
  { name: "Open", statusCategory: "open" },
  { name: "In Progress", statusCategory: "in_progress" },
  { name: "On Hold", statusCategory: "on_hold" },
  { name: "Resolved", statusCategory: "resolved" },
  { name: "Closed", statusCategory: "closed" },
]

/** Custom statuses; the last one is inactive ("cannot be used anywhere else" [D]). */
export const CUSTOM_STATUSES: ReadonlyArray<{
  readonly name: string
  readonly statusCategory: StatusCategory
  readonly isActive: boolean
}> = [
  { name: "Awaiting Patient", statusCategory: "on_hold", isActive: true },
  { name: "Escalated", statusCategory: "in_progress", isActive: true },
  { name: "Legacy Review", statusCategory: "in_progress", isActive: false },
]

/** System priorities [D] with [I] scores on the 1–15 scale (the one sample has Medium = 10). */
export const SYSTEM_PRIORITIES: ReadonlyArray<{
  readonly name: string
  readonly score: number
  readonly color: string
}> = [
  { name: "Low", score: 5, color: "#2563EB" },
  { name: "Medium", score: 10, color: "#16A34A" },
  { name: "High", score: 13, color: "#EA580C" },
  { name: "Critical", score: 15, color: "#DC2626" },
]

/** Custom priorities; the last one is inactive. */
export const CUSTOM_PRIORITIES: ReadonlyArray<{
  readonly name: string
  readonly score: number
  readonly color: string
  readonly isActive: boolean
}> = [
  { name: "Routine", score: 3, color: "#64748B", isActive: true },
  { name: "Same Day", score: 12, color: "#CA8A04", isActive: true },
  { name: "Deprecated Urgent", score: 14, color: "#9333EA", isActive: false },
]
