// CareValidate Care360 escalation wire schemas: escalations, the ADD/UPDATE_ESCALATION action bodies, the three
// response envelopes and the case webhook payload. Escalations live inside a case and have no endpoint of their own.
// Auth is the organization's `cv-api-key` header; every escalation write is `POST /api/v1/cases/:caseId`.

import { EmailAddress as Email, Guid, IsoDateTime } from "@taskbridge/domain/Wire"
import { Schema } from "effect"
import { closedStruct } from "./internal/closedStruct.ts"
import { EscalationType, OpenEscalationType, OpenWebhookEvent } from "./internal/enums.ts"

// ---------------------------------------------------------------------------------------------------------------
// Escalation, as listed in the `data.escalations` of action responses (active escalations only).
// https://docs.careglp.com/docs/Case/case-escalation-update

export const Escalation = Schema.Struct({
  // Ids are read as plain strings: the doc's own example assignee id ("u1v2w3x4-…") is not a UUID.
  id: Schema.String,
  type: OpenEscalationType,
  /** One of a fixed list of titles per type; it doubles as the escalation's category. */
  title: Schema.String,
  note: Schema.NullOr(Schema.String),
  followUpDueAt: Schema.NullOr(IsoDateTime),
  /** The assignee is written by email and read back by id. */
  assignedToUserId: Schema.NullOr(Schema.String),
  // Completion is one-way and done by CareValidate; completed escalations vanish from responses.
  isCompleted: Schema.Boolean,
  createdAt: IsoDateTime,
  // Absent from the doc's "Escalation Not Found" example.
  updatedAt: Schema.optionalKey(IsoDateTime),
})
export type Escalation = typeof Escalation.Type

export const EscalationsData = Schema.Struct({ escalations: Schema.Array(Escalation) })
export type EscalationsData = typeof EscalationsData.Type

// ---------------------------------------------------------------------------------------------------------------
// Action bodies. CareValidate validates them strictly (unknown keys, empty arrays and non-UUID ids are 400
// VALIDATION_ERROR), so these schemas reject the same things before a request leaves.
// https://docs.careglp.com/docs/Case/case-escalation-update

/** Changes to one active escalation; `assignedToEmail` must be a CVTPA user and replaces the assignee. */
export const UpdateEscalationItem = closedStruct({
  escalationId: Guid,
  note: Schema.optionalKey(Schema.String),
  followUpDueAt: Schema.optionalKey(IsoDateTime),
  assignedToEmail: Schema.optionalKey(Email),
})
export type UpdateEscalationItem = typeof UpdateEscalationItem.Type

export const UpdateEscalationRequest = closedStruct({
  action: Schema.Literal("UPDATE_ESCALATION"),
  escalations: Schema.NonEmptyArray(UpdateEscalationItem),
})
export type UpdateEscalationRequest = typeof UpdateEscalationRequest.Type

// https://docs.careglp.com/docs/Case/case-escalation-add
/**
 * A new escalation. The doc shows "5 child properties" but names only type and title; the other three are
 * inferred to mirror UPDATE. Type and title cannot be changed afterwards.
 */
export const AddEscalationItem = closedStruct({
  type: EscalationType,
  title: Schema.String.check(Schema.isMinLength(1)),
  note: Schema.optionalKey(Schema.String),
  followUpDueAt: Schema.optionalKey(IsoDateTime),
  assignedToEmail: Schema.optionalKey(Email),
})
export type AddEscalationItem = typeof AddEscalationItem.Type

export const AddEscalationRequest = closedStruct({
  action: Schema.Literal("ADD_ESCALATION"),
  escalations: Schema.NonEmptyArray(AddEscalationItem),
})
export type AddEscalationRequest = typeof AddEscalationRequest.Type

// ---------------------------------------------------------------------------------------------------------------
// Response envelopes: three shapes coexist. Note "Case not found!" is a 400 and a cross-org case a 401.
// https://docs.careglp.com/docs/Case/case-escalation-update (Responses)

export const SuccessResponse = <S extends Schema.Top>(data: S) =>
  Schema.Struct({ status: Schema.Int, success: Schema.Literal(true), message: Schema.String, data })

/** A business error; "Escalation not found" also returns the active escalations so valid ids can be recovered. */
export const BusinessErrorResponse = <S extends Schema.Top>(data: S) =>
  Schema.Struct({
    status: Schema.Int,
    success: Schema.Literal(false),
    message: Schema.optionalKey(Schema.String),
    error: Schema.String,
    data: Schema.optionalKey(data),
  })

/** A schema violation; `error` reads "<path>, <message>", e.g. "escalations.0.escalationId, … valid UUID". */
export const ValidationErrorResponse = Schema.Struct({
  status: Schema.Int,
  code: Schema.Literal("VALIDATION_ERROR"),
  error: Schema.String,
})
export type ValidationErrorResponse = typeof ValidationErrorResponse.Type

export const CaseActionResponse = <S extends Schema.Top>(data: S) =>
  Schema.Union([SuccessResponse(data), BusinessErrorResponse(data), ValidationErrorResponse])

/** What ADD_ESCALATION and UPDATE_ESCALATION answer. */
export const EscalationResponse = CaseActionResponse(EscalationsData)
export type EscalationResponse = typeof EscalationResponse.Type

// ---------------------------------------------------------------------------------------------------------------
// Reads: the case list (created-date window ≤ 60 days, `after` cursor) and the case detail with its escalations.
// https://docs-staging.careglp.com/docs/Case/get-cases-endpoint
// https://docs-staging.careglp.com/docs/Case/customer-case-detail

/** Only what a pull needs from a listed case: its id and when it last changed. */
export const CaseSummary = Schema.Struct({ id: Schema.String, createdAt: IsoDateTime, updatedAt: IsoDateTime })
export const CasePage = SuccessResponse(
  Schema.Struct({
    cases: Schema.Array(CaseSummary),
    pageInfo: Schema.Struct({
      cursor: Schema.Struct({ start: Schema.NullOr(Schema.String), end: Schema.NullOr(Schema.String) }),
      hasNextPage: Schema.Boolean,
    }),
  }),
)
export type CasePage = typeof CasePage.Type

/** The detail lists every escalation of the case, completed ones included (the list's cases carry none). */
export const CaseDetail = SuccessResponse(
  Schema.Struct({
    case: Schema.Struct({ id: Schema.String, updatedAt: IsoDateTime, escalations: Schema.Array(Escalation) }),
  }),
)
export type CaseDetail = typeof CaseDetail.Type

/** The detail with its escalations still raw: the client reads them one by one, so one broken one is quarantined. */
export const RawCaseDetail = SuccessResponse(
  Schema.Struct({
    case: Schema.Struct({ id: Schema.String, updatedAt: IsoDateTime, escalations: Schema.Array(Schema.Unknown) }),
  }),
)

/** A 200 from ADD/UPDATE_ESCALATION: the case's active escalations after the write. */
export const EscalationSuccess = SuccessResponse(EscalationsData)

// ---------------------------------------------------------------------------------------------------------------
// Case webhook, decoded loosely: the event object's keys vary per event and are kept as they came.
// https://docs.careglp.com/docs/case-webhook-payloads/introduction

const Loose = [Schema.Record(Schema.String, Schema.Unknown)] as const

/** The case as sent with "Full Case Data"; only the fields a sync acts on are typed. */
export const WebhookCase = Schema.StructWithRest(
  Schema.Struct({
    id: Schema.optionalKey(Schema.String),
    status: Schema.optionalKey(Schema.String),
    isEscalated: Schema.optionalKey(Schema.Boolean),
  }),
  Loose,
)
export type WebhookCase = typeof WebhookCase.Type

/** `{event, <event object>, payload: {case}}`; with "Only Event Data" the case is absent. */
export const WebhookPayload = Schema.StructWithRest(
  Schema.Struct({
    event: OpenWebhookEvent,
    payload: Schema.optionalKey(Schema.StructWithRest(Schema.Struct({ case: Schema.optionalKey(WebhookCase) }), Loose)),
  }),
  Loose,
)
export type WebhookPayload = typeof WebhookPayload.Type
