// Reading Vambe request bodies as the docs state their rules (vambe-tasks-update.txt "Validation Rules", create
// page): types, minimum lengths, the "0"/"1"/"2" priority strings, name XOR position, UUIDs, and the due fields (read
// in DueFields.ts). A broken rule throws VambeInputError (400); references (status names, team members) are checked
// by the routes, since they answer 404.
import { isRecord } from "../framework/Http.ts"
import { isUuid } from "../framework/Ids.ts"
import { type DueInput, dueInput, noDue, resolveDue } from "./DueFields.ts"
import { VambeInputError } from "./Errors.ts"
import type { Priority } from "./Model.ts"
import type { Due } from "./Store.ts"

type Body = Record<string, unknown>

// [I] NestJS-style whitelisting: unknown keys are refused, and the doc's immutable fields say why.
const IMMUTABLE = ["id", "created_at", "creator_id"]

const refuseUnknown = (body: Body, allowed: ReadonlyArray<string>) => {
  for (const key of Object.keys(body)) {
    if (IMMUTABLE.includes(key)) throw new VambeInputError(`${key} is immutable and cannot be updated`)
    if (!allowed.includes(key)) throw new VambeInputError(`property ${key} should not exist`)
  }
}

const objectBody = (body: unknown): Body => {
  if (!isRecord(body)) throw new VambeInputError("the request body must be a JSON object")
  return body
}

const text = (body: Body, key: string, min = 0): string => {
  const value = body[key]
  if (typeof value !== "string") throw new VambeInputError(`${key} must be a string`)
  if (value.length < min) throw new VambeInputError(`${key} must be longer than or equal to ${min} characters`)
  return value
}

const nullableText = (body: Body, key: string): string | null => (body[key] === null ? null : text(body, key))

const uuids = (body: Body, key: string): Array<string> => {
  const value = body[key]
  if (!Array.isArray(value) || !value.every(isUuid)) throw new VambeInputError(`each value in ${key} must be a UUID`)
  return value.map((id) => id.toLowerCase())
}

/** Sent as a string, stored as an integer [D]; a number or a word is refused. */
const priority = (body: Body): Priority => {
  const value = body.priority
  if (value !== "0" && value !== "1" && value !== "2") {
    throw new VambeInputError('priority must be one of the following values: "0", "1", "2"')
  }
  return Number(value) as Priority
}

export type StatusRef = { readonly name: string } | { readonly position: number }

export interface UpdateBody {
  readonly title?: string
  readonly description?: string | null
  readonly status?: StatusRef
  readonly due: DueInput
  readonly responsibleIds?: ReadonlyArray<string>
  readonly aiContactId?: string | null
  readonly aiCustomerId?: string | null
  readonly priority?: Priority
}

const UPDATE_KEYS = [
  "title",
  "description",
  "newStatusPosition",
  "newStatusName",
  "dueDate",
  "dueTime",
  "timezone",
  "responsibleIds",
  "aiContactId",
  "aiCustomerId",
  "priority",
]

// https://docs.vambe.me/reference/tasks/update-task
export const parseUpdate = (raw: unknown): UpdateBody => {
  const body = objectBody(raw)
  refuseUnknown(body, UPDATE_KEYS)
  if ("newStatusName" in body && "newStatusPosition" in body) {
    throw new VambeInputError("use newStatusName or newStatusPosition, not both")
  }
  let status: StatusRef | undefined
  if ("newStatusName" in body) status = { name: text(body, "newStatusName", 1) }
  if ("newStatusPosition" in body) {
    const position = body.newStatusPosition
    if (typeof position !== "number" || !Number.isInteger(position) || position < 0) {
      throw new VambeInputError("newStatusPosition must be a non-negative integer")
    }
    status = { position }
  }
  return {
    ...("title" in body ? { title: text(body, "title", 1) } : {}),
    ...("description" in body ? { description: nullableText(body, "description") } : {}),
    ...(status === undefined ? {} : { status }),
    due: dueInput(body),
    ...("responsibleIds" in body ? { responsibleIds: uuids(body, "responsibleIds") } : {}),
    ...("aiContactId" in body ? { aiContactId: nullableText(body, "aiContactId") } : {}),
    ...("aiCustomerId" in body ? { aiCustomerId: nullableText(body, "aiCustomerId") } : {}),
    ...("priority" in body ? { priority: priority(body) } : {}),
  }
}

export interface CreateBody {
  readonly title: string
  readonly responsibleIds: ReadonlyArray<string>
  readonly priority: Priority
  readonly description: string | null
  readonly due: Due
  readonly aiContactId: string | null
  readonly aiCustomerId: string | null
}

const CREATE_KEYS = [
  "title",
  "responsibleIds",
  "priority",
  "description",
  "dueDate",
  "dueTime",
  "timezone",
  "aiContactId",
  "aiCustomerId",
]

// https://docs.vambe.me/reference/tasks/create-task
export const parseCreate = (raw: unknown): CreateBody => {
  const body = objectBody(raw)
  refuseUnknown(body, CREATE_KEYS)
  for (const key of ["title", "responsibleIds", "priority"]) {
    if (!(key in body)) throw new VambeInputError(`${key} is required`)
  }
  const due = dueInput(body)
  // [D] "timezone: Required when dueTime is specified".
  if (due.dueTime !== undefined && due.dueTime !== null && (due.timezone ?? null) === null) {
    throw new VambeInputError("timezone is required when dueTime is specified")
  }
  if (due.dueDate === undefined && due.dueTime !== undefined && due.dueTime !== null) {
    throw new VambeInputError("dueTime requires a dueDate")
  }
  return {
    title: text(body, "title", 1),
    responsibleIds: uuids(body, "responsibleIds"),
    priority: priority(body),
    description: "description" in body ? nullableText(body, "description") : null,
    due: resolveDue(noDue, due) ?? noDue,
    aiContactId: "aiContactId" in body ? nullableText(body, "aiContactId") : null,
    aiCustomerId: "aiCustomerId" in body ? nullableText(body, "aiCustomerId") : null,
  }
}
