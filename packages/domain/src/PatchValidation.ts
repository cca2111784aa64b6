// `validatePatch` checks a patch against the task's state machine and every linked vendor's capabilities and
// status scheme before it is accepted, so the caller gets every broken rule now instead of a push failure later.
import { Equal, Result, Schema } from "effect"
import type { Capabilities, PatchField } from "./Capabilities.ts"
import { PatchRejected, type PatchRule, type PatchViolation } from "./Errors.ts"
import type { Vendor } from "./Ids.ts"
import { applyPatch, type TaskPatch } from "./Patch.ts"
import { moveTo, type StatusEffect } from "./Status.ts"
import {
  checkMove,
  findStatus,
  resolve,
  type StatusMoveError,
  type StatusScheme,
  type VendorStatus,
} from "./StatusScheme.ts"
import { type Task, type TaskFields, type TaskLink, Title } from "./Task.ts"

/** A linked vendor as validation sees it: the link, what the vendor can do, and its status vocabulary. */
export interface LinkedVendor {
  readonly link: TaskLink
  readonly capabilities: Capabilities
  readonly scheme: StatusScheme
}

export interface AcceptedPatch {
  readonly fields: TaskFields
  readonly changed: ReadonlyArray<PatchField>
  readonly statusEffects: ReadonlyArray<StatusEffect>
  /** The vendor status each linked connection must be moved to, where the status changes. */
  readonly vendorStatuses: ReadonlyArray<{ readonly link: TaskLink; readonly status: VendorStatus }>
}

const violation = (field: string, rule: PatchRule, vendor: Vendor | null, message: string): PatchViolation => ({
  field,
  rule,
  vendor,
  message,
})

const fromMoveError = (e: StatusMoveError): PatchViolation => {
  const rule: PatchRule = e._tag === "TerminalState" ? "terminal-state" : "forbidden-transition"
  return violation("status", rule, e.vendor, e.message)
}

const fieldNames = ["title", "description", "priority", "due", "assignees", "tags"] as const

const changedFields = (task: Task, next: TaskFields, patch: TaskPatch): Array<PatchField> => {
  const changed: Array<PatchField> = fieldNames.filter((f) => !Equal.equals(task[f], next[f]))
  if (patch.status !== undefined || patch.vendorStatus !== undefined) changed.push("status")
  if (patch.note !== undefined) changed.push("notes")
  return changed
}

/** Whether a patch leaves `field` empty: what "clearing" means for each synced field. */
const cleared = (field: PatchField, next: TaskFields): boolean => {
  switch (field) {
    case "description":
      return next.description === null || next.description.trim() === ""
    case "due":
      return next.due._tag === "None"
    case "assignees":
      return next.assignees.length === 0
    case "tags":
      return next.tags.length === 0
    case "priority":
      return next.priority === "none"
    case "title":
    case "status":
    case "notes":
      return false
  }
}

const checkFields = (vendor: LinkedVendor, next: TaskFields, changed: ReadonlyArray<PatchField>) => {
  const { capabilities: caps } = vendor
  const v = vendor.link.vendor
  const out: Array<PatchViolation> = []
  for (const field of changed) {
    if (field !== "status" && caps.fields[field] !== "writable") {
      out.push(violation(field, "read-only-at-vendor", v, `${v} does not accept changes to ${field}`))
    } else if (caps.cannotClear.includes(field) && cleared(field, next)) {
      out.push(violation(field, "not-clearable", v, `${v} cannot clear ${field}; give a new value instead`))
    }
  }
  if (changed.includes("priority") && !caps.priorityLevels.includes(next.priority)) {
    const held = caps.priorityLevels.join(", ") || "none"
    out.push(violation("priority", "not-representable", v, `${v} cannot hold '${next.priority}' (holds: ${held})`))
  }
  if (changed.includes("due") && !caps.dueForms.includes(next.due._tag)) {
    out.push(violation("due", "not-representable", v, `${v} cannot hold a due date of form ${next.due._tag}`))
  }
  if (changed.includes("assignees")) {
    if (caps.assignment === "single" && next.assignees.length > 1) {
      out.push(violation("assignees", "single-assignee", v, `${v} holds one assignee; got ${next.assignees.length}`))
    }
    for (const a of next.assignees.filter((x) => !caps.assigneeKinds.includes(x._tag))) {
      out.push(violation("assignees", "assignee-kind", v, `${v} cannot assign a ${a._tag}`))
    }
  }
  return out
}

/** Resolve the vendor status for one link: an explicit vendor status when the patch addresses this connection. */
const checkStatus = (vendor: LinkedVendor, patch: TaskPatch, target: TaskFields["status"]) => {
  const { link, scheme } = vendor
  const explicit = patch.vendorStatus?.connectionId === link.connectionId ? patch.vendorStatus : undefined
  if (explicit === undefined) return resolve(scheme, link.vendorStatus, target).pipe(Result.mapError(fromMoveError))
  const { name, position } = explicit
  if ((name === undefined) === (position === undefined)) {
    return Result.fail(
      violation(
        "vendorStatus",
        "name-xor-position",
        link.vendor,
        "give a status name or a position, not both or neither",
      ),
    )
  }
  if (position !== undefined && scheme.addressing === "name") {
    return Result.fail(
      violation("vendorStatus", "name-xor-position", link.vendor, `${link.vendor} addresses statuses by name only`),
    )
  }
  const found = findStatus(scheme, name === undefined ? { position: position ?? 0 } : { name })
  if (found === undefined) {
    const what = name === undefined ? `position ${position}` : `'${name}'`
    return Result.fail(
      violation("vendorStatus", "unknown-vendor-status", link.vendor, `${link.vendor} has no status ${what}`),
    )
  }
  return checkMove(scheme, link.vendorStatus, found).pipe(Result.mapError(fromMoveError))
}

const frozen = (vendor: LinkedVendor) =>
  vendor.scheme.freezesOnTerminal &&
  vendor.link.vendorStatus !== null &&
  findStatus(vendor.scheme, { name: vendor.link.vendorStatus })?.terminal === true

export const validatePatch = (
  task: Task,
  patch: TaskPatch,
  linked: ReadonlyArray<LinkedVendor>,
): Result.Result<AcceptedPatch, PatchRejected> => {
  const violations: Array<PatchViolation> = []
  const title = patch.title === undefined ? undefined : Schema.decodeUnknownOption(Title)(patch.title.trim())
  if (title?._tag === "None") violations.push(violation("title", "non-empty", null, "title must be 1–500 characters"))
  const draft = applyPatch(task, patch, title?._tag === "Some" ? title.value : undefined)
  const changed = changedFields(task, draft, patch)
  const statuses: Array<AcceptedPatch["vendorStatuses"][number]> = []
  let target = draft.status
  const addressed = patch.vendorStatus
  if (addressed !== undefined && !linked.some((l) => l.link.connectionId === addressed.connectionId)) {
    violations.push(
      violation("vendorStatus", "unknown-connection", null, `task is not linked to ${addressed.connectionId}`),
    )
  }
  for (const vendor of linked) {
    if (frozen(vendor)) {
      const message = `${vendor.link.vendor} record is ${vendor.link.vendorStatus}, which is terminal: nothing can change`
      for (const field of changed) violations.push(violation(field, "terminal-state", vendor.link.vendor, message))
      continue
    }
    violations.push(...checkFields(vendor, draft, changed))
    if (!changed.includes("status")) continue
    const moved = checkStatus(vendor, patch, target)
    if (Result.isFailure(moved)) violations.push(moved.failure)
    else if (moved.success.name !== vendor.link.vendorStatus) {
      statuses.push({ link: vendor.link, status: moved.success })
      if (patch.vendorStatus?.connectionId === vendor.link.connectionId) target = moved.success.category
    }
  }
  violations.push(...checkExtension(patch, linked))
  const canonical = moveTo(task.status, target)
  if (Result.isFailure(canonical))
    violations.push(violation("status", "forbidden-transition", null, canonical.failure.message))
  const [first, ...rest] = violations
  if (first !== undefined) return Result.fail(new PatchRejected({ violations: [first, ...rest] }))
  const effects = Result.isSuccess(canonical) ? canonical.success.effects : []
  return Result.succeed({
    fields: { ...draft, status: target },
    changed,
    statusEffects: effects,
    vendorStatuses: statuses,
  })
}

const checkExtension = (patch: TaskPatch, linked: ReadonlyArray<LinkedVendor>): Array<PatchViolation> => {
  const ext = patch.extension
  if (ext === undefined || linked.some((l) => l.link.vendor === ext._tag)) return []
  return [violation("extension", "unknown-connection", null, `task has no ${ext._tag} link for ${ext._tag} fields`)]
}
