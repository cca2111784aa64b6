// createTask / updateTask bodies read by the update doc's field table: each field's type, references by `_id` (checked
// against the account in `resolve`), `dueDate` epoch ms; a broken rule throws KoreaiInputError (400).
import { isRecord } from "../framework/Http.ts"
import { KoreaiInputError } from "./Errors.ts"
import { type Account, ASSIGNEE_TYPES, type TaskPriority, type TaskStatus } from "./Model.ts"
import { isUsable, type TaskChange } from "./Store.ts"

type Kind = "string" | "array" | "object" | "boolean" | "number"

/** [D] The update doc's request body table: every field is optional, typed as listed. */
const FIELDS: Readonly<Record<string, Kind>> = {
  caseTmp: "string",
  name: "string",
  lname: "string",
  desc: "string",
  tags: "array",
  userInfo: "object",
  sessIds: "array",
  accountId: "string",
  lid: "string",
  orgId: "string",
  convIds: "array",
  status: "object",
  language: "string",
  source: "string",
  conversationType: "string",
  fields: "array",
  participants: "array",
  queues: "array",
  priority: "object",
  refId: "string",
  assigneeType: "string",
  isActive: "boolean",
  taskIds: "array",
  attachments: "array",
  feedback: "array",
  createdBy: "object",
  updatedBy: "object",
  timestampValue: "number",
  activityIds: "array",
  commentIds: "array",
  resolutionCmts: "array",
  dueDate: "number",
  isBreached: "boolean",
  supportCustomTasks: "boolean",
  channel: "array",
  createdAt: "string",
  updatedAt: "string",
  currAssignee: "object",
  ETA: "string",
}

/**
 * [I] Identity and bookkeeping the server owns: accepted (they are in the table) but never stored, so a client
 * echoing a task back cannot move its `updatedAt`, re-home it or rename its reference.
 */
const SERVER_OWNED = [
  "accountId",
  "orgId",
  "refId",
  "createdAt",
  "updatedAt",
  "timestampValue",
  "createdBy",
  "updatedBy",
]

/** Fields with a meaning of their own (references, the due instant); the rest are stored as sent. */
const TYPED = ["name", "desc", "status", "priority", "currAssignee", "queues", "dueDate"]

const KIND_TEXT: Readonly<Record<Kind, string>> = {
  string: "a string",
  array: "an array",
  object: "an object",
  boolean: "a boolean",
  number: "a number",
}

const hasKind = (value: unknown, kind: Kind): boolean =>
  kind === "array"
    ? Array.isArray(value)
    : kind === "object"
      ? isRecord(value)
      : kind === "number"
        ? typeof value === "number" && Number.isFinite(value)
        : typeof value === kind

/** A body's change before its references are checked; `doc` holds the fields stored as sent. */
export interface TaskInput extends TaskChange {
  readonly doc: Record<string, unknown>
}

const refId = (value: Record<string, unknown>, field: string): string => {
  const id = value._id
  if (typeof id !== "string" || id === "") throw new KoreaiInputError(`${field} must be an object with an _id`)
  return id
}

const queueIds = (value: ReadonlyArray<unknown>): Array<string> =>
  value.map((q) => {
    if (typeof q === "string" && q !== "") return q
    if (isRecord(q)) return refId(q, "each queue")
    throw new KoreaiInputError("queues must be queue ids or objects with an _id")
  })

/** Checks every field's type and splits the typed ones out; `extra` names fields beyond the table (createTask's). */
export const parseTaskBody = (raw: unknown, extra: ReadonlyArray<string> = []): TaskInput => {
  if (!isRecord(raw)) throw new KoreaiInputError("request body must be a JSON object")
  const doc: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (extra.includes(key)) continue
    const kind = FIELDS[key]
    // [I] Unknown fields are refused rather than silently stored, so a misspelt field cannot look like a success.
    if (kind === undefined) throw new KoreaiInputError(`${key} is not a task field`)
    // null clears a due date and, as `{}` does, unassigns [I].
    if ((key === "dueDate" || key === "currAssignee") && value === null) continue
    if (!hasKind(value, kind)) throw new KoreaiInputError(`${key} must be ${KIND_TEXT[kind]}`)
    if (!SERVER_OWNED.includes(key) && !TYPED.includes(key)) doc[key] = value
  }
  const { name, desc, status, priority, currAssignee, queues, dueDate } = raw
  if (name !== undefined && (name as string).trim() === "") throw new KoreaiInputError("name must not be empty")
  if (typeof dueDate === "number" && !Number.isInteger(dueDate)) {
    throw new KoreaiInputError("dueDate must be a timestamp in milliseconds")
  }
  const assignee = currAssignee as Record<string, unknown> | null | undefined
  if (doc.assigneeType !== undefined && !ASSIGNEE_TYPES.some((t) => t === doc.assigneeType)) {
    throw new KoreaiInputError(`assigneeType must be one of: ${ASSIGNEE_TYPES.join(", ")}`)
  }
  return {
    ...(name === undefined ? {} : { name: name as string }),
    ...(desc === undefined ? {} : { desc: desc as string }),
    ...(status === undefined ? {} : { statusId: refId(status as Record<string, unknown>, "status") }),
    ...(priority === undefined ? {} : { priorityId: refId(priority as Record<string, unknown>, "priority") }),
    ...(assignee === undefined
      ? {}
      : {
          currAssignee:
            assignee === null || Object.keys(assignee).length === 0 ? null : refId(assignee, "currAssignee"),
        }),
    ...(queues === undefined ? {} : { queues: queueIds(queues as ReadonlyArray<unknown>) }),
    ...(dueDate === undefined ? {} : { dueDate: dueDate as number | null }),
    doc,
  }
}

const configured = <T extends TaskStatus | TaskPriority>(all: ReadonlyArray<T>, id: string, what: string): T => {
  const found = all.find((entry) => entry._id === id)
  if (found === undefined) throw new KoreaiInputError(`Invalid ${what}: ${id} is not configured for this account`)
  // [D: configure-cases] inactive ones "cannot use ... anywhere else".
  if (!isUsable(found)) throw new KoreaiInputError(`Invalid ${what}: '${found.name}' is inactive`)
  return found
}

/** The store change a parsed body asks for, its references checked against the account's configuration. */
export const resolve = (org: Account, input: TaskInput): TaskChange => {
  const { statusId, priorityId, currAssignee, queues, doc, ...plain } = input
  if (currAssignee != null && !org.agents.some((a) => a._id === currAssignee)) {
    throw new KoreaiInputError(`Invalid currAssignee: ${currAssignee} is not an agent of this account`)
  }
  const unknownQueue = queues?.find((id) => !org.queues.some((q) => q._id === id))
  if (unknownQueue !== undefined)
    throw new KoreaiInputError(`Invalid queue: ${unknownQueue} is not a queue of this account`)
  return {
    ...plain,
    ...(statusId === undefined ? {} : { statusId: configured(org.statuses, statusId, "status")._id }),
    ...(priorityId === undefined ? {} : { priorityId: configured(org.priorities, priorityId, "priority")._id }),
    ...(currAssignee === undefined ? {} : { currAssignee }),
    ...(queues === undefined ? {} : { queues }),
    doc,
  }
}

export const required = (body: Record<string, unknown>, keys: ReadonlyArray<string>) => {
  const missing = keys.find((key) => body[key] === undefined || body[key] === null || body[key] === "")
  if (missing !== undefined) throw new KoreaiInputError(`${missing} is required`)
}

/**
 * https://docs.kore.ai/ai-for-service/apis/case-management-apis/create-a-task — [D] caseId, caseRefId, taskTmp (one
 * of the app's templates), name, userInfo (`{_id}` or `{name + emailId|phoneNumber}`), source and desc are required;
 * the update fields are allowed too. The case itself is checked by the route (it answers for a missing one).
 */
export const parseCreateTask = (raw: unknown, org: Account) => {
  if (!isRecord(raw)) throw new KoreaiInputError("request body must be a JSON object")
  required(raw, ["caseId", "caseRefId", "taskTmp", "name", "userInfo", "source", "desc"])
  const { caseId, caseRefId, taskTmp, userInfo } = raw
  if (typeof caseId !== "string" || typeof caseRefId !== "string" || typeof taskTmp !== "string") {
    throw new KoreaiInputError("caseId, caseRefId and taskTmp must be strings")
  }
  const contact =
    isRecord(userInfo) && userInfo.name !== undefined && (userInfo.emailId ?? userInfo.phoneNumber) !== undefined
  if (!isRecord(userInfo) || (userInfo._id === undefined && !contact)) {
    throw new KoreaiInputError("userInfo must have an _id, or a name with an emailId or phoneNumber")
  }
  if (!org.templates.some((t) => t._id === taskTmp)) {
    throw new KoreaiInputError(`Invalid taskTmp: ${taskTmp} is not a task template of this app`)
  }
  return { caseId, caseRefId, taskTmp, body: parseTaskBody(raw, ["caseId", "caseRefId", "taskTmp"]) }
}
