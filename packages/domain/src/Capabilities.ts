// What a vendor can and cannot do, declared as data in each adapter's manifest and checked by a schema:
// per-field write access, assignee semantics, representable priorities and due forms, change detection.
import { Schema } from "effect"
import { AssignmentSemantics } from "./Assignment.ts"
import { Vendor } from "./Ids.ts"
import { Priority } from "./Priority.ts"

export const FieldAccess = Schema.Literals(["writable", "create-only", "read-only", "unsupported"])
export type FieldAccess = typeof FieldAccess.Type

export const PatchField = Schema.Literals([
  "title",
  "description",
  "status",
  "priority",
  "due",
  "assignees",
  "tags",
  "notes",
])
export type PatchField = typeof PatchField.Type

export const DueForm = Schema.Literals(["None", "Instant", "AllDay", "Window"])
export type DueForm = typeof DueForm.Type

export const ChangeDetection = Schema.Literals([
  "updated-since-cursor",
  "sorted-scan",
  "offset-scan",
  "snapshot-hash",
  "webhook-reconcile",
])
export type ChangeDetection = typeof ChangeDetection.Type

export const Capabilities = Schema.Struct({
  fields: Schema.Struct({
    title: FieldAccess,
    description: FieldAccess,
    status: FieldAccess,
    priority: FieldAccess,
    due: FieldAccess,
    assignees: FieldAccess,
    tags: FieldAccess,
    notes: FieldAccess,
  }),
  assignment: AssignmentSemantics,
  assigneeKinds: Schema.Array(Schema.Literals(["User", "Queue", "Email"])),
  /** Canonical priorities the vendor can hold; writing another is refused rather than silently clamped. */
  priorityLevels: Schema.Array(Priority),
  /** Due forms the vendor can hold; `None` means a due date can be cleared. */
  dueForms: Schema.Array(DueForm),
  canCreate: Schema.Boolean,
  canDelete: Schema.Boolean,
  changeDetection: ChangeDetection,
  webhooks: Schema.Boolean,
})
export type Capabilities = typeof Capabilities.Type

export const RateBudget = Schema.Struct({
  requests: Schema.Int,
  perMillis: Schema.Int,
  /** Whose budget it is: Candid limits per client IP, Kore.ai per account; shared by every connection in scope. */
  scope: Schema.Literals(["ip", "account", "connection"]),
})
export type RateBudget = typeof RateBudget.Type

export const VendorManifest = Schema.Struct({
  vendor: Vendor,
  displayName: Schema.String,
  docsUrl: Schema.String,
  defaultBaseUrl: Schema.String,
  auth: Schema.Literals(["oauth-client-credentials", "api-key", "self-signed-jwt"]),
  rateBudget: Schema.NullOr(RateBudget),
  retryableStatuses: Schema.Array(Schema.Int),
  webhookSignature: Schema.NullOr(Schema.Literals(["hmac-sha256-hex", "timestamped-hmac-sha256"])),
  capabilities: Capabilities,
})
export type VendorManifest = typeof VendorManifest.Type
