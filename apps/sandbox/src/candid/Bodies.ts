// Request bodies of the task write endpoints, validated the way a strict server would: only documented
// fields, documented types and enum values. A violation is a 422 UnprocessableEntityError [I].
import { isRecord } from "../framework/Http.ts"
import { isUuid } from "../framework/Ids.ts"
import { indexIn, NO_CATEGORY, TASK_CATEGORIES, TASK_STATUSES, TASK_TYPES } from "./Enums.ts"

export class BodyError extends Error {}

const fields = (body: unknown, allowed: ReadonlyArray<string>): Record<string, unknown> => {
  if (!isRecord(body)) throw new BodyError("Request body must be a JSON object")
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key))
  if (unknown.length > 0) throw new BodyError(`Unknown field(s): ${unknown.join(", ")}`)
  return body
}

const enumValue = (list: ReadonlyArray<string>, value: unknown, name: string): number => {
  const index = indexIn(list, value)
  if (index < 0) throw new BodyError(`Invalid ${name}: ${JSON.stringify(value)}`)
  return index
}

const uuid = (value: unknown, name: string): string => {
  if (!isUuid(value)) throw new BodyError(`${name} must be a UUID`)
  return value.toLowerCase()
}

const boolean = (value: unknown, name: string): boolean => {
  if (typeof value !== "boolean") throw new BodyError(`${name} must be a boolean`)
  return value
}

export interface UpdateBody {
  readonly status?: number
  readonly assignee?: string | null
  readonly blocks?: boolean
}

/** TaskUpdateV3: status, assignee_user_id, blocks_claim_submission; nothing else is writable [D]. */
export const parseUpdate = (body: unknown): UpdateBody => {
  const input = fields(body ?? {}, ["status", "assignee_user_id", "blocks_claim_submission"])
  const { status, assignee_user_id: assignee, blocks_claim_submission: blocks } = input
  return {
    ...(status === undefined ? {} : { status: enumValue(TASK_STATUSES, status, "status") }),
    // [I] null unassigns; the SDK types the field as an optional UUID.
    ...(assignee === undefined ? {} : { assignee: assignee === null ? null : uuid(assignee, "assignee_user_id") }),
    ...(blocks === undefined ? {} : { blocks: boolean(blocks, "blocks_claim_submission") }),
  }
}

export interface CreateBody {
  readonly encounterId: string
  readonly type: number
  readonly description: string
  readonly workQueueId: string
  readonly blocks: boolean
  readonly assignee: string | undefined
  readonly category: number
}

const text = (value: unknown, name: string): string => {
  if (typeof value !== "string" || value.trim() === "") throw new BodyError(`${name} is required`)
  return value
}

/** TaskCreateV3: encounter_id, task_type, description and work_queue_id are required [D]. */
export const parseCreate = (body: unknown): CreateBody => {
  const input = fields(body, [
    "encounter_id",
    "task_type",
    "description",
    "work_queue_id",
    "blocks_claim_submission",
    "assignee_user_id",
    "category",
  ])
  return {
    encounterId: uuid(input.encounter_id, "encounter_id"),
    type: enumValue(TASK_TYPES, input.task_type, "task_type"),
    description: text(input.description, "description"),
    workQueueId: text(input.work_queue_id, "work_queue_id"),
    // [I] Not said; false is the safe default (a task nobody asked to block submission).
    blocks:
      input.blocks_claim_submission === undefined
        ? false
        : boolean(input.blocks_claim_submission, "blocks_claim_submission"),
    assignee: input.assignee_user_id == null ? undefined : uuid(input.assignee_user_id, "assignee_user_id"),
    category: input.category == null ? NO_CATEGORY : enumValue(TASK_CATEGORIES, input.category, "category"),
  }
}
