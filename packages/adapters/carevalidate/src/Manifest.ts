// CareValidate Care360's vendor facts as data, checked by the domain's VendorManifest schema: `cv-api-key` auth, no
// documented rate limit, signed webhooks, and escalation capabilities: the note (the work item's description), the
// follow-up instant and one e-mail assignee are writable, and none of them can be cleared.
// https://docs.careglp.com/docs/Case/case-escalation-update

import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { Schema } from "effect"

export const manifest: VendorManifest = Schema.decodeUnknownSync(VendorManifest)({
  vendor: "carevalidate",
  displayName: "CareValidate Care360",
  docsUrl: "https://docs.careglp.com/docs/Case/case-escalation-update",
  defaultBaseUrl: "https://api.care360-next.carevalidate.com",
  recordKind: "escalation",
  auth: "api-key",
  // No rate limit is documented (vendor-docs §5.7); 429s are still honoured through Retry-After.
  rateBudget: null,
  retryableStatuses: [408, 429, 500, 502, 503, 504],
  // `x-cv-signature`: hex HMAC-SHA256 of the body under the secret set in CareValidate's webhook settings (§5.8).
  webhookSignature: "hmac-sha256-hex",
  // `recordsPerPage` is at most 100.
  pageSize: 100,
  // A GET per push; CareValidate publishes no rate limit.
  lookBeforeWrite: { via: "read" },
  // An escalation has no address of its own: its case's detail (`GET /api/v1/customer-case-detail?caseId=`) holds it.
  recordUrl: "{baseUrl}/api/v1/customer-case-detail?caseId={parent}",
  capabilities: {
    fields: {
      // Type and title are set by ADD_ESCALATION and never change.
      title: "create-only",
      // The escalation's single note, replaced on every write.
      description: "writable",
      // Completion is one-way and done by CareValidate only.
      status: "read-only",
      priority: "unsupported",
      due: "writable",
      assignees: "writable",
      tags: "unsupported",
      notes: "unsupported",
    },
    // `note: null` and `followUpDueAt: null` are VALIDATION_ERRORs, and no unassign exists.
    cannotClear: ["description", "due", "assignees"],
    assignment: "single",
    assigneeKinds: ["Email", "User"],
    priorityLevels: [],
    // `followUpDueAt: null` is a VALIDATION_ERROR and no other way to clear is documented: instants only.
    dueForms: ["Instant"],
    canCreate: true,
    canDelete: false,
    changeDetection: "webhook-reconcile",
    // Escalations are never deleted; completion is a status.
    deletions: "none",
    webhooks: true,
  },
})
