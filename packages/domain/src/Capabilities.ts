// What a vendor can and cannot do, declared as data in each adapter's manifest and checked by a schema: per-field
// write access (and which fields cannot be cleared), assignee semantics, representable priorities and due forms,
// change detection and deletions, auth, rate budget and its scope, retryable statuses and the webhook signature.
// The engine, the API and the console read these facts; no code repeats them.
import { Schema } from "effect"
import { AssignmentSemantics } from "./Assignment.ts"
import { Vendor } from "./Ids.ts"
import { Priority } from "./Priority.ts"
import { WorkItemKind } from "./Task.ts"

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

/**
 * How the adapter finds what changed: an `updated_since` cursor (Candid), a scan sorted by update time down to a
 * watermark (Spry), an offset scan with overlap (Kore.ai), a full snapshot compared by content hash (Vambe), or
 * webhooks plus reconciliation of parents (CareValidate).
 */
export const ChangeDetection = Schema.Literals([
  "updated-since-cursor",
  "sorted-scan",
  "offset-scan",
  "snapshot-hash",
  "webhook-reconcile",
])
export type ChangeDetection = typeof ChangeDetection.Type

/**
 * Whether deletions at the vendor are seen: `none` (the vendor never deletes, or we cannot tell), `reported` (the
 * adapter names deleted records), `sweep` (the adapter's full listings say "everything else is gone", and the engine
 * tombstones what a complete listing no longer holds — mark and sweep).
 */
export const Deletions = Schema.Literals(["none", "reported", "sweep"])
export type Deletions = typeof Deletions.Type

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
  /** Writable fields the vendor cannot clear (CareValidate's note and follow-up, Candid's sole assignee). */
  cannotClear: Schema.Array(PatchField),
  assignment: AssignmentSemantics,
  assigneeKinds: Schema.Array(Schema.Literals(["User", "Queue", "Email"])),
  /** Canonical priorities the vendor can hold; writing another is refused rather than silently clamped. */
  priorityLevels: Schema.Array(Priority),
  /** Due forms the vendor can hold; `None` means a due date can be cleared. */
  dueForms: Schema.Array(DueForm),
  canCreate: Schema.Boolean,
  /** Whether the vendor's API deletes records (we never delete through it yet; a manifest says what is possible). */
  canDelete: Schema.Boolean,
  changeDetection: ChangeDetection,
  deletions: Deletions,
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

export const AuthKind = Schema.Literals(["oauth-client-credentials", "api-key", "self-signed-jwt"])
export type AuthKind = typeof AuthKind.Type

/** `hmac-sha256-hex`: hex HMAC of the raw body (CareValidate); `timestamped-hmac-sha256`: `t=…,v1=…` (Spry). */
export const WebhookSignature = Schema.Literals(["hmac-sha256-hex", "timestamped-hmac-sha256"])
export type WebhookSignature = typeof WebhookSignature.Type

/**
 * How the push looks at a record before it writes (vendors offer no conditional writes): `read` gets the record
 * (one request per push); `pull` runs an incremental pull of the connection unless one started within `withinMillis`,
 * so one listing call answers for every record pushed meanwhile — for vendors whose budget a read per write would
 * halve (Kore.ai's 60 requests a minute per account). The cost is a wider window: a vendor edit made after that pull
 * and before the write is overwritten unseen (a `read` has the same window, only shorter).
 */
export const LookBeforeWrite = Schema.Union([
  Schema.Struct({ via: Schema.Literal("read") }),
  Schema.Struct({
    via: Schema.Literal("pull"),
    withinMillis: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  }),
])
export type LookBeforeWrite = typeof LookBeforeWrite.Type

export const VendorManifest = Schema.Struct({
  vendor: Vendor,
  displayName: Schema.String,
  docsUrl: Schema.String,
  defaultBaseUrl: Schema.String,
  /** The kind of work item this vendor holds; every record the adapter lists is one. */
  recordKind: WorkItemKind,
  auth: AuthKind,
  rateBudget: Schema.NullOr(RateBudget),
  /** HTTP statuses worth another try; everything else the vendor answers is permanent. */
  retryableStatuses: Schema.Array(Schema.Int),
  webhookSignature: Schema.NullOr(WebhookSignature),
  /** The page size the adapter asks for (the vendor's maximum unless a response would be too large). */
  pageSize: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  lookBeforeWrite: LookBeforeWrite,
  capabilities: Capabilities,
  /**
   * Where a person opens one of the vendor's records: a template over the connection's base URL and the record's
   * ids — `{baseUrl}`, `{id}` and `{parent}` (each URL-encoded but the base) — or absent when the vendor has no
   * address for a record. The console links every work item's vendor records with it.
   */
  recordUrl: Schema.optionalKey(Schema.String),
})
export type VendorManifest = typeof VendorManifest.Type

/**
 * The address of a vendor record by its manifest's `recordUrl` template; null when the vendor declares none or the
 * template needs a parent the record does not have.
 */
export const recordUrl = (
  manifest: Pick<VendorManifest, "recordUrl">,
  record: { readonly baseUrl: string; readonly id: string; readonly parent: string | null },
): string | null => {
  const template = manifest.recordUrl
  if (template === undefined) return null
  if (template.includes("{parent}") && record.parent === null) return null
  return template
    .replaceAll("{baseUrl}", record.baseUrl.replace(/\/+$/, ""))
    .replaceAll("{id}", encodeURIComponent(record.id))
    .replaceAll("{parent}", encodeURIComponent(record.parent ?? ""))
}
