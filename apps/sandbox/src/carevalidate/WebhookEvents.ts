// Which CareValidate webhook event an escalation change is, and the body Care360 would POST for it
// (vendor-docs §5.8): `{"event": …, <event object>, "payload": {"case": <the case detail>}}`.
import type { WebhookHub } from "../framework/WebhookHub.ts"
import type { Case, Escalation } from "./Model.ts"
import type { CareValidateStore, EscalationChangeKind } from "./Store.ts"
import { caseDetailWire, escalationWire } from "./Wire.ts"

/** What each delivery in the log names besides the event: the case and escalation that moved. */
export type EscalationSubject = { readonly caseId: string; readonly escalationId: string }

/**
 * Every event name CareValidate documents [D: support.careglp.com/…/73000637186, plus CHANGE_CASE_STATUS from
 * its older version]. A target may subscribe to any of them (a typo is a 400, not silence); the emulator sends
 * only the escalation ones below.
 */
export const DOCUMENTED_EVENTS: ReadonlyArray<string> = [
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
]

/**
 * [D] ESCALATE_CASE / DEESCALATE_CASE are the escalation add / complete signals (§5.8). [I] No documented event
 * names an escalation *edit*: ADD_CASE_ASSIGNEE and FOLLOWUP_EMAIL/FORM concern the case's own assignee and
 * follow-up messages, not an escalation's fields. Escalations carry a note, a follow-up and an assignee and are
 * mostly of type "support", and SUPPORT_NOTE_ADDED/UPDATED/COMPLETED mirror add/edit/complete one-to-one, so
 * they are most likely the same objects under their older name: an edit (API or staff) is SUPPORT_NOTE_UPDATED.
 * Add and complete are sent only under the names the docs tie to escalations, so each change is one event.
 */
const EVENT_OF: Readonly<Record<EscalationChangeKind, string>> = {
  added: "ESCALATE_CASE",
  completed: "DEESCALATE_CASE",
  updated: "SUPPORT_NOTE_UPDATED",
}

/**
 * The event object is ours [I]: the docs show only its place. It names the case and escalation that moved
 * (a case can have several escalations) and carries an `eventId` that stays the same on the retry, so a
 * receiver can drop duplicates. The payload is always "Full Case Data", as the case-detail GET returns it.
 */
export const announce = (
  webhooks: WebhookHub<EscalationSubject>,
  store: CareValidateStore,
  kind: EscalationChangeKind,
  c: Case,
  e: Escalation,
): void => {
  const event = EVENT_OF[kind]
  const organizationId = store.orgs[c.org]?.organizationId ?? ""
  webhooks.publish({ event, organizationId, subject: { caseId: c.id, escalationId: e.id } }, (eventId) =>
    JSON.stringify({
      event,
      eventId,
      caseId: c.id,
      escalationId: e.id,
      escalation: escalationWire(e),
      payload: { case: caseDetailWire(store, c) },
    }),
  )
}
