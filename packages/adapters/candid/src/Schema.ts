// Candid Health Tasks V3 wire schemas: the JSON Candid sends and accepts, decoded once at the adapter's edge.
// Field names stay snake_case as on the wire; turning them into domain values is Mapping's job.
// Source of truth: candid-node `src/serialization/resources/tasks/**` (Fern-generated from Candid's API definition).

import { PlainDate as IsoDate } from "@taskbridge/domain/Due"
import { Guid, IsoDateTime } from "@taskbridge/domain/Wire"
import { Schema } from "effect"
import { OpenTaskCategory, OpenTaskStatus, OpenTaskType, TaskCategory, TaskStatus, TaskType } from "./internal/enums.ts"

// Fern serializes an absent optional either by omitting the key or as null, so read-side optionals accept both.
const OptionalNullable = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.NullOr(schema))

// ---------------------------------------------------------------------------------------------------------------
// Task, as returned by get, get-all, create and update.
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update

/** A note on a task. Read-only: the API has no endpoint to write notes. */
export const TaskNote = Schema.Struct({
  task_note_id: Schema.String,
  text: Schema.String,
  created_at: IsoDateTime,
  author_name: Schema.String,
  author_organization_name: Schema.String,
})
export type TaskNote = typeof TaskNote.Type

/** One assignment; a task may carry several even though writes set a single `assignee_user_id`. */
export const TaskAssignment = Schema.Struct({
  task_assignment_id: Schema.String,
  assignee_user_id: OptionalNullable(Schema.String),
})
export type TaskAssignment = typeof TaskAssignment.Type

export const Task = Schema.Struct({
  task_id: Schema.String,
  encounter_id: Schema.String,
  task_type: OpenTaskType,
  description: Schema.String,
  blocks_claim_submission: Schema.Boolean,
  external_id: Schema.String,
  patient_name: Schema.String,
  patient_external_id: Schema.String,
  payer_name: OptionalNullable(Schema.String),
  payer_id: OptionalNullable(Schema.String),
  status: OpenTaskStatus,
  notes: Schema.Array(TaskNote),
  created_at: IsoDateTime,
  /** Changes to the task itself only. */
  updated_at: IsoDateTime,
  /** Changes to the task or any of its notes: the better sync watermark. */
  agg_updated_at: IsoDateTime,
  /** The encounter's date of service, not a due date (tasks have none). */
  date_of_service: IsoDate,
  assignments: Schema.Array(TaskAssignment),
  category: OptionalNullable(OpenTaskCategory),
  configurable_rule_id: OptionalNullable(Schema.String),
  // In the SDK and OpenAPI spec but not on the update page, so it may be absent.
  persisted_rule_id: OptionalNullable(Schema.String),
})
export type Task = typeof Task.Type

/** A page of `GET /api/tasks/v3`; paging is an opaque cursor, absent or null on the last page. */
export const TaskPage = Schema.Struct({
  items: Schema.Array(Task),
  prev_page_token: OptionalNullable(Schema.String),
  next_page_token: OptionalNullable(Schema.String),
})
export type TaskPage = typeof TaskPage.Type

/** The same page with its items still raw: the client reads them one by one, so one broken task is quarantined alone. */
export const RawTaskPage = Schema.Struct({ ...TaskPage.fields, items: Schema.Array(Schema.Unknown) })

// ---------------------------------------------------------------------------------------------------------------
// Requests. Closed enums: sending a value Candid does not know would only earn a 422.
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/create

/** `POST /api/tasks/v3`. `work_queue_id` is required, and no API lists queues, so it comes from tenant config. */
export const TaskCreateV3 = Schema.Struct({
  encounter_id: Guid,
  task_type: TaskType,
  description: Schema.String,
  work_queue_id: Schema.String,
  blocks_claim_submission: Schema.optionalKey(Schema.Boolean),
  assignee_user_id: Schema.optionalKey(Guid),
  category: Schema.optionalKey(TaskCategory),
})
export type TaskCreateV3 = typeof TaskCreateV3.Type

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update
/** `PATCH /api/tasks/v3/{task_id}`: the whole writable surface of a task. */
export const TaskUpdateV3 = Schema.Struct({
  status: Schema.optionalKey(TaskStatus),
  assignee_user_id: Schema.optionalKey(Guid),
  blocks_claim_submission: Schema.optionalKey(Schema.Boolean),
})
export type TaskUpdateV3 = typeof TaskUpdateV3.Type

// ---------------------------------------------------------------------------------------------------------------
// Task actions: UI hints only, since no endpoint executes them.
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get (candid-node `v3/types/TaskAction*.ts`)

export const TaskActionTypeValues = ["close_task", "close_task_and_reprocess"] as const
export const TaskActionType = Schema.Literals(TaskActionTypeValues)
export type TaskActionType = typeof TaskActionType.Type
export const isKnownTaskActionType: (value: string) => value is TaskActionType = Schema.is(TaskActionType)

export const TaskAction = Schema.Struct({
  display_name: Schema.String,
  // A union discriminated by `type` whose only variant today is close_task; kept open like every Candid enum.
  execution_method: Schema.Struct({
    type: Schema.Union([Schema.Literal("close_task"), Schema.StringForLiteralAutocomplete]),
  }),
  type: Schema.Union([TaskActionType, Schema.StringForLiteralAutocomplete]),
})
export type TaskAction = typeof TaskAction.Type

export const TaskActions = Schema.Struct({ actions: Schema.Array(TaskAction) })
export type TaskActions = typeof TaskActions.Type

// ---------------------------------------------------------------------------------------------------------------
// Auth: client credentials sent as JSON. The token must be cached: minting too often is rate-limited (429).
// https://docs.joincandidhealth.com/api-reference/auth/default/get-token

export const TokenRequest = Schema.Struct({ client_id: Schema.String, client_secret: Schema.String })
export type TokenRequest = typeof TokenRequest.Type

export const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  // The prose says 5 hours, the example says 86400: trust this field, as the SDK does.
  expires_in: Schema.Int,
  token_type: Schema.String,
})
export type TokenResponse = typeof TokenResponse.Type

// ---------------------------------------------------------------------------------------------------------------
// Error envelope `{errorName, content}`: branch on errorName, not on the HTTP status alone.
// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update (Errors: 403, 404, 422)

const MessageContent = Schema.Struct({ message: OptionalNullable(Schema.String) })

export const EntityNotFoundError = Schema.Struct({
  errorName: Schema.Literal("EntityNotFoundError"),
  content: Schema.Struct({ id: Schema.String }),
})
export const UnauthorizedError = Schema.Struct({
  errorName: Schema.Literal("UnauthorizedError"),
  content: MessageContent,
})
export const UnprocessableEntityError = Schema.Struct({
  errorName: Schema.Literal("UnprocessableEntityError"),
  content: MessageContent,
})
// The only signal of which statuses are deprecated for writes; the adapter learns a write-forbidden set from it.
export const TaskUpdatedToDeprecatedStatusError = Schema.Struct({
  errorName: Schema.Literal("TaskUpdatedToDeprecatedStatusError"),
  content: Schema.Struct({ deprecated_status: OpenTaskStatus }),
})
// Declared on the token endpoint (candid-node `TooManyRequestsErrorType.ts`).
export const TooManyRequestsError = Schema.Struct({
  errorName: Schema.Literal("TooManyRequestsError"),
  content: MessageContent,
})

/** Every declared Candid error. Undeclared errors (400/401/5xx) do not match; errors.ts maps those by HTTP status. */
export const ErrorEnvelope = Schema.Union([
  EntityNotFoundError,
  UnauthorizedError,
  UnprocessableEntityError,
  TaskUpdatedToDeprecatedStatusError,
  TooManyRequestsError,
])
export type ErrorEnvelope = typeof ErrorEnvelope.Type
