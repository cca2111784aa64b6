// CareValidate Care360's vendor facts as data, checked by the domain's VendorManifest schema: `cv-api-key` auth, no
// documented rate limit, and escalation capabilities (note, follow-up instant and one e-mail assignee are writable).
// https://docs.careglp.com/docs/Case/case-escalation-update

import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { Schema } from "effect"

export const manifest: VendorManifest = Schema.decodeUnknownSync(VendorManifest)({
  vendor: "carevalidate",
  displayName: "CareValidate Care360",
  docsUrl: "https://docs.careglp.com/docs/Case/case-escalation-update",
  defaultBaseUrl: "https://api.careglp.com",
  auth: "api-key",
  // No rate limit is documented (vendor-docs §5.7); 429s are still honoured through Retry-After.
  rateBudget: null,
  retryableStatuses: [408, 429, 500, 502, 503, 504],
  webhookSignature: null,
  capabilities: {
    fields: {
      // Type and title are set by ADD_ESCALATION and never change.
      title: "create-only",
      description: "unsupported",
      // Completion is one-way and done by CareValidate only.
      status: "read-only",
      priority: "unsupported",
      due: "writable",
      assignees: "writable",
      tags: "unsupported",
      notes: "writable",
    },
    assignment: "single",
    assigneeKinds: ["Email", "User"],
    priorityLevels: [],
    // `followUpDueAt: null` is a VALIDATION_ERROR and no other way to clear is documented: instants only.
    dueForms: ["Instant"],
    canCreate: true,
    canDelete: false,
    changeDetection: "webhook-reconcile",
    webhooks: true,
  },
})
