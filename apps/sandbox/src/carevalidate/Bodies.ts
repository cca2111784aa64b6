// Zod-style validation of `POST /api/v1/cases/:caseId` bodies (vendor-docs §5.7): strict objects (unknown keys
// rejected), first issue reported as "path, message". Throws BodyIssue; Routes.ts turns it into VALIDATION_ERROR.
import { parseIsoDateTime } from "../framework/Fake.ts"
import { isRecord } from "../framework/Http.ts"
import { isUuid } from "../framework/Ids.ts"
import { ESCALATION_TYPES, type EscalationType } from "./Model.ts"
import { TITLES } from "./Text.ts"

export class BodyIssue extends Error {
  readonly path: string
  constructor(path: string, message: string) {
    super(message)
    this.path = path
  }
}

export interface UpdateItem {
  readonly escalationId: string
  readonly note?: string
  readonly followUpDueAt?: number
  readonly assignedToEmail?: string
}

export interface AddItem {
  readonly type: EscalationType
  readonly title: string
  readonly note?: string
  readonly followUpDueAt?: number
  readonly assignedToEmail?: string
}

export type CaseAction =
  | { readonly action: "UPDATE_ESCALATION"; readonly items: ReadonlyArray<UpdateItem> }
  | { readonly action: "ADD_ESCALATION"; readonly items: ReadonlyArray<AddItem> }
  | { readonly action: "NOT_EMULATED"; readonly name: string }

/** Documented actions of this endpoint (§5.3); the last two are not emulated yet. */
const ACTIONS = ["UPDATE_ESCALATION", "ADD_ESCALATION", "CHANGE_CASE_STATUS", "ADD_COMMUNICATION"]
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const received = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isNaN(value) ? "nan" : typeof value

const quoted = (values: ReadonlyArray<string>) => values.map((v) => `'${v}'`).join(" | ")

const strict = (value: Record<string, unknown>, allowed: ReadonlyArray<string>, path: string): void => {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key))
  const first = unknown[0]
  if (first === undefined) return
  // The docs print the first unknown key in the path: "escalations.0.unknownField, Unrecognized key(s) ...".
  throw new BodyIssue(
    path === "" ? first : `${path}.${first}`,
    `Unrecognized key(s) in object: ${unknown.map((k) => `'${k}'`).join(", ")}`,
  )
}

const optionalString = (item: Record<string, unknown>, key: string, path: string): string | undefined => {
  const value = item[key]
  if (value === undefined) return undefined
  // [I] null is not accepted (fields are `.optional()`, not nullable); there is no documented way to clear.
  if (typeof value !== "string") throw new BodyIssue(`${path}.${key}`, `Expected string, received ${received(value)}`)
  return value
}

/** The writable fields UPDATE and ADD share: note, followUpDueAt (ISO 8601) and assignedToEmail. */
const common = (item: Record<string, unknown>, path: string) => {
  const note = optionalString(item, "note", path)
  const due = optionalString(item, "followUpDueAt", path)
  const followUpDueAt = due === undefined ? undefined : parseIsoDateTime(due)
  if (due !== undefined && (followUpDueAt === undefined || !due.includes("T"))) {
    throw new BodyIssue(`${path}.followUpDueAt`, "Invalid datetime")
  }
  const email = optionalString(item, "assignedToEmail", path)
  if (email !== undefined && !EMAIL.test(email)) throw new BodyIssue(`${path}.assignedToEmail`, "Invalid email")
  return {
    ...(note === undefined ? {} : { note }),
    ...(followUpDueAt === undefined ? {} : { followUpDueAt }),
    ...(email === undefined ? {} : { assignedToEmail: email }),
  }
}

const object = (value: unknown, path: string): Record<string, unknown> => {
  if (!isRecord(value)) throw new BodyIssue(path, `Expected object, received ${received(value)}`)
  return value
}

const updateItem = (value: unknown, path: string): UpdateItem => {
  const item = object(value, path)
  const id = item.escalationId
  if (id === undefined) throw new BodyIssue(`${path}.escalationId`, "Required")
  if (!isUuid(id)) throw new BodyIssue(`${path}.escalationId`, "escalationId must be a valid UUID")
  const rest = common(item, path)
  strict(item, ["escalationId", "note", "followUpDueAt", "assignedToEmail"], path)
  return { escalationId: id, ...rest }
}

const addItem = (value: unknown, path: string): AddItem => {
  const item = object(value, path)
  const type = item.type
  if (type === undefined) throw new BodyIssue(`${path}.type`, "Required")
  const known = ESCALATION_TYPES.find((t) => t === type)
  if (known === undefined) {
    const got = typeof type === "string" ? `'${type}'` : received(type)
    throw new BodyIssue(`${path}.type`, `Invalid enum value. Expected ${quoted(ESCALATION_TYPES)}, received ${got}`)
  }
  const title = item.title
  if (title === undefined) throw new BodyIssue(`${path}.title`, "Required")
  if (typeof title !== "string") throw new BodyIssue(`${path}.title`, `Expected string, received ${received(title)}`)
  // [I] "title must be a valid title for its type" [D]; the wording of this message is ours.
  if (!TITLES[known].includes(title)) throw new BodyIssue(`${path}.title`, `Invalid title for type ${known}`)
  const rest = common(item, path)
  strict(item, ["type", "title", "note", "followUpDueAt", "assignedToEmail"], path)
  return { type: known, title, ...rest }
}

const items = <T>(body: Record<string, unknown>, parse: (value: unknown, path: string) => T): Array<T> => {
  const list = body.escalations
  if (list === undefined) throw new BodyIssue("escalations", "Required")
  if (!Array.isArray(list)) throw new BodyIssue("escalations", `Expected array, received ${received(list)}`)
  if (list.length === 0) throw new BodyIssue("escalations", "At least one escalation is required")
  return list.map((value: unknown, i) => parse(value, `escalations.${i}`))
}

export const parseCaseAction = (body: unknown): CaseAction => {
  const input = object(body, "body")
  const action = input.action
  if (typeof action !== "string" || !ACTIONS.includes(action)) {
    throw new BodyIssue("action", `Invalid discriminator value. Expected ${quoted(ACTIONS)}`)
  }
  if (action === "UPDATE_ESCALATION" || action === "ADD_ESCALATION") {
    // [I] The top level is strict too: only `action` and `escalations`.
    const parsed: CaseAction =
      action === "UPDATE_ESCALATION"
        ? { action, items: items(input, updateItem) }
        : { action, items: items(input, addItem) }
    strict(input, ["action", "escalations"], "")
    return parsed
  }
  return { action: "NOT_EMULATED", name: action }
}
