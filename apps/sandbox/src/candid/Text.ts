// Realistic Candid task text: descriptions per task type, which categories each type tends to carry, and
// what billing staff write in notes. Derived from hashes so a million tasks store no strings.
import { TASK_CATEGORIES, TASK_TYPES, type TaskType } from "./Enums.ts"

const DESCRIPTIONS: Readonly<Record<TaskType, string>> = {
  CUSTOMER_DATA_REQUEST: "Please provide the missing information so this visit can be billed",
  CLAIM_SUBMISSION_RUN_VALIDATIONS_FAILURE: "Claim failed pre-submission validations",
  CLAIM_SUBMISSION_SUBMIT_CLAIM_FAILURE: "Claim could not be submitted to the clearinghouse",
  CLAIM_SUBMISSION_TRANSFORM_FAILURE: "Claim could not be transformed into an 837P",
  CODE_CLAIM: "Encounter is ready for coding",
  CODE_CLAIM_REVIEW: "Coder flagged this claim for review",
  ELIGIBILITY: "Eligibility check failed with {payer}",
  CLAIM_FOLLOW_UP: "No response from {payer} 30 days after submission",
  REJECTION_RESOLUTION: "Claim rejected by {payer}",
  PAYER_CONFIGURATION_ERROR: "Payer configuration for {payer} is incomplete",
  DENIAL_RESOLUTION: "Claim denied by {payer}",
  MISSING_ENROLLMENT: "Billing provider is not enrolled with {payer}",
  CHARGE_CAPTURE_UPDATE: "Charge capture changed after the claim was created",
}

const CATEGORIES_BY_TYPE: Readonly<Record<TaskType, string>> = {
  CUSTOMER_DATA_REQUEST:
    "information_requested_from_patient medical_records_request documentation_addendum_request incorrect_patient_address",
  CLAIM_SUBMISSION_RUN_VALIDATIONS_FAILURE:
    "missing_diagnosis_codes incorrect_billing_provider_info invalid_diagnosis_code",
  CLAIM_SUBMISSION_SUBMIT_CLAIM_FAILURE: "transient_server_error incorrect_payer missing_claims_enrollment",
  CLAIM_SUBMISSION_TRANSFORM_FAILURE:
    "missing_or_incorrect_modifier incorrect_place_of_service_code incorrect_quantity",
  CODE_CLAIM: "missing_diagnosis_codes incorrect_procedure_code multiple_em_claims",
  CODE_CLAIM_REVIEW: "downcoding_review coding_frequency_error missing_or_incorrect_modifier",
  ELIGIBILITY:
    "inactive_coverage unknown_eligibility_or_patient_not_found incorrect_member_id coordination_of_benefits",
  CLAIM_FOLLOW_UP: "other submit_to_secondary pending_manual_remit_posting patient_collections",
  REJECTION_RESOLUTION: "incorrect_member_id incorrect_name incorrect_date_of_birth missing_or_incorrect_group_number",
  PAYER_CONFIGURATION_ERROR: "payer_configuration_error incorrect_payer",
  DENIAL_RESOLUTION: "authorization_required non_covered_diagnosis_codes missing_patient_authorization",
  MISSING_ENROLLMENT: "provider_enrollment_or_contracting missing_remittance_enrollment provider_credentialing",
  CHARGE_CAPTURE_UPDATE: "missing_or_incorrect_charge_amount missing_or_incorrect_ndc held_by_customer",
}

/** Category indexes a task of each type is plausibly filed under. */
export const categoriesFor = (type: number): ReadonlyArray<number> => {
  const name = TASK_TYPES[type] ?? "CLAIM_FOLLOW_UP"
  return CATEGORIES_BY_TYPE[name].split(" ").map((category) => TASK_CATEGORIES.indexOf(category))
}

export const describeTask = (type: number, category: string | undefined, payerName: string | undefined): string => {
  const base = DESCRIPTIONS[TASK_TYPES[type] ?? "CLAIM_FOLLOW_UP"].replace("{payer}", payerName ?? "the payer")
  return category === undefined ? base : `${base} (${category.replaceAll("_", " ")})`
}

export const NOTE_TEXTS: ReadonlyArray<string> = [
  "Called the payer, rep says the claim is in process. Reference number noted in the account.",
  "Sent a corrected claim with the updated member ID.",
  "Requested medical records from the practice; waiting on upload.",
  "Patient confirmed new coverage effective the first of the month.",
  "Appeal letter drafted and faxed to the payer.",
  "Provider enrollment is pending with the payer; expected within 30 days.",
  "Updated the diagnosis codes per the coder's review.",
  "Verified eligibility in the payer portal; coverage is active.",
  "Escalated to the billing lead for review.",
  "Payer requested an itemized bill; sent via the portal.",
  "Secondary insurance on file; will bill after the primary ERA posts.",
  "Left a voicemail for the practice manager about the missing referral.",
  "Resubmitted after the clearinghouse outage.",
  "Modifier 25 added to the E/M line per documentation.",
  "Authorization number received and attached to the encounter.",
]

export const CANDID_STAFF: ReadonlyArray<string> = ["Jordan Ellis", "Priya Raman", "Marcus Webb", "Ana Sousa"]
