// Spry wording: practice and clinic names, US time zones, physical-therapy appointment categories and the notes front
// desks write on waitlist requests, used by the seed, the matching and staff activity.
import type { AppointmentType } from "./Enums.ts"

export const PRACTICE_NAMES: ReadonlyArray<string> = [
  "Northwind Physical Therapy",
  "Summit Sports & Spine",
  "Riverbend Rehab Partners",
  "Cedar Valley PT",
  "Harborview Movement Clinic",
]

export const CLINIC_SITES: ReadonlyArray<string> = ["Downtown", "Eastside", "Lakeshore", "Midtown", "Westfield"]

/** One zone per clinic, so "today" differs between clinics near midnight. */
export const TIME_ZONES: ReadonlyArray<string> = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Phoenix",
]

export const CATEGORIES: ReadonlyArray<{ label: string; type: AppointmentType; durationMinutes: number }> = [
  { label: "PT Initial Evaluation", type: "INITIAL_EVAL", durationMinutes: 60 },
  { label: "Post-op Knee Evaluation", type: "INITIAL_EVAL", durationMinutes: 60 },
  { label: "Vestibular Evaluation", type: "INITIAL_EVAL", durationMinutes: 60 },
  { label: "PT Follow Up", type: "FOLLOW_UP", durationMinutes: 45 },
  { label: "Dry Needling", type: "FOLLOW_UP", durationMinutes: 30 },
  { label: "Pelvic Floor Follow Up", type: "FOLLOW_UP", durationMinutes: 45 },
]

export const NOTES: ReadonlyArray<string> = [
  "Patient prefers morning appointments",
  "Can come in on short notice; call the mobile first",
  "Needs a ground-floor room",
  "Post-op week 3, surgeon wants PT twice a week",
  "Works nights, afternoons only",
  "Prefers the same therapist as last episode",
  "Insurance authorization pending, verify before booking",
  "Interpreter needed (Spanish)",
  "Would take any cancellation this week",
  "School pickup at 3pm, mornings work best",
]
