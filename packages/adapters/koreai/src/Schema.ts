// Kore.ai Case Management task wire schemas: tasks, status/priority objects, create/update bodies, getTasks paging.
// Kore documents its task as a loose document, so nearly every field is optional and unknown keys are dropped.
// Auth is a self-minted JWT in the `auth:` header plus an `AccountId` header; every call is a POST.

import { IsoDateTime } from "@taskbridge/domain/Wire"
import { Schema, Struct } from "effect"

// ---------------------------------------------------------------------------------------------------------------
// Embedded objects.
// https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task
// https://docs.kore.ai/ai-for-service/apis/case-management-apis/get-tasks

/**
 * An admin-configurable status. `statusCategory` carries the fixed Status Type (Open, In Progress, On Hold,
 * Resolved, Closed) but only "open" is documented, so it stays a plain string for Mapping's per-tenant table.
 */
export const TaskStatus = Schema.Struct({
  _id: Schema.String,
  name: Schema.String,
  lname: Schema.String,
  statusCategory: Schema.String,
  type: Schema.String,
  desc: Schema.optionalKey(Schema.String),
  isEnabled: Schema.optionalKey(Schema.Boolean),
  isActive: Schema.optionalKey(Schema.Boolean),
})
export type TaskStatus = typeof TaskStatus.Type

/** System Low/Medium/High/Critical or a custom priority; `score` is its 1–15 value (Medium is 10). */
export const TaskPriority = Schema.Struct({
  _id: Schema.String,
  name: Schema.String,
  lname: Schema.optionalKey(Schema.String),
  type: Schema.String,
  desc: Schema.optionalKey(Schema.String),
  color: Schema.optionalKey(Schema.String),
  isEnabled: Schema.optionalKey(Schema.Boolean),
  isActive: Schema.optionalKey(Schema.Boolean),
  score: Schema.Number,
})
export type TaskPriority = typeof TaskPriority.Type

/** Who created or owns the task: an existing user `{_id}` or a contact `{name, emailId | phoneNumber}`. */
export const UserInfo = Schema.Struct({
  _id: Schema.optionalKey(Schema.String),
  name: Schema.optionalKey(Schema.String),
  emailId: Schema.optionalKey(Schema.String),
  phoneNumber: Schema.optionalKey(Schema.String),
})
export type UserInfo = typeof UserInfo.Type

/** `createdBy` / `updatedBy`. */
export const Actor = Schema.Struct({
  _id: Schema.String,
  name: Schema.optionalKey(Schema.String),
  profImage: Schema.optionalKey(Schema.String),
})
export type Actor = typeof Actor.Type

// Shapes Kore never documents (every sample is `{}` or `[]`): kept raw rather than guessed.
const Opaque = Schema.Record(Schema.String, Schema.Unknown)
const Ids = Schema.Array(Schema.String)
const Items = Schema.Array(Schema.Unknown)

// ---------------------------------------------------------------------------------------------------------------
// Fields shared by the task document and the update body, which "merges these fields into the document".
// https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task

const documentFields = {
  name: Schema.optionalKey(Schema.String),
  lname: Schema.optionalKey(Schema.String),
  desc: Schema.optionalKey(Schema.String),
  tags: Schema.optionalKey(Schema.Array(Schema.String)),
  userInfo: Schema.optionalKey(UserInfo),
  sessIds: Schema.optionalKey(Ids),
  accountId: Schema.optionalKey(Schema.String),
  lid: Schema.optionalKey(Schema.String),
  orgId: Schema.optionalKey(Schema.String),
  convIds: Schema.optionalKey(Ids),
  language: Schema.optionalKey(Schema.String),
  source: Schema.optionalKey(Schema.String),
  conversationType: Schema.optionalKey(Schema.String),
  fields: Schema.optionalKey(Items),
  participants: Schema.optionalKey(Items),
  queues: Schema.optionalKey(Items),
  refId: Schema.optionalKey(Schema.String),
  assigneeType: Schema.optionalKey(Schema.String),
  isActive: Schema.optionalKey(Schema.Boolean),
  taskIds: Schema.optionalKey(Ids),
  attachments: Schema.optionalKey(Items),
  feedback: Schema.optionalKey(Items),
  createdBy: Schema.optionalKey(Actor),
  updatedBy: Schema.optionalKey(Actor),
  /** Epoch milliseconds of the last tracked change. */
  timestampValue: Schema.optionalKey(Schema.Number),
  activityIds: Schema.optionalKey(Ids),
  commentIds: Schema.optionalKey(Ids),
  resolutionCmts: Schema.optionalKey(Items),
  isBreached: Schema.optionalKey(Schema.Boolean),
  supportCustomTasks: Schema.optionalKey(Schema.Boolean),
  channel: Schema.optionalKey(Schema.Array(Schema.String)),
  createdAt: Schema.optionalKey(IsoDateTime),
  updatedAt: Schema.optionalKey(IsoDateTime),
  currAssignee: Schema.optionalKey(Schema.NullOr(Opaque)),
  // Estimated resolution time: ISO when set, "" when not (as in the update doc's sample).
  ETA: Schema.optionalKey(Schema.String),
}

/** A task (`ti-…`), a step inside a case (`ci-…`) instantiated from a task template. */
export const Task = Schema.Struct({
  ...documentFields,
  _id: Schema.String,
  caseId: Schema.optionalKey(Schema.String),
  caseRefId: Schema.optionalKey(Schema.String),
  taskTmp: Schema.optionalKey(Schema.String),
  iId: Schema.optionalKey(Schema.String),
  isCustTsk: Schema.optionalKey(Schema.Boolean),
  // Null when the task's status or priority no longer resolves (the emulator prints it so; the docs never show it).
  status: Schema.optionalKey(Schema.NullOr(TaskStatus)),
  priority: Schema.optionalKey(Schema.NullOr(TaskPriority)),
  /** Due date as epoch milliseconds; null or absent when unset. */
  dueDate: Schema.optionalKey(Schema.NullOr(Schema.Number)),
})
export type Task = typeof Task.Type

// Whether update needs the whole status/priority object or only its `_id` is undocumented, so `_id` is the only
// required key and the rest may be sent when known.
const StatusRef = Schema.Struct({ ...Struct.map(TaskStatus.fields, Schema.optionalKey), _id: Schema.String })
const PriorityRef = Schema.Struct({ ...Struct.map(TaskPriority.fields, Schema.optionalKey), _id: Schema.String })

/** `POST …/updateTask/{taskId}`: every field optional; send only what changed. */
export const UpdateTaskBody = Schema.Struct({
  ...documentFields,
  caseTmp: Schema.optionalKey(Schema.String),
  status: Schema.optionalKey(StatusRef),
  priority: Schema.optionalKey(PriorityRef),
  /** Epoch milliseconds; null clears it (the task document holds null when no due is set). */
  dueDate: Schema.optionalKey(Schema.NullOr(Schema.Number)),
})
export type UpdateTaskBody = typeof UpdateTaskBody.Type

// https://docs.kore.ai/ai-for-service/apis/case-management-apis/create-a-task
/** `POST …/createTask`. The task template (`ttm-…`) must exist in the app. */
export const CreateTaskBody = Schema.Struct({
  caseId: Schema.String,
  caseRefId: Schema.String,
  taskTmp: Schema.String,
  name: Schema.String,
  userInfo: Schema.Union([
    Schema.Struct({ _id: Schema.String }),
    Schema.Struct({ name: Schema.String, emailId: Schema.String }),
    Schema.Struct({ name: Schema.String, phoneNumber: Schema.String }),
  ]),
  source: Schema.String,
  desc: Schema.String,
})
export type CreateTaskBody = typeof CreateTaskBody.Type

// ---------------------------------------------------------------------------------------------------------------
// getTasks: offset paging with a date window; there is no updated-since filter.
// https://docs.kore.ai/ai-for-service/apis/case-management-apis/get-tasks

export const GetTasksRequest = Schema.Struct({
  skip: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  limit: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0))),
  searchText: Schema.optionalKey(Schema.String),
  unresolved: Schema.optionalKey(Schema.Boolean),
  unassigned: Schema.optionalKey(Schema.Boolean),
  mytask: Schema.optionalKey(Schema.Boolean),
  mycase: Schema.optionalKey(Schema.Boolean),
  selectedColumns: Schema.optionalKey(Schema.Array(Schema.String)),
  priority: Schema.optionalKey(Schema.Array(Schema.String)),
  agents: Schema.optionalKey(Schema.Array(Schema.String)),
  status: Schema.optionalKey(Schema.Array(Schema.String)),
  customFields: Schema.optionalKey(Items),
  ETAlist: Schema.optionalKey(Items),
  channel: Schema.optionalKey(Schema.Array(Schema.String)),
  queues: Schema.optionalKey(Schema.Array(Schema.String)),
  startDate: Schema.optionalKey(IsoDateTime),
  endDate: Schema.optionalKey(IsoDateTime),
  dueDate: Schema.optionalKey(IsoDateTime),
  /** e.g. `{"dueDate": "desc"}`; `{"updatedAt": "desc"}` is how a sync scans back to its watermark. */
  sortBy: Schema.optionalKey(Schema.Record(Schema.String, Schema.Literals(["asc", "desc"]))),
})
export type GetTasksRequest = typeof GetTasksRequest.Type

export const GetTasksResponse = Schema.Struct({
  results: Schema.Array(Task),
  page: Schema.Int,
  limit: Schema.Int,
  hasMore: Schema.Boolean,
  totalPages: Schema.Int,
  totalResults: Schema.Int,
})
export type GetTasksResponse = typeof GetTasksResponse.Type

/** The same page with its results still raw: the client reads them one by one, so one broken task is quarantined. */
export const RawGetTasksResponse = Schema.Struct({ ...GetTasksResponse.fields, results: Schema.Array(Schema.Unknown) })
