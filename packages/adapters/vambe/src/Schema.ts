// Vambe public Tasks API wire schemas: tasks, their per-organization status configs, request bodies, team members.
// Responses are decoded leniently (unknown keys dropped, unknown status types kept); requests are checked strictly.
// Auth is an `x-api-key` header; base URL https://api.vambe.me.

import { PlainDate as IsoDate } from "@taskbridge/domain/Due"
import { Guid, IsoDateTime } from "@taskbridge/domain/Wire"
import { Schema } from "effect"

// ---------------------------------------------------------------------------------------------------------------
// Task, as returned by `GET /api/public/tasks` (a bare array, no paging) and by update.
// https://docs.vambe.me/reference/tasks/get-tasks
// https://docs.vambe.me/reference/tasks/update-task

export const StatusConfigTypeValues = ["initial", "in_progress", "done", "master_done"] as const
/** The only fixed meaning behind an organization's custom statuses. */
export const StatusConfigType = Schema.Literals(StatusConfigTypeValues)
export type StatusConfigType = typeof StatusConfigType.Type
// Status configs are per organization and their documented fields are truncated, so a new type must not fail a
// decode: the raw value is kept for Mapping to fall back on.
export const OpenStatusConfigType = Schema.Union([StatusConfigType, Schema.StringForLiteralAutocomplete])
export type OpenStatusConfigType = typeof OpenStatusConfigType.Type
export const isKnownStatusConfigType: (value: string) => value is StatusConfigType = Schema.is(StatusConfigType)

/** One of the organization's ordered statuses; fields beyond these five are undocumented and dropped. */
export const StatusConfig = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  color: Schema.String,
  type: OpenStatusConfigType,
  /** What `newStatusPosition` indexes (0-based in the doc's examples). */
  order: Schema.Int,
})
export type StatusConfig = typeof StatusConfig.Type

// The update page says priority comes back as an integer, the get-tasks page says "low" | "medium" | "high", and
// it is written as a string: accept all three forms and let Mapping normalise.
export const TaskPriority = Schema.Literals([0, 1, 2, "0", "1", "2", "low", "medium", "high"])
export type TaskPriority = typeof TaskPriority.Type

export const TaskResponsible = Schema.Struct({ responsible_id: Schema.String })
export type TaskResponsible = typeof TaskResponsible.Type

/** A task. There is no `updated_at`, so change detection hashes the content. */
export const Task = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  // Nullable because update accepts `description: null`.
  description: Schema.NullOr(Schema.String),
  due_timezone: Schema.NullOr(Schema.String),
  due_at: Schema.NullOr(IsoDateTime),
  is_all_day: Schema.Boolean,
  created_at: IsoDateTime,
  ai_contact_id: Schema.NullOr(Schema.String),
  ai_customer_id: Schema.NullOr(Schema.String),
  // Nullable alongside status_config, which the docs mark nullable.
  task_status_config_id: Schema.NullOr(Schema.String),
  priority: TaskPriority,
  creator_id: Schema.String,
  task_responsibles: Schema.Array(TaskResponsible),
  status_config: Schema.NullOr(StatusConfig),
})
export type Task = typeof Task.Type

export const TaskList = Schema.Array(Task)
export type TaskList = typeof TaskList.Type
/** The list with its items still raw: the client reads them one by one, so one broken task is quarantined alone. */
export const RawTaskList = Schema.Array(Schema.Unknown)

// ---------------------------------------------------------------------------------------------------------------
// Requests. Priority is written as a string even though it is stored as an integer.

const Title = Schema.String.check(Schema.isMinLength(1))
const WritePriority = Schema.Literals(["0", "1", "2"])
/** `HH:MM`, e.g. "14:30". */
const DueTime = Schema.String.check(Schema.isPattern(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { expected: "an HH:MM time" }))
// "ISO 8601 format: YYYY-MM-DD or full datetime".
const DueDate = Schema.Union([IsoDate, IsoDateTime])

// https://docs.vambe.me/reference/tasks/update-task
/**
 * `PUT /api/public/tasks/{id}`, partial despite the verb. `responsibleIds` replaces every assignee; a null
 * `dueDate` removes the due date. Status is set by name or by position, never both.
 */
export const UpdateTaskBody = Schema.Struct({
  title: Schema.optionalKey(Title),
  description: Schema.optionalKey(Schema.NullOr(Schema.String)),
  newStatusPosition: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  newStatusName: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1))),
  dueDate: Schema.optionalKey(Schema.NullOr(DueDate)),
  dueTime: Schema.optionalKey(Schema.NullOr(DueTime)),
  timezone: Schema.optionalKey(Schema.NullOr(Schema.String)),
  responsibleIds: Schema.optionalKey(Schema.Array(Guid)),
  aiContactId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  aiCustomerId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  priority: Schema.optionalKey(WritePriority),
}).check(
  Schema.makeFilter((body) =>
    body.newStatusName !== undefined && body.newStatusPosition !== undefined
      ? "newStatusName and newStatusPosition cannot both be set: Vambe accepts one or the other"
      : undefined,
  ),
)
export type UpdateTaskBody = typeof UpdateTaskBody.Type

// https://docs.vambe.me/reference/tasks/create-task
/** `POST /api/public/tasks`. Omitting `dueTime` makes the task all-day. */
export const CreateTaskBody = Schema.Struct({
  title: Title,
  responsibleIds: Schema.Array(Guid),
  priority: WritePriority,
  description: Schema.optionalKey(Schema.String),
  dueDate: Schema.optionalKey(DueDate),
  dueTime: Schema.optionalKey(DueTime),
  timezone: Schema.optionalKey(Schema.String),
  aiContactId: Schema.optionalKey(Schema.String),
  aiCustomerId: Schema.optionalKey(Schema.String),
}).check(
  Schema.makeFilter((body) =>
    body.dueTime !== undefined && body.timezone === undefined
      ? { path: ["timezone"], issue: "timezone is required when dueTime is specified" }
      : undefined,
  ),
)
export type CreateTaskBody = typeof CreateTaskBody.Type

// https://docs.vambe.me/reference/tasks/delete-task
/** `DELETE /api/public/tasks/{id}` is a soft delete that answers with this body. */
export const DeleteTaskResponse = Schema.Struct({ status: Schema.Literal("success") })
export type DeleteTaskResponse = typeof DeleteTaskResponse.Type

// ---------------------------------------------------------------------------------------------------------------
// Team members: the ids `responsibleIds` takes.
// https://docs.vambe.me/reference/team-members/get-all-team-members

// The docs list the fields without saying which can be empty; contact details are tolerated as missing or null
// so one incomplete profile cannot hide the whole team from assignee resolution.
export const TeamMember = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  first_name: Schema.optionalKey(Schema.NullOr(Schema.String)),
  last_name: Schema.optionalKey(Schema.NullOr(Schema.String)),
  email: Schema.optionalKey(Schema.NullOr(Schema.String)),
  phone: Schema.optionalKey(Schema.NullOr(Schema.String)),
})
export type TeamMember = typeof TeamMember.Type

export const TeamMemberList = Schema.Array(TeamMember)
export type TeamMemberList = typeof TeamMemberList.Type
