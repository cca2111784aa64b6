// CareValidate wording: escalation titles per type (support titles from vendor-docs §5.4), organization names,
// products and the notes staff write, used by the seed, by ADD_ESCALATION validation and by staff activity.
import type { EscalationType } from "./Model.ts"

export const SUPPORT_TITLES: ReadonlyArray<string> = [
  "Cancellation",
  "Hold Order",
  "Address verification",
  "Missing ID",
  "Patient on vacation delay shipping",
  "Refill Request",
  "Price question",
  "Dose questions",
  "Missed appointment -reschedule",
  "Promo code questions",
  "Non-receipt of medication",
  "Refill not processed",
  "Shipping Delays",
  "Cancel Rx with Pharmacy",
  "Patient has a question",
  "Miscellaneous",
  "ID received -ready to process",
  "Order Medication",
  "Form Answered",
  "Waiting for patient reply",
  "Order on a later date",
  "Misdelivery",
  "Incorrect package contents",
  "Broken contents",
  "Temperature concerns",
  "Order cancellation requests",
  "Order delays",
  "Copy of script",
  "Lab request",
  "Payment Link Generated",
  "Payment Received",
  "Missing CIF",
  "Payment Confirmation Received",
  "Delinquent Task",
  "Payment: Refund Request",
  "Payment: Superbill Request",
  "Working on Case",
  "Waiting on Pharmacy reply",
  "Waiting on External support reply",
  "Patient has responded",
  "Call Back Needed - English",
  "Call Back Needed - Spanish",
  "Possible Dispute",
  "Health Coach Review",
  "Lab Results Uploaded",
  "DoseSpot Order Approved",
  "Case Denied",
  "No Decision For Case",
]

// [I] Only the first two clinical titles survive untruncated in the public docs (§5.4); the third is completed
// as "Sign the medical necessity letter". External titles are [N]; these are plausible stand-ins.
export const CLINICAL_TITLES: ReadonlyArray<string> = [
  "Case missed for review",
  "Patient has responded to providers question",
  "Sign the medical necessity letter",
]
export const EXTERNAL_TITLES: ReadonlyArray<string> = [
  "Pharmacy follow-up",
  "Lab partner follow-up",
  "Insurance verification",
  "Shipping carrier claim",
]

export const TITLES: Readonly<Record<EscalationType, ReadonlyArray<string>>> = {
  support: SUPPORT_TITLES,
  clinical: CLINICAL_TITLES,
  external: EXTERNAL_TITLES,
}

export const ORG_NAMES: ReadonlyArray<string> = [
  "Evergreen Weight Health",
  "Brightline Telehealth",
  "Northstar Men's Clinic",
  "Willow Women's Wellness",
  "Pinecrest Metabolic Care",
]

export const PRODUCTS: ReadonlyArray<string> = [
  "Semaglutide 0.25mg weekly",
  "Semaglutide 0.5mg weekly",
  "Tirzepatide 2.5mg weekly",
  "Tirzepatide 5mg weekly",
  "Metformin ER 500mg",
  "Sildenafil 50mg",
]

export const NOTES: ReadonlyArray<string> = [
  "Left voicemail for patient, awaiting call back.",
  "Patient confirmed new shipping address.",
  "Pharmacy says order ships within 2 business days.",
  "Requested updated photo ID from patient.",
  "Refund approved, processing through billing.",
  "Provider asked for recent lab results before renewal.",
  "Patient wants to pause shipment until next month.",
  "Tracking shows delivered; patient reports not received.",
  "Sent payment link by SMS.",
  "Escalated to pharmacy support, ticket opened.",
  "Patient asked about dose increase; routed to provider.",
  "Called back in Spanish, patient satisfied.",
]

export const ARCHIVE_REASONS: ReadonlyArray<string> = ["Treatment completed", "Patient request", "Duplicate case"]
