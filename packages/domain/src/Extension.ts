// Vendor-only fields, typed per vendor and tagged by vendor name: what a vendor record carries that the
// canonical task has no place for. Never untyped JSON, so a consumer can switch on `_tag` and read typed fields.
import { Schema } from "effect"
import { EscalationType } from "./Escalation.ts"
import { List, limits, Text } from "./Text.ts"

const Nullable = Schema.NullOr(Schema.String)
const PlainDateString = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/)))

export const SpryDay = Schema.Literals(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"])
export const SpryTimeSlot = Schema.Literals(["MORNING", "AFTERNOON", "EVENING", "ANYTIME"])
export const SpryAppointmentType = Schema.Literals(["INITIAL_EVAL", "FOLLOW_UP"])
export const SpryPaymentType = Schema.Literals(["SELF_PAY", "INSURANCE_PAY"])

export const VendorExtension = Schema.TaggedUnion({
  /** Candid Task V3: the claim-level facts that explain the task; only `blocksClaimSubmission` is writable. */
  candid: {
    taskType: Schema.String,
    category: Nullable,
    blocksClaimSubmission: Schema.Boolean,
    dateOfService: PlainDateString,
    encounterId: Schema.String,
    externalId: Schema.String,
    patientExternalId: Schema.String,
    payerName: Nullable,
    payerId: Nullable,
    workQueueId: Schema.optionalKey(Schema.String),
  },
  vambe: {
    statusConfigId: Nullable,
    creatorId: Nullable,
  },
  /** Kore.ai keeps the raw priority and status object ids so an unchanged value is written back as it was. */
  koreai: {
    caseId: Schema.String,
    caseRef: Schema.String,
    template: Schema.String,
    refId: Nullable,
    queues: Schema.Array(Schema.String),
    assigneeType: Nullable,
    slaBreached: Schema.Boolean,
    priorityId: Nullable,
    statusId: Nullable,
  },
  /** CareValidate escalation: the case it belongs to (writes name it) and its type; both fixed at creation. */
  carevalidate: {
    caseId: Schema.NonEmptyString,
    escalationType: EscalationType,
  },
  spry: {
    clinicId: Schema.String,
    preferredProviders: Schema.Array(Schema.String),
    preferredDays: Schema.Array(SpryDay),
    preferredTimeSlots: Schema.Array(SpryTimeSlot),
    appointmentCategoryId: Schema.String,
    appointmentCategory: Nullable,
    appointmentType: SpryAppointmentType,
    paymentType: SpryPaymentType,
    appointmentDuration: Schema.NullOr(Schema.Int),
  },
})
export type VendorExtension = typeof VendorExtension.Type

/** The writable subset of each extension, for patches (absent = unchanged). Input, so every string and list is bounded. */
export const ExtensionPatch = Schema.TaggedUnion({
  candid: { blocksClaimSubmission: Schema.optionalKey(Schema.Boolean) },
  spry: {
    preferredProviders: Schema.optionalKey(List(Text(limits.id))),
    preferredDays: Schema.optionalKey(List(SpryDay, SpryDay.literals.length)),
    preferredTimeSlots: Schema.optionalKey(List(SpryTimeSlot, SpryTimeSlot.literals.length)),
    appointmentCategoryId: Schema.optionalKey(Text(limits.id).pipe(Schema.check(Schema.isMinLength(1)))),
    appointmentType: Schema.optionalKey(SpryAppointmentType),
    paymentType: Schema.optionalKey(SpryPaymentType),
  },
})
export type ExtensionPatch = typeof ExtensionPatch.Type
