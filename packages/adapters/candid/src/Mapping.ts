// Candid Task V3 ⇄ domain, as small named functions: wire task → VendorRecord (title derived from type and
// category, notes read-only, single-assignee writes) and domain changes → the PATCH/POST bodies Candid accepts.
// Unknown enum values are kept verbatim and flagged with the explicit fallback used, never guessed at.

import { Assignee, assigneeKey } from "@taskbridge/domain/Assignment"
import { none as noDue } from "@taskbridge/domain/Due"
import type { SyncError } from "@taskbridge/domain/Errors"
import { UserId, VendorRecordId } from "@taskbridge/domain/Ids"
import type { Note } from "@taskbridge/domain/Note"
import type { CanonicalStatus } from "@taskbridge/domain/Status"
import { categoryOf, type StatusScheme } from "@taskbridge/domain/StatusScheme"
import { type Subjects, Title } from "@taskbridge/domain/Task"
import { type RecordChange, type RecordDraft, type UnknownValue, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Result } from "effect"
import { isKnownTaskCategory, isKnownTaskStatus, isKnownTaskType } from "./internal/enums.ts"
import { errors } from "./internal/errors.ts"
import type { Task, TaskCreateV3, TaskUpdateV3 } from "./Schema.ts"

/** An unknown Candid status is read as `open`: the one state from which every canonical move is still possible. */
export const unknownStatusFallback: CanonicalStatus = "open"

const humanize = (value: string) => {
  const words = value.toLowerCase().replace(/_/g, " ").trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Candid tasks have no title; "Denial resolution: incorrect member id" tells an operator what the task is. */
export const toTitle = (task: Pick<Task, "task_type" | "category">): Title => {
  const category = task.category ?? null
  const suffix = category === null || category === "other" ? "" : `: ${humanize(category).toLowerCase()}`
  return Title.make(`${humanize(task.task_type)}${suffix}`.slice(0, 500))
}

export const toStatus = (
  scheme: StatusScheme,
  status: string,
): { status: CanonicalStatus; unknown: Array<UnknownValue> } => {
  const known = isKnownTaskStatus(status) ? categoryOf(scheme, status) : undefined
  return known === undefined
    ? { status: unknownStatusFallback, unknown: [{ field: "status", value: status, fallback: unknownStatusFallback }] }
    : { status: known, unknown: [] }
}

export const toAssignees = (task: Pick<Task, "assignments">): Array<Assignee> => {
  const assignees = task.assignments.flatMap((a) =>
    a.assignee_user_id ? [Assignee.cases.User.make({ id: UserId.make(a.assignee_user_id) })] : [],
  )
  return assignees.filter((a, i) => assignees.findIndex((b) => assigneeKey(b) === assigneeKey(a)) === i)
}

export const toNotes = (task: Pick<Task, "notes">): Array<Note> =>
  task.notes.map((n) => ({
    id: n.task_note_id,
    author: `${n.author_name} (${n.author_organization_name})`,
    at: DateTime.makeUnsafe(n.created_at),
    text: n.text,
    origin: "candid",
  }))

export const toSubjects = (task: Task): Subjects => ({
  patient: { id: task.patient_external_id, display: task.patient_name },
  encounter: { id: task.encounter_id },
  claim: { id: task.encounter_id },
})

const unknownEnums = (task: Task): Array<UnknownValue> => [
  ...(isKnownTaskType(task.task_type)
    ? []
    : [{ field: "task_type", value: task.task_type, fallback: "kept verbatim" }]),
  ...(task.category && !isKnownTaskCategory(task.category)
    ? [{ field: "category", value: task.category, fallback: "kept verbatim" }]
    : []),
]

/** The whole wire task as the domain sees it; `agg_updated_at` is the version because notes change it too. */
export const toRecord = (scheme: StatusScheme, task: Task): VendorRecord => {
  const status = toStatus(scheme, task.status)
  return VendorRecord.make({
    id: VendorRecordId.make(task.task_id),
    version: task.agg_updated_at,
    updatedAt: DateTime.makeUnsafe(task.agg_updated_at),
    parent: null,
    unknownValues: [...status.unknown, ...unknownEnums(task)],
    snapshot: {
      fields: {
        title: toTitle(task),
        description: task.description,
        status: status.status,
        priority: "none",
        due: noDue,
        assignees: toAssignees(task),
        tags: [],
      },
      vendorStatus: task.status,
      subjects: toSubjects(task),
      notes: toNotes(task),
      extension: {
        _tag: "candid",
        taskType: task.task_type,
        category: task.category ?? null,
        blocksClaimSubmission: task.blocks_claim_submission,
        dateOfService: task.date_of_service,
        encounterId: task.encounter_id,
        externalId: task.external_id,
        patientExternalId: task.patient_external_id,
        payerName: task.payer_name ?? null,
        payerId: task.payer_id ?? null,
      },
    },
  })
}

const refuse = (operation: string, field: string, detail: string) =>
  Result.fail(errors.refusal(operation, field, detail))

const readOnly = ["title", "description", "priority", "due", "tags"] as const

/**
 * The PATCH body for a change, or a refusal before any HTTP call: Candid accepts only status, one assignee and
 * `blocks_claim_submission`; a status must be known and writable in the connection's scheme (deprecated ones aren't).
 */
export const fromChange = (scheme: StatusScheme, change: RecordChange): Result.Result<TaskUpdateV3, SyncError> => {
  const body: { -readonly [K in keyof TaskUpdateV3]: TaskUpdateV3[K] } = {}
  for (const field of readOnly) {
    if (change.fields[field] !== undefined) return refuse("update", field, `Candid does not accept changes to ${field}`)
  }
  if (change.note !== undefined) return refuse("update", "notes", "Candid's API cannot write task notes")
  if (change.vendorStatus !== undefined) {
    const target = scheme.statuses.find((s) => s.name === change.vendorStatus)
    if (target === undefined || !isKnownTaskStatus(target.name)) {
      return refuse("update", "status", `'${change.vendorStatus}' is not a Candid status`)
    }
    if (target.writeForbidden || target.systemOnly) {
      return refuse("update", "status", `'${target.name}' is deprecated for writes at Candid`)
    }
    body.status = target.name
  }
  const assignees = change.fields.assignees
  if (assignees !== undefined) {
    const [only, ...more] = assignees
    if (only === undefined || more.length > 0 || only._tag !== "User") {
      return refuse("update", "assignees", "Candid takes exactly one user assignee (it cannot clear or add a second)")
    }
    body.assignee_user_id = only.id
  }
  if (change.extension !== undefined) {
    if (change.extension._tag !== "candid")
      return refuse("update", "extension", `${change.extension._tag} fields sent to Candid`)
    if (change.extension.blocksClaimSubmission !== undefined) {
      body.blocks_claim_submission = change.extension.blocksClaimSubmission
    }
  }
  return Result.succeed(body)
}

/** The POST body for a new task: the encounter, type and description come from the draft, the queue from config. */
export const fromDraft = (
  draft: RecordDraft,
  workQueueId: string | undefined,
): Result.Result<TaskCreateV3, SyncError> => {
  const { snapshot } = draft
  const ext = snapshot.extension
  if (ext === null || ext._tag !== "candid") return refuse("create", "extension", "a Candid task needs its task type")
  if (!isKnownTaskType(ext.taskType)) return refuse("create", "extension.taskType", `unknown task type ${ext.taskType}`)
  const category = ext.category
  if (category !== null && !isKnownTaskCategory(category))
    return refuse("create", "extension.category", `unknown category ${category}`)
  if (workQueueId === undefined)
    return refuse("create", "work_queue_id", "the connection has no Candid work queue configured")
  const encounter = snapshot.subjects.encounter?.id ?? ext.encounterId
  const [assignee, ...others] = snapshot.fields.assignees
  if (others.length > 0 || (assignee !== undefined && assignee._tag !== "User")) {
    return refuse("create", "assignees", "Candid takes at most one user assignee")
  }
  return Result.succeed({
    encounter_id: encounter,
    task_type: ext.taskType,
    description: snapshot.fields.description ?? "",
    work_queue_id: workQueueId,
    blocks_claim_submission: ext.blocksClaimSubmission,
    ...(assignee === undefined ? {} : { assignee_user_id: assignee.id }),
    ...(category === null ? {} : { category }),
  })
}
