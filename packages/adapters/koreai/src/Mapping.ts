// Kore.ai task ⇄ domain, as small named functions: a wire task → VendorRecord of kind `task` (its status category
// onto the canonical status, its priority object through the domain's system names and score bands, `dueDate` epoch
// ms through DueKoreai, `currAssignee` as a user and `queues[]` as queues, its case as a subject, its human ref `TS…`
// as the locator a read searches by) and domain changes → the updateTask / createTask bodies holding only the fields
// that changed, or a refusal naming the field before any HTTP call. Unknown values get an explicit, flagged fallback.
import { Assignee } from "@taskbridge/domain/Assignment"
import { type Due, none as noDue } from "@taskbridge/domain/Due"
import { codec as dueCodec } from "@taskbridge/domain/DueKoreai"
import type { SyncError } from "@taskbridge/domain/Errors"
import { UserId, VendorRecordId } from "@taskbridge/domain/Ids"
import type { Priority } from "@taskbridge/domain/Priority"
import { levelOf } from "@taskbridge/domain/PriorityKoreai"
import type { CanonicalStatus } from "@taskbridge/domain/Status"
import type { StatusScheme } from "@taskbridge/domain/StatusScheme"
import { koreaiCategory } from "@taskbridge/domain/schemes/Koreai"
import { Tag, Title } from "@taskbridge/domain/Task"
import { type RecordChange, type RecordDraft, type UnknownValue, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Result, Schema } from "effect"
import { errors } from "./internal/errors.ts"
import { dueValue, priorityRef, statusRef, toAssignment } from "./internal/writes.ts"
import type { CreateTaskBody, Task, UpdateTaskBody } from "./Schema.ts"
import { type Learned, toPriorityObject } from "./Statuses.ts"

/** An unknown or missing status is read as `open`, from which every canonical move is still possible. */
export const unknownStatusFallback: CanonicalStatus = "open"
/** A priority object we cannot place (a score outside 1–15) is read as `normal`, Medium's level, and flagged. */
export const unknownPriorityFallback: Priority = "normal"

const refusal = errors.refusal
const decodeDue = Schema.decodeUnknownResult(dueCodec.codec)
const isTag = Schema.is(Tag)

type Mapped<A> = { readonly value: A; readonly unknown: ReadonlyArray<UnknownValue> }

export const toTitle = (name: string | undefined): Title =>
  Title.make(((name ?? "").trim() === "" ? "(untitled task)" : (name ?? "").trim()).slice(0, 500))

export const toStatus = (status: Task["status"]): Mapped<CanonicalStatus> => {
  const category = status == null ? undefined : koreaiCategory(status.statusCategory)
  if (category !== undefined) return { value: category, unknown: [] }
  const value = status == null ? "(none)" : status.statusCategory
  return { value: unknownStatusFallback, unknown: [{ field: "status.statusCategory", value, fallback: "open" }] }
}

export const toPriority = (priority: Task["priority"]): Mapped<Priority> => {
  if (priority == null) return { value: "none", unknown: [] }
  const known = toPriorityObject(priority)
  return known === undefined
    ? {
        value: unknownPriorityFallback,
        unknown: [{ field: "priority.score", value: String(priority.score), fallback: unknownPriorityFallback }],
      }
    : { value: levelOf(known), unknown: [] }
}

export const toDue = (dueDate: Task["dueDate"]): Mapped<Due> => {
  if (dueDate === undefined || dueDate === null) return { value: noDue, unknown: [] }
  const decoded = decodeDue(dueDate)
  return Result.isSuccess(decoded)
    ? { value: decoded.success, unknown: [] }
    : { value: noDue, unknown: [{ field: "dueDate", value: String(dueDate), fallback: "no due" }] }
}

/** An id from an undocumented shape: a string, or an object's `_id` (the queue and assignee samples are empty). */
const idOf = (value: unknown): string | undefined => {
  if (typeof value === "string" && value !== "") return value
  if (typeof value !== "object" || value === null) return undefined
  const id: unknown = Reflect.get(value, "_id") ?? Reflect.get(value, "id")
  return typeof id === "string" && id !== "" ? id : undefined
}
const nameOf = (value: unknown): string | undefined => {
  const name: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "name") : undefined
  return typeof name === "string" && name !== "" ? name : undefined
}

export const toAssignees = (task: Pick<Task, "currAssignee" | "queues">): ReadonlyArray<Assignee> => {
  const user = idOf(task.currAssignee)
  const queues = (task.queues ?? []).flatMap((q) => {
    const id = idOf(q)
    if (id === undefined) return []
    const name = nameOf(q)
    return [Assignee.cases.Queue.make(name === undefined ? { id } : { id, name })]
  })
  return [...(user === undefined ? [] : [Assignee.cases.User.make({ id: UserId.make(user) })]), ...queues]
}

export const toRecord = (task: Task): VendorRecord => {
  const status = toStatus(task.status)
  const priority = toPriority(task.priority)
  const due = toDue(task.dueDate)
  const desc = task.desc === undefined || task.desc.trim() === "" ? null : task.desc
  const updatedAt = task.updatedAt ?? task.createdAt
  return VendorRecord.make({
    id: VendorRecordId.make(task._id),
    version: updatedAt ?? String(task.timestampValue ?? 0),
    updatedAt: updatedAt === undefined ? null : DateTime.makeUnsafe(updatedAt),
    parent: task.refId ?? null,
    unknownValues: [...status.unknown, ...priority.unknown, ...due.unknown],
    snapshot: {
      fields: {
        title: toTitle(task.name),
        description: desc,
        status: status.value,
        priority: priority.value,
        due: due.value,
        assignees: [...toAssignees(task)],
        tags: (task.tags ?? []).filter(isTag),
      },
      vendorStatus: task.status?.name ?? "(none)",
      subjects: task.caseId === undefined ? {} : { case: { id: task.caseId, display: task.caseRefId ?? task.caseId } },
      notes: [],
      extension: {
        _tag: "koreai",
        caseId: task.caseId ?? "",
        caseRef: task.caseRefId ?? "",
        template: task.taskTmp ?? "",
        refId: task.refId ?? null,
        queues: (task.queues ?? []).flatMap((q) => idOf(q) ?? []),
        assigneeType: task.assigneeType ?? null,
        slaBreached: task.isBreached ?? false,
        priorityId: task.priority?._id ?? null,
        statusId: task.status?._id ?? null,
      },
    },
  })
}

type Outcome<A> = Result.Result<A, SyncError>
type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export interface WriteContext {
  readonly scheme: StatusScheme | null
  readonly learned: Learned
}

/** The updateTask body for a change: only the changed fields, or a refusal before any HTTP call. */
export const fromChange = (context: WriteContext, change: RecordChange): Outcome<UpdateTaskBody> => {
  const { fields } = change
  if (change.note !== undefined) {
    return Result.fail(refusal("update", "notes", "Kore.ai has no API for comment bodies"))
  }
  if (change.extension !== undefined) {
    return Result.fail(refusal("update", "extension", "no Kore.ai-specific field is writable"))
  }
  const body: Mutable<UpdateTaskBody> = {}
  if (fields.title !== undefined) body.name = fields.title
  if (fields.description !== undefined) body.desc = fields.description ?? ""
  if (fields.tags !== undefined) body.tags = [...fields.tags]
  if (fields.assignees !== undefined) {
    const assignment = toAssignment(fields.assignees, "update")
    if (Result.isFailure(assignment)) return Result.fail(assignment.failure)
    Object.assign(body, assignment.success)
  }
  if (fields.priority !== undefined) {
    const ref = priorityRef(context.learned, fields.priority, "update")
    if (Result.isFailure(ref)) return Result.fail(ref.failure)
    body.priority = ref.success
  }
  if (fields.due !== undefined) {
    const due = dueValue(fields.due, "update")
    if (Result.isFailure(due)) return Result.fail(due.failure)
    body.dueDate = due.success
  }
  if (change.vendorStatus !== undefined) {
    const ref = statusRef(context.scheme, change.vendorStatus, "update")
    if (Result.isFailure(ref)) return Result.fail(ref.failure)
    body.status = ref.success
  }
  if (Object.keys(body).length === 0) return Result.fail(refusal("update", null, "nothing to change"))
  return Result.succeed(body as UpdateTaskBody)
}

/**
 * The createTask body for a draft (its case and template from the `koreai` extension, requested by `creator`) and
 * the change to send after it for what createTask does not take (status, priority, due, tags), if any.
 */
export const fromDraft = (
  context: WriteContext,
  creator: string | undefined,
  draft: RecordDraft,
): Outcome<{ readonly body: CreateTaskBody; readonly then: RecordChange }> => {
  const { snapshot } = draft
  const ext = snapshot.extension
  if (ext === null || ext._tag !== "koreai" || ext.caseId === "" || ext.template === "") {
    return Result.fail(refusal("create", "extension", "a Kore.ai task needs its case and task template"))
  }
  if (creator === undefined) {
    return Result.fail(refusal("create", "creatorUserId", "the connection names no user to request tasks as"))
  }
  const { fields } = snapshot
  const fields2: Mutable<RecordChange["fields"]> = {}
  if (fields.priority !== "none") fields2.priority = fields.priority
  if (fields.due._tag !== "None") fields2.due = fields.due
  if (fields.tags.length > 0) fields2.tags = fields.tags
  if (fields.assignees.length > 0) fields2.assignees = fields.assignees
  const then: RecordChange = { fields: fields2, vendorStatus: snapshot.vendorStatus }
  const check = fromChange(context, then)
  if (Result.isFailure(check)) return Result.fail(check.failure)
  return Result.succeed({
    body: {
      caseId: ext.caseId,
      caseRefId: ext.caseRef,
      taskTmp: ext.template,
      name: fields.title,
      userInfo: { _id: creator },
      source: "taskbridge",
      desc: fields.description ?? "",
    },
    then,
  })
}

/** Whether a listed task is the one a create body asked for (findCreated: Kore.ai has no idempotency key). */
export const isCreatedFrom = (body: CreateTaskBody, task: Task): boolean =>
  task.caseId === body.caseId &&
  (task.taskTmp === undefined || task.taskTmp === body.taskTmp) &&
  task.name === body.name &&
  (task.desc ?? "") === body.desc
