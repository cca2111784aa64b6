// Kore.ai's vendor facts as data, checked by the domain's VendorManifest schema: a JWT the client signs itself, 60
// requests a minute per account shared by every case-management API (so one budget per account, across connections
// and processes), no webhooks, and task capabilities: name, description, status, priority, due, tags and assignment
// (one agent, queues) writable, a getTasks offset scan by `updatedAt` with periodic full listings to see deletions.
// https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task

import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { Schema } from "effect"

export const manifest: VendorManifest = Schema.decodeUnknownSync(VendorManifest)({
  vendor: "koreai",
  displayName: "Kore.ai Case Management",
  docsUrl: "https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task",
  defaultBaseUrl: "https://platform.kore.ai",
  recordKind: "task",
  auth: "self-signed-jwt",
  // [D: rate-limit-case-management] 60 requests per minute per account, shared by all six case-management APIs: every
  // connection (and every process) using one account draws on one budget (the kit keys it by account id). The window
  // is a second longer than Kore.ai's: a slot is granted before the request travels, so two requests granted a full
  // window apart can arrive less than one apart (latency varies); the second of margin absorbs that, and clock skew.
  rateBudget: { requests: 60, perMillis: 61_000, scope: "account" },
  retryableStatuses: [408, 429, 500, 502, 503, 504],
  // No case-management webhooks are documented (vendor-docs §3.7).
  webhookSignature: null,
  // getTasks' `limit`; the docs name no maximum, and 100 tasks keep an answer well under the body cap.
  pageSize: 100,
  // A read per push would halve what the account can do (there is no get-by-id: a read is a getTasks call). One
  // incremental getTasks page answers for every task pushed within a minute, so a backlog drains at ~59 writes/min.
  lookBeforeWrite: { via: "pull", withinMillis: 60_000 },
  // No recordUrl: Kore.ai reads a task only through a POST search (getTasks), so there is no address to link to.
  capabilities: {
    fields: {
      title: "writable",
      description: "writable",
      status: "writable",
      priority: "writable",
      due: "writable",
      // `currAssignee` (one agent) and `queues[]`, sent whole: the write replaces the assignment.
      assignees: "writable",
      tags: "writable",
      // Comments exist only as id arrays; no API reads or writes their bodies (§3.5).
      notes: "unsupported",
    },
    cannotClear: [],
    assignment: "replace-all",
    assigneeKinds: ["User", "Queue"],
    // System Low / Medium / High / Critical and custom scores 1–15 (domain PriorityKoreai); nothing means "none".
    priorityLevels: ["low", "normal", "high", "urgent"],
    // `dueDate` is epoch milliseconds or null.
    dueForms: ["None", "Instant"],
    canCreate: true,
    // No delete endpoint is documented (§3.3).
    canDelete: false,
    changeDetection: "offset-scan",
    // No delete signal: a periodic full listing's sweep tombstones what it no longer holds.
    deletions: "sweep",
    webhooks: false,
  },
})
