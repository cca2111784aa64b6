// Candid Tasks V3 closed sets, exactly as candid-node 1.30.0 declares them (vendor-docs/README.md §1.6).
// Order matters: the emulator stores each as a small integer index into these lists.

export const TASK_STATUSES = [
  "finished",
  "addressed_by_provider_group",
  "sent_to_provider_group",
  "open",
  "blocked",
  "waiting_for_review",
  "in_progress",
] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** [I] The docs never say which statuses are deprecated; these two look like the legacy hand-off workflow. */
export const DEFAULT_DEPRECATED_STATUSES: ReadonlyArray<TaskStatus> = [
  "sent_to_provider_group",
  "addressed_by_provider_group",
]

export const TASK_TYPES = [
  "CUSTOMER_DATA_REQUEST",
  "CLAIM_SUBMISSION_RUN_VALIDATIONS_FAILURE",
  "CLAIM_SUBMISSION_SUBMIT_CLAIM_FAILURE",
  "CLAIM_SUBMISSION_TRANSFORM_FAILURE",
  "CODE_CLAIM",
  "CODE_CLAIM_REVIEW",
  "ELIGIBILITY",
  "CLAIM_FOLLOW_UP",
  "REJECTION_RESOLUTION",
  "PAYER_CONFIGURATION_ERROR",
  "DENIAL_RESOLUTION",
  "MISSING_ENROLLMENT",
  "CHARGE_CAPTURE_UPDATE",
] as const
export type TaskType = (typeof TASK_TYPES)[number]

// 43 values, SDK 1.30.0 order; kept as one string so the list stays readable.
export const TASK_CATEGORIES: ReadonlyArray<string> = (
  "other provider_credentialing authorization_required inactive_coverage " +
  "unknown_eligibility_or_patient_not_found incorrect_member_id documentation_addendum_request " +
  "coordination_of_benefits missing_or_incorrect_gender incorrect_date_of_birth incorrect_payer incorrect_name " +
  "invalid_diagnosis_code non_covered_diagnosis_codes information_requested_from_patient " +
  "incorrect_rendering_provider_info missing_or_incorrect_modifier coding_frequency_error " +
  "incorrect_patient_address multiple_em_claims missing_or_incorrect_charge_amount medical_records_request " +
  "provider_enrollment_or_contracting missing_or_incorrect_group_number missing_diagnosis_codes " +
  "missing_patient_authorization incorrect_billing_provider_info incorrect_procedure_code incorrect_quantity " +
  "incorrect_place_of_service_code incorrect_service_facility_info incorrect_date_of_service " +
  "missing_or_incorrect_ndc patient_collections submit_to_secondary transient_server_error " +
  "missing_remittance_enrollment missing_claims_enrollment held_by_customer pending_manual_remit_posting " +
  "incorrect_referring_provider_info payer_configuration_error downcoding_review"
).split(" ")

/** Stored in the category column when a task has none (category is optional on the wire). */
export const NO_CATEGORY = 255

export const SORT_FIELDS = [
  "updated_at",
  "patient_name",
  "patient_external_id",
  "payer_name",
  "payer_id",
  "status",
  "task_type",
  "category",
  "agg_updated_at",
  "date_of_service",
  "blocks_claim_submission",
] as const
export type SortField = (typeof SORT_FIELDS)[number]

/** All 22 documented `sort` values: every field with `:asc` and `:desc`. */
export const SORT_OPTIONS: ReadonlyArray<string> = SORT_FIELDS.flatMap((field) => [`${field}:asc`, `${field}:desc`])

export const DEFAULT_SORT = "updated_at:desc"

export const TASK_ACTION_TYPES = ["close_task", "close_task_and_reprocess"] as const

export const indexIn = <T extends string>(list: ReadonlyArray<T>, value: unknown): number =>
  typeof value === "string" ? list.indexOf(value as T) : -1
