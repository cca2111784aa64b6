// Vambe task ⇄ domain, as small named functions: a wire task → VendorRecord (its status from the organization's own
// configuration, priority in any of the three documented spellings, due through the domain's Vambe codecs, the
// responsibles as users, the contact and customer as subjects, a content hash as its version and its due day as the
// locator a read lists), and domain changes → the partial PUT or the create body Vambe accepts, or a refusal naming
// the field before any HTTP call.
import { createHash } from "node:crypto"
import { Assignee } from "@taskbridge/domain/Assignment"
import { type Due, none as noDue } from "@taskbridge/domain/Due"
import { read as readDue, write as writeDue } from "@taskbridge/domain/DueVambe"
import type { SyncError } from "@taskbridge/domain/Errors"
import { UserId, VendorRecordId } from "@taskbridge/domain/Ids"
import { vambe as priorityCodec } from "@taskbridge/domain/Priority"
import { Title } from "@taskbridge/domain/Task"
import { type RecordChange, type RecordDraft, type UnknownValue, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Result, Schema } from "effect"
import { errors } from "./internal/errors.ts"
import type { CreateTaskBody, Task, UpdateTaskBody } from "./Schema.ts"
import { categoryOf, toStatusType } from "./Statuses.ts"

const decodeDue = Schema.decodeUnknownResult(readDue.codec)
const encodeDue = Schema.encodeResult(writeDue.codec)
const decodePriority = Schema.decodeUnknownResult(priorityCodec.codec)
const encodePriority = Schema.encodeResult(priorityCodec.codec)
const refusal = errors.refusal

/** Where a read finds the task again: the UTC day of its due (one day's listing), or the listing of undated tasks. */
export const locatorOf = (task: Pick<Task, "due_at">): string =>
  task.due_at === null ? "undated" : `due:${new Date(task.due_at).toISOString().slice(0, 10)}`

/** Any of the three documented spellings as Vambe's number (0 low, 1 medium, 2 high). */
export const priorityNumber = (p: Task["priority"]): number => ({ low: 0, medium: 1, high: 2 })[String(p)] ?? Number(p)

/** JSON with object keys sorted, so equal content hashes equally whatever order the vendor printed it in. */
const stable = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

/**
 * Vambe has no `updated_at`, so the version is a hash of the task's content. The priority is hashed as its number,
 * so a listing that spells it "high" and a PUT answer that says 2 give the same version (no false change).
 */
export const versionOf = (task: Task): string =>
  createHash("sha256")
    .update(stable({ ...task, priority: priorityNumber(task.priority) }))
    .digest("hex")
    .slice(0, 32)

const toTitle = (title: string): Title =>
  Title.make((title.trim() === "" ? "(sin título)" : title.trim()).slice(0, 500))

export const toDueFields = (task: Task): { due: Due; unknown: Array<UnknownValue> } => {
  const wire = { due_at: task.due_at, due_timezone: task.due_timezone, is_all_day: task.is_all_day }
  const due = decodeDue(wire)
  return Result.isSuccess(due)
    ? { due: due.success, unknown: [] }
    : { due: noDue, unknown: [{ field: "due_at", value: String(task.due_at), fallback: "no due" }] }
}

/** The whole wire task as the domain sees it. */
export const toRecord = (task: Task): VendorRecord => {
  const status = task.status_config
  const type = status === null ? null : toStatusType(status.type)
  const due = toDueFields(task)
  const priority = decodePriority(task.priority)
  const missingStatus: Array<UnknownValue> =
    status === null ? [{ field: "status_config", value: "null", fallback: "open" }] : []
  return VendorRecord.make({
    id: VendorRecordId.make(task.id),
    version: versionOf(task),
    updatedAt: null,
    parent: locatorOf(task),
    unknownValues: [...(type?.unknown ?? []), ...missingStatus, ...due.unknown],
    snapshot: {
      fields: {
        title: toTitle(task.title),
        description: task.description,
        status: status === null ? "open" : categoryOf(status),
        priority: Result.isSuccess(priority) ? priority.success : "normal",
        due: due.due,
        assignees: task.task_responsibles.map((r) => Assignee.cases.User.make({ id: UserId.make(r.responsible_id) })),
        tags: [],
      },
      vendorStatus: status?.name ?? task.task_status_config_id ?? "none",
      subjects: {
        ...(task.ai_contact_id ? { contact: { id: task.ai_contact_id } } : {}),
        ...(task.ai_customer_id ? { customer: { id: task.ai_customer_id } } : {}),
      },
      notes: [],
      extension: { _tag: "vambe", statusConfigId: task.task_status_config_id, creatorId: task.creator_id },
    },
  })
}

type Outcome<A> = Result.Result<A, SyncError>

const toResponsibleIds = (operation: string, assignees: ReadonlyArray<Assignee>): Outcome<Array<string>> => {
  const other = assignees.find((a) => a._tag !== "User")
  if (other !== undefined) {
    return Result.fail(refusal(operation, "assignees", `Vambe assigns team members by user id, not by ${other._tag}`))
  }
  return Result.succeed(assignees.map((a) => (a._tag === "User" ? a.id : "")))
}

const toPriorityWire = (operation: string, priority: RecordChange["fields"]["priority"]): Outcome<"0" | "1" | "2"> => {
  const wire = encodePriority(priority ?? "normal")
  if (Result.isFailure(wire) || !["0", "1", "2"].includes(String(wire.success))) {
    return Result.fail(refusal(operation, "priority", 'Vambe holds only low, medium and high ("0", "1", "2")'))
  }
  return Result.succeed(String(wire.success) as "0" | "1" | "2")
}

const toDueWire = (operation: string, due: Due) => {
  const wire = encodeDue(due)
  if (Result.isFailure(wire)) {
    return Result.fail(refusal(operation, "due", `Vambe cannot hold this due: ${wire.failure.message}`))
  }
  return Result.succeed(wire.success)
}

/**
 * The partial PUT for a change, or a refusal before any HTTP call. Status goes by name only (positions shift when
 * an admin reorders); a due always sends date, time and zone together, so no old time survives a partial write;
 * responsibles are always the whole desired set (Vambe replaces them).
 */
export const fromChange = (change: RecordChange): Outcome<UpdateTaskBody> => {
  const { fields } = change
  if (fields.tags !== undefined) return Result.fail(refusal("update", "tags", "Vambe tasks have no tags"))
  if (change.note !== undefined) return Result.fail(refusal("update", "notes", "Vambe notes have no API"))
  if (change.extension !== undefined) return Result.fail(refusal("update", "extension", "no Vambe field is writable"))
  const body: { -readonly [K in keyof UpdateTaskBody]: UpdateTaskBody[K] } = {}
  if (fields.title !== undefined) body.title = fields.title
  if (fields.description !== undefined) body.description = fields.description
  if (change.vendorStatus !== undefined) body.newStatusName = change.vendorStatus
  if (fields.priority !== undefined) {
    const priority = toPriorityWire("update", fields.priority)
    if (Result.isFailure(priority)) return Result.fail(priority.failure)
    body.priority = priority.success
  }
  if (fields.due !== undefined) {
    const due = toDueWire("update", fields.due)
    if (Result.isFailure(due)) return Result.fail(due.failure)
    Object.assign(body, due.success)
  }
  if (fields.assignees !== undefined) {
    const ids = toResponsibleIds("update", fields.assignees)
    if (Result.isFailure(ids)) return Result.fail(ids.failure)
    body.responsibleIds = ids.success
  }
  if (Object.keys(body).length === 0) return Result.fail(refusal("update", null, "nothing to change"))
  return Result.succeed(body)
}

/** The create body for a draft; a status other than the initial one is set by a PUT after the create. */
export const fromDraft = (draft: RecordDraft): Outcome<CreateTaskBody> => {
  const { fields, subjects } = draft.snapshot
  if (fields.tags.length > 0) return Result.fail(refusal("create", "tags", "Vambe tasks have no tags"))
  const priority = toPriorityWire("create", fields.priority)
  if (Result.isFailure(priority)) return Result.fail(priority.failure)
  const ids = toResponsibleIds("create", fields.assignees)
  if (Result.isFailure(ids)) return Result.fail(ids.failure)
  const due = toDueWire("create", fields.due)
  if (Result.isFailure(due)) return Result.fail(due.failure)
  const { dueDate, dueTime, timezone } = due.success
  return Result.succeed({
    title: fields.title,
    responsibleIds: ids.success,
    priority: priority.success,
    ...(fields.description === null ? {} : { description: fields.description }),
    ...(dueDate === null ? {} : { dueDate }),
    ...(dueTime === null || dueTime === undefined ? {} : { dueTime }),
    ...(timezone === null || timezone === undefined ? {} : { timezone }),
    ...(subjects.contact === undefined ? {} : { aiContactId: subjects.contact.id }),
    ...(subjects.customer === undefined ? {} : { aiCustomerId: subjects.customer.id }),
  })
}
