// Vambe's vendor facts as data, checked by the domain's VendorManifest schema: `x-api-key` auth, no documented rate
// limit, webhooks signed with a hex HMAC of the body (header undocumented: `x-vambe-signature`, see Definition.ts),
// and task capabilities: every synced field writable, assignees replaced as a set, three priorities, dues as a
// local date + time + zone or all-day, and a listing without paging or `updated_at`, so a full snapshot is hashed
// and swept.
// https://docs.vambe.me/reference/tasks/update-task

import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { Schema } from "effect"

export const manifest: VendorManifest = Schema.decodeUnknownSync(VendorManifest)({
  vendor: "vambe",
  displayName: "Vambe CRM",
  docsUrl: "https://docs.vambe.me/reference/tasks/update-task",
  defaultBaseUrl: "https://api.vambe.me",
  recordKind: "task",
  auth: "api-key",
  // No rate limit is documented (vendor-docs §2.6); 429s are still honoured through Retry-After.
  rateBudget: null,
  retryableStatuses: [408, 429, 500, 502, 503, 504],
  // [N] The header is undocumented; we verify `x-vambe-signature` = hex HMAC-SHA256 of the raw body (Definition.ts).
  webhookSignature: "hmac-sha256-hex",
  // The listing has no paging: this is the most tasks one due-date window may answer before it is bisected.
  pageSize: 500,
  // No rate limit, so a read per push costs nothing worth saving (a read is one window listing, see Sync.ts).
  lookBeforeWrite: { via: "read" },
  // The task's resource in the public API (where Vambe takes its PUT and DELETE); Vambe documents no web-app URL.
  recordUrl: "{baseUrl}/api/public/tasks/{id}",
  capabilities: {
    fields: {
      title: "writable",
      description: "writable",
      status: "writable",
      priority: "writable",
      due: "writable",
      assignees: "writable",
      tags: "unsupported",
      // Vambe's "interactive notes" have no API (§2.5); the description is the one text.
      notes: "unsupported",
    },
    // `description: null` and `dueDate: null` clear; `responsibleIds: []` leaves a task unassigned.
    cannotClear: [],
    assignment: "replace-all",
    assigneeKinds: ["User"],
    // "0" low, "1" medium, "2" high: canonical low / normal / high; `none` and `urgent` are refused, not clamped.
    priorityLevels: ["low", "normal", "high"],
    dueForms: ["None", "Instant", "AllDay"],
    canCreate: true,
    canDelete: true,
    changeDetection: "snapshot-hash",
    // Soft-deleted tasks drop out of the listing, so a complete listing's sweep sees them go.
    deletions: "sweep",
    webhooks: true,
  },
})
