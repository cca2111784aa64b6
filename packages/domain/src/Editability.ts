// What a person may edit on a work item right now, field by field, and why not where they may not — the console's
// edit form offers only that. Read from the same facts `validatePatch` enforces (each live linked vendor's manifest
// capabilities and status scheme, a terminal record's freeze, a tombstone); reachable statuses are found by asking
// `validatePatch` itself, so the form and the refusal can never disagree.
import { Result, Schema } from "effect"
import { DueForm, type PatchField } from "./Capabilities.ts"
import { PatchRule } from "./Errors.ts"
import { ConnectionId, Vendor } from "./Ids.ts"
import { type LinkedVendor, validatePatch } from "./PatchValidation.ts"
import { Priority } from "./Priority.ts"
import { CanonicalStatus, canonicalStatuses } from "./Status.ts"
import { findStatus } from "./StatusScheme.ts"
import type { Task } from "./Task.ts"

export const Reason = Schema.Struct({ rule: PatchRule, vendor: Schema.NullOr(Vendor), message: Schema.String })
export type Reason = typeof Reason.Type

export const EditableField = Schema.Literals(["title", "description", "priority", "due", "assignees", "tags", "notes"])
export type EditableField = typeof EditableField.Type

export const FieldEditability = Schema.Struct({
  field: EditableField,
  editable: Schema.Boolean,
  /** Whether the field may be emptied (false where a linked vendor cannot clear it, or it is not editable). */
  clearable: Schema.Boolean,
  /** Why it is not editable or not clearable; empty when it is both. */
  reasons: Schema.Array(Reason),
})
export type FieldEditability = typeof FieldEditability.Type

export const StatusOption = Schema.Struct({
  status: CanonicalStatus,
  reachable: Schema.Boolean,
  reasons: Schema.Array(Reason),
})

export const VendorStatusOption = Schema.Struct({
  name: Schema.String,
  category: CanonicalStatus,
  current: Schema.Boolean,
  reachable: Schema.Boolean,
  reasons: Schema.Array(Reason),
})

export const Editability = Schema.Struct({
  fields: Schema.Array(FieldEditability),
  /** The canonical statuses other than the current one, each reachable by `tasks.update` or not (and why). */
  statuses: Schema.Array(StatusOption),
  /** Per live linked connection: its own statuses, each reachable from the record's current one or not. */
  vendorStatuses: Schema.Array(
    Schema.Struct({ connectionId: ConnectionId, vendor: Vendor, options: Schema.Array(VendorStatusOption) }),
  ),
  /** What values the linked vendors can all hold (absent constraint: any). */
  constraints: Schema.Struct({
    priorities: Schema.Array(Priority),
    dueForms: Schema.Array(DueForm),
    maxAssignees: Schema.NullOr(Schema.Int),
    assigneeKinds: Schema.Array(Schema.Literals(["User", "Queue", "Email"])),
  }),
})
export type Editability = typeof Editability.Type

const fields: ReadonlyArray<EditableField> = EditableField.literals

const accessWords = {
  "create-only": "can only be set when the record is created",
  "read-only": "is read-only",
  unsupported: "has no such field",
} as const

const frozen = (vendor: LinkedVendor) =>
  vendor.scheme.freezesOnTerminal &&
  vendor.link.vendorStatus !== null &&
  findStatus(vendor.scheme, { name: vendor.link.vendorStatus })?.terminal === true

/** Why `field` cannot be edited at all, per linked vendor (none: it can). */
const blockers = (task: Task, field: EditableField, linked: ReadonlyArray<LinkedVendor>): Array<Reason> => {
  if (task.deletedAt !== null) {
    return [{ rule: "deleted-at-vendor", vendor: null, message: "the vendor deleted this work item; restore it first" }]
  }
  const out: Array<Reason> = []
  for (const vendor of linked) {
    const v = vendor.link.vendor
    if (frozen(vendor)) {
      const message = `${v} record is ${vendor.link.vendorStatus}, which is terminal: nothing can change`
      out.push({ rule: "terminal-state", vendor: v, message })
      continue
    }
    const access = vendor.capabilities.fields[field as PatchField]
    if (access !== "writable") {
      out.push({ rule: "read-only-at-vendor", vendor: v, message: `${v}: ${field} ${accessWords[access]}` })
    }
  }
  return out
}

const unclearable = (field: EditableField, linked: ReadonlyArray<LinkedVendor>): Array<Reason> =>
  linked
    .filter((l) => l.capabilities.cannotClear.includes(field as PatchField))
    .map((l) => ({
      rule: "not-clearable" as const,
      vendor: l.link.vendor,
      message: `${l.link.vendor} cannot clear ${field}; give a new value instead`,
    }))

const reasonsOf = (result: ReturnType<typeof validatePatch>): Array<Reason> =>
  Result.isSuccess(result)
    ? []
    : result.failure.violations.map(({ rule, vendor, message }) => ({ rule, vendor, message }))

const intersect = <A>(lists: ReadonlyArray<ReadonlyArray<A>>, all: ReadonlyArray<A>): Array<A> =>
  all.filter((item) => lists.every((list) => list.includes(item)))

/** The work item's editability given its live linked vendors (as `Local.updateTask` builds them). */
export const editability = (task: Task, linked: ReadonlyArray<LinkedVendor>): Editability => {
  const live = linked.filter((l) => l.link.deletedAt === null)
  const perField = fields.map((field) => {
    const blocked = blockers(task, field, live)
    // Titles and notes have no "empty" (a title is required; notes are append-only).
    const clearBlocked = field === "title" || field === "notes" ? [] : unclearable(field, live)
    const editable = blocked.length === 0
    return {
      field,
      editable,
      clearable: editable && clearBlocked.length === 0 && field !== "title" && field !== "notes",
      reasons: [...blocked, ...clearBlocked],
    }
  })
  const statuses = canonicalStatuses
    .filter((status) => status !== task.status)
    .map((status) => {
      const reasons = reasonsOf(validatePatch(task, { status }, live))
      return { status, reachable: reasons.length === 0 && task.deletedAt === null, reasons }
    })
  const vendorStatuses = live.map((vendor) => ({
    connectionId: vendor.link.connectionId,
    vendor: vendor.link.vendor,
    options: vendor.scheme.statuses.map((s) => {
      const current = s.name === vendor.link.vendorStatus
      const probe = { vendorStatus: { connectionId: vendor.link.connectionId, name: s.name } }
      const reasons = current ? [] : reasonsOf(validatePatch(task, probe, live))
      return { name: s.name, category: s.category, current, reachable: !current && reasons.length === 0, reasons }
    }),
  }))
  const caps = live.map((l) => l.capabilities)
  return {
    fields: perField,
    statuses,
    vendorStatuses,
    constraints: {
      priorities: intersect(
        caps.map((c) => c.priorityLevels),
        Priority.literals,
      ),
      dueForms: intersect(
        caps.map((c) => c.dueForms),
        DueForm.literals,
      ),
      maxAssignees: caps.some((c) => c.assignment === "single") ? 1 : null,
      assigneeKinds: intersect(
        caps.map((c) => c.assigneeKinds),
        ["User", "Queue", "Email"] as const,
      ),
    },
  }
}
