// Spry's vendor facts as data, checked by the domain's VendorManifest schema: OAuth client credentials, no documented
// rate limit, no waitlist webhooks, and waitlist-request capabilities: the notes (the work item's description), the
// priority (1–5, inverted), the date window and the ACTIVE → CANCELLED move are writable; the title is derived.
// https://api-docs.spryhealth.care/api/waitlist/update/

import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { levels } from "@taskbridge/domain/Priority"
import { Schema } from "effect"

export const manifest: VendorManifest = Schema.decodeUnknownSync(VendorManifest)({
  vendor: "spry",
  displayName: "Spry",
  docsUrl: "https://api-docs.spryhealth.care/api/waitlist/update/",
  // Production per /api/overview/; the sandbox is https://provider.staging.spryhealth.care.
  defaultBaseUrl: "https://provider.sprypt.com",
  recordKind: "waitlist-request",
  auth: "oauth-client-credentials",
  // No rate limit is documented (vendor-docs §4.6); 429s are still honoured through Retry-After.
  rateBudget: null,
  retryableStatuses: [408, 429, 500, 502, 503, 504],
  // Spry's webhooks cover patients, appointments and cases only: none tells of a waitlist request (§4.7).
  webhookSignature: null,
  // `page_size` is at most 100.
  pageSize: 100,
  // A GET per push: no rate limit argues for sharing a pull instead.
  lookBeforeWrite: { via: "read" },
  // `GET /apis/v1/waitlist-requests/{id}`; Spry documents no web-app URL for a waitlist request.
  recordUrl: "{baseUrl}/apis/v1/waitlist-requests/{id}",
  capabilities: {
    fields: {
      // Derived from the category and appointment type; Spry has no title.
      title: "read-only",
      // The request's single `notes`, replaced on every write.
      description: "writable",
      // Only ACTIVE → CANCELLED; FULFILLED and EXPIRED are Spry's own (the scheme says so).
      status: "writable",
      priority: "writable",
      // `date_range_start`..`date_range_end` in the clinic's zone.
      due: "writable",
      assignees: "unsupported",
      tags: "unsupported",
      notes: "unsupported",
    },
    // Both dates are required; a request always has a window.
    cannotClear: ["due"],
    assignment: "none",
    assigneeKinds: [],
    // 1–5 onto the five canonical levels, inverted (1 is urgent, 5 is none): every level fits.
    priorityLevels: levels,
    dueForms: ["Window"],
    canCreate: true,
    // `DELETE /apis/v1/waitlist-requests/{id}` exists (204); the docs prefer cancelling, and so do we.
    canDelete: true,
    changeDetection: "sorted-scan",
    // Deletions show up only as absences: a periodic full listing sweeps what it no longer holds.
    deletions: "sweep",
    webhooks: false,
  },
})
