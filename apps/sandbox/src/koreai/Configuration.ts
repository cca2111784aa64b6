// What a Kore.ai admin changes (`PATCH /_sandbox/organizations/:accountId`): statuses and priorities (de)activated,
// custom ones added or edited, system ones only (de)activated [D]; nothing is deleted, so every task still resolves.
import { ControlInputError } from "../framework/Control.ts"
import { isRecord } from "../framework/Http.ts"
import { type Account, NS, STATUS_CATEGORIES, type StatusCategory } from "./Model.ts"
import { prefixed } from "./Refs.ts"

type Item = Record<string, unknown>

const entries = (body: Item, key: string): Array<Item> => {
  const value = body[key] ?? []
  if (!Array.isArray(value) || !value.every(isRecord)) throw new ControlInputError(`${key} must be a list of objects`)
  return value
}

const flag = (item: Item, key: "isActive" | "isEnabled"): { [k: string]: boolean } => {
  const value = item[key]
  if (value === undefined) return {}
  if (typeof value !== "boolean") throw new ControlInputError(`${key} must be a boolean`)
  return { [key]: value }
}

const flags = (item: Item) => ({ ...flag(item, "isActive"), ...flag(item, "isEnabled") })

const text = (item: Item, key: string): string => {
  const value = item[key]
  if (typeof value !== "string" || value.trim() === "") throw new ControlInputError(`${key} must be a non-empty string`)
  return value
}

const naming = (item: Item) =>
  item.name === undefined ? {} : { name: text(item, "name"), lname: text(item, "name").toLowerCase() }

/** The entry an item with `_id` edits, refusing edits a system entry does not allow; undefined adds a new one. */
const target = <T extends { readonly _id: string; readonly type: string }>(
  all: ReadonlyArray<T>,
  item: Item,
  what: "status" | "priority",
  edits: ReadonlyArray<unknown>,
): T | undefined => {
  if (item._id === undefined) return undefined
  const found = all.find((entry) => entry._id === item._id)
  if (found === undefined) throw new ControlInputError(`no ${what} ${String(item._id)}`)
  if (found.type === "system" && edits.some((edit) => edit !== undefined)) {
    const plural = what === "status" ? "statuses" : "priorities"
    throw new ControlInputError(`system ${plural} cannot be edited, only deactivated`)
  }
  return found
}

const category = (item: Item): StatusCategory | undefined => {
  const value = item.statusCategory
  if (value === undefined) return undefined
  const known = STATUS_CATEGORIES.find((c) => c === value)
  if (known === undefined) throw new ControlInputError(`statusCategory must be one of: ${STATUS_CATEGORIES.join(", ")}`)
  return known
}

const configureStatus = (org: Account, item: Item, stamp: number) => {
  const statusCategory = category(item)
  const found = target(org.statuses, item, "status", [item.name, statusCategory])
  if (found !== undefined) {
    Object.assign(found, flags(item), naming(item), statusCategory === undefined ? {} : { statusCategory })
    return
  }
  const name = text(item, "name")
  org.statuses.push({
    _id: prefixed("sts", NS.status, stamp, org.index, org.statuses.length),
    name,
    lname: name.toLowerCase(),
    statusCategory: statusCategory ?? "open",
    type: "custom",
    desc: "",
    isEnabled: true,
    isActive: true,
    ...flags(item),
  })
}

const score = (item: Item): number | undefined => {
  const value = item.score
  if (value === undefined) return undefined
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 15) {
    throw new ControlInputError("score must be an integer from 1 to 15")
  }
  return value
}

const configurePriority = (org: Account, item: Item, stamp: number) => {
  const value = score(item)
  const color = typeof item.color === "string" ? { color: item.color } : {}
  const found = target(org.priorities, item, "priority", [item.name, value])
  if (found !== undefined) {
    Object.assign(found, flags(item), naming(item), color, value === undefined ? {} : { score: value })
    return
  }
  const name = text(item, "name")
  if (value === undefined) throw new ControlInputError("a new priority needs a score")
  org.priorities.push({
    _id: prefixed("pr", NS.priority, stamp, org.index, org.priorities.length),
    name,
    lname: name.toLowerCase(),
    type: "custom",
    desc: "",
    color: "#64748B",
    isEnabled: true,
    isActive: true,
    score: value,
    ...color,
    ...flags(item),
  })
}

/** `{statuses?: [...], priorities?: [...]}`; `stamp` (the sandbox time) keeps added ids apart across calls. */
export const configure = (org: Account, body: Item, stamp: number): void => {
  for (const item of entries(body, "statuses")) configureStatus(org, item, stamp)
  for (const item of entries(body, "priorities")) configurePriority(org, item, stamp)
  // The docs list priorities "sorted based on their assigned value".
  org.priorities.sort((a, b) => a.score - b.score)
}
