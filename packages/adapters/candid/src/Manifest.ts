// Candid Health's vendor facts as data, checked by the domain's VendorManifest schema: auth, rate budget,
// retryable statuses and capabilities (no title/due/priority/notes writes, one assignee, updated_since cursor).
// https://docs.joincandidhealth.com/introduction/getting-started

import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { Schema } from "effect"

export const manifest: VendorManifest = Schema.decodeUnknownSync(VendorManifest)({
  vendor: "candid",
  displayName: "Candid Health",
  docsUrl: "https://docs.joincandidhealth.com/api-reference/tasks/v-3/update",
  defaultBaseUrl: "https://api.joincandidhealth.com",
  recordKind: "task",
  auth: "oauth-client-credentials",
  // "Each IP is allowed 1000 requests within a 10-second rolling window": shared by every connection behind our egress.
  rateBudget: { requests: 1000, perMillis: 10_000, scope: "ip" },
  retryableStatuses: [408, 429, 500, 502, 503, 504],
  // Candid's Events feed has no task events (vendor-docs §1.10): polling only.
  webhookSignature: null,
  // `limit` goes up to 999; at 100 Candid's 1,000 requests per 10 s would cap a backfill at 10,000 records/s.
  pageSize: 999,
  // A GET per push: 1,000 requests per 10 s leave plenty.
  lookBeforeWrite: { via: "read" },
  // The record's own address in Tasks V3 (`GET /api/tasks/v3/{task_id}`); Candid documents no web-app URL for a task.
  recordUrl: "{baseUrl}/api/tasks/v3/{id}",
  capabilities: {
    fields: {
      title: "read-only",
      description: "create-only",
      status: "writable",
      priority: "unsupported",
      due: "unsupported",
      assignees: "writable",
      tags: "unsupported",
      notes: "read-only",
    },
    // `assignee_user_id` sets one user; the API has no way to clear it.
    cannotClear: ["assignees"],
    assignment: "single",
    assigneeKinds: ["User"],
    priorityLevels: [],
    dueForms: [],
    canCreate: true,
    canDelete: false,
    changeDetection: "updated-since-cursor",
    // Tasks V3 has no delete and the listing reports none.
    deletions: "none",
    webhooks: false,
  },
})
