// CareValidate enums: escalation types and webhook event names. Closed for what we send, open ("known literal or
// any other string") for what we read, so a value CareValidate adds later reaches Mapping instead of failing.
import { Schema } from "effect"

// https://docs.careglp.com/docs/Case/case-escalation-add
export const EscalationTypeValues = ["support", "clinical", "external"] as const
export const EscalationType = Schema.Literals(EscalationTypeValues)
export type EscalationType = typeof EscalationType.Type
export const OpenEscalationType = Schema.Union([EscalationType, Schema.StringForLiteralAutocomplete])
export type OpenEscalationType = typeof OpenEscalationType.Type
export const isKnownEscalationType: (value: string) => value is EscalationType = Schema.is(EscalationType)

// https://support.careglp.com/ (case updates webhook article 73000637186; CHANGE_CASE_STATUS is from its older
// version). ESCALATE_CASE and DEESCALATE_CASE are the escalation signals; the rest only hint that a case changed.
export const WebhookEventValues = [
  "ADD_CASE_ASSIGNEE",
  "ADD_CASE_ATTACHMENT",
  "ADD_CASE_COMMENT",
  "ADD_CASE_DECISION",
  "ADD_FORM_RESPONSE",
  "ADD_HR_REP",
  "ADD_PAYMENT_INFO_USING_LINK",
  "ARCHIVE_CASE",
  "CALENDAR_EVENT_CANCELED",
  "CALENDAR_EVENT_CREATED",
  "CALENDAR_EVENT_NO_SHOW",
  "CALENDAR_EVENT_NO_SHOW_REMOVED",
  "CALENDAR_EVENT_RESCHEDULED",
  "CHANGE_CASE_STATUS",
  "COMMENT_ACKNOWLEDGED",
  "CREATE_CASE",
  "DECISION_DELETED",
  "DEESCALATE_CASE",
  "DELETE_ATTACHMENT",
  "DELETE_CASE_COMMENT",
  "ESCALATE_CASE",
  "FOLLOWUP_EMAIL",
  "FOLLOWUP_FORM",
  "IMPORT_CASE",
  "INBOUND_EMAIL",
  "NOTE_ACKNOWLEDGED",
  "ORDER_CREATED",
  "ORDER_STATUS_CHANGED",
  "ORDER_TRACKING_ADDED",
  "OUTBOUND_EMAIL",
  "PAYMENT_ADDED",
  "PAYMENT_COMPLETED",
  "PAYMENT_INFO_LINK_SENT",
  "REMOVE_CASE_ASSIGNEE",
  "REMOVE_HR_REP",
  "REOPEN_CASE",
  "SMS_RECEIVED",
  "SMS_SENT",
  "SUPPORT_NOTE_ADDED",
  "SUPPORT_NOTE_COMPLETED",
  "SUPPORT_NOTE_UPDATED",
  "TEXT_INFO",
  "UPDATE_FORM_RESPONSE",
  "VISIT_TYPE_CHANGED",
] as const
export const WebhookEvent = Schema.Literals(WebhookEventValues)
export type WebhookEvent = typeof WebhookEvent.Type
export const OpenWebhookEvent = Schema.Union([WebhookEvent, Schema.StringForLiteralAutocomplete])
export type OpenWebhookEvent = typeof OpenWebhookEvent.Type
export const isKnownWebhookEvent: (value: string) => value is WebhookEvent = Schema.is(WebhookEvent)
