// Candid Tasks V3 enums: the known literal lists, closed schemas for requests and open schemas for responses.
// Candid treats new enum values as non-breaking, so responses use "known literal or any other string".
// Source: candid-node `src/api/resources/tasks/resources/commons/types/*.ts` (SDK 1.30.0).
import { Schema } from "effect"

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update (status enum; 7 values)
export const TaskStatusValues = [
  "finished",
  "addressed_by_provider_group",
  "sent_to_provider_group",
  "open",
  "blocked",
  "waiting_for_review",
  "in_progress",
] as const

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get (task_type enum; 13 values)
export const TaskTypeValues = [
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

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get (category enum; the SDK has 43, the page shows 42)
export const TaskCategoryValues = [
  "other",
  "provider_credentialing",
  "authorization_required",
  "inactive_coverage",
  "unknown_eligibility_or_patient_not_found",
  "incorrect_member_id",
  "documentation_addendum_request",
  "coordination_of_benefits",
  "missing_or_incorrect_gender",
  "incorrect_date_of_birth",
  "incorrect_payer",
  "incorrect_name",
  "invalid_diagnosis_code",
  "non_covered_diagnosis_codes",
  "information_requested_from_patient",
  "incorrect_rendering_provider_info",
  "missing_or_incorrect_modifier",
  "coding_frequency_error",
  "incorrect_patient_address",
  "multiple_em_claims",
  "missing_or_incorrect_charge_amount",
  "medical_records_request",
  "provider_enrollment_or_contracting",
  "missing_or_incorrect_group_number",
  "missing_diagnosis_codes",
  "missing_patient_authorization",
  "incorrect_billing_provider_info",
  "incorrect_procedure_code",
  "incorrect_quantity",
  "incorrect_place_of_service_code",
  "incorrect_service_facility_info",
  "incorrect_date_of_service",
  "missing_or_incorrect_ndc",
  "patient_collections",
  "submit_to_secondary",
  "transient_server_error",
  "missing_remittance_enrollment",
  "missing_claims_enrollment",
  "held_by_customer",
  "pending_manual_remit_posting",
  "incorrect_referring_provider_info",
  "payer_configuration_error",
  "downcoding_review",
] as const

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get (the get-all `sort` query parameter; default
// updated_at:desc; candid-node `tasks/resources/v3/types/TaskSortOptions.ts`). A request-only value, so closed.
export const TaskSortOptionValues = [
  "updated_at:asc",
  "updated_at:desc",
  "patient_name:asc",
  "patient_name:desc",
  "patient_external_id:asc",
  "patient_external_id:desc",
  "payer_name:asc",
  "payer_name:desc",
  "payer_id:asc",
  "payer_id:desc",
  "status:asc",
  "status:desc",
  "task_type:asc",
  "task_type:desc",
  "category:asc",
  "category:desc",
  "agg_updated_at:asc",
  "agg_updated_at:desc",
  "date_of_service:asc",
  "date_of_service:desc",
  "blocks_claim_submission:asc",
  "blocks_claim_submission:desc",
] as const

/** Closed schemas: what we may send. */
export const TaskStatus = Schema.Literals(TaskStatusValues)
export type TaskStatus = typeof TaskStatus.Type
export const TaskType = Schema.Literals(TaskTypeValues)
export type TaskType = typeof TaskType.Type
export const TaskCategory = Schema.Literals(TaskCategoryValues)
export type TaskCategory = typeof TaskCategory.Type
export const TaskSortOption = Schema.Literals(TaskSortOptionValues)
export type TaskSortOption = typeof TaskSortOption.Type

// Open schemas: what we accept. The raw string is kept so mapping can fall back and warn instead of failing a page.
// `string & {}` keeps the known literals visible to the type checker; the guards below tell known from unknown.
export const OpenTaskStatus = Schema.Union([TaskStatus, Schema.StringForLiteralAutocomplete])
export type OpenTaskStatus = typeof OpenTaskStatus.Type
export const OpenTaskType = Schema.Union([TaskType, Schema.StringForLiteralAutocomplete])
export type OpenTaskType = typeof OpenTaskType.Type
export const OpenTaskCategory = Schema.Union([TaskCategory, Schema.StringForLiteralAutocomplete])
export type OpenTaskCategory = typeof OpenTaskCategory.Type

export const isKnownTaskStatus: (value: string) => value is TaskStatus = Schema.is(TaskStatus)
export const isKnownTaskType: (value: string) => value is TaskType = Schema.is(TaskType)
export const isKnownTaskCategory: (value: string) => value is TaskCategory = Schema.is(TaskCategory)
