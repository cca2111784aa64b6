// Kore.ai's `/_sandbox/` routes: the framework's organization routes (each account's stream, JWT apps with their
// client id and secret, statuses, priorities, queues and agents — what only the admin console shows; `PATCH` edits
// or adds statuses and priorities; `revoke-key` makes the apps' JWTs answer 401), plus reading one task (the API has
// no get-by-id) and editing it as an agent in the console would.
import { ControlInputError, controlBody } from "../framework/Control.ts"
import { isRecord, json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { organizationControlRoutes } from "../framework/OrganizationControl.ts"
import { parseTaskBody, resolve } from "./Bodies.ts"
import { KoreaiInputError } from "./Errors.ts"
import { type Account, NS, STATUS_CATEGORIES, type Task } from "./Model.ts"
import { prefixed } from "./Seed.ts"
import type { KoreaiState } from "./State.ts"
import type { KoreaiStore } from "./Store.ts"
import { taskWire } from "./Wire.ts"

export const organizationView = (store: KoreaiStore, org: Account) => {
  const tasks = store.tasksOf(org.index)
  return {
    organizationId: org.organizationId,
    accountId: org.accountId,
    name: org.name,
    orgId: org.orgId,
    streamId: org.streamId,
    apps: org.apps.map((app) => ({
      clientId: app.appId,
      clientSecret: app.secret,
      name: app.name,
      scopes: app.scopes,
    })),
    apiUser: org.apiUser,
    /** A user to request new tasks as (`userInfo: {_id}`): the apps' own user. */
    creatorUserId: org.apiUser._id,
    taskTemplates: org.templates,
    statuses: org.statuses,
    priorities: org.priorities,
    queues: org.queues,
    agents: org.agents,
    tasks: tasks.length,
    cases: store.casesOf(org.index).length,
    sampleTaskIds: tasks.slice(0, 5).map((t) => t._id),
    sampleCaseIds: store
      .casesOf(org.index)
      .slice(0, 5)
      .map((c) => c._id),
  }
}

const entries = (body: Record<string, unknown>, key: string): Array<Record<string, unknown>> => {
  const value = body[key] ?? []
  if (!Array.isArray(value) || !value.every(isRecord)) throw new ControlInputError(`${key} must be a list of objects`)
  return value
}

const flags = (item: Record<string, unknown>) => {
  const { isActive, isEnabled } = item
  if (
    (isActive !== undefined && typeof isActive !== "boolean") ||
    (isEnabled !== undefined && typeof isEnabled !== "boolean")
  ) {
    throw new ControlInputError("isActive and isEnabled must be booleans")
  }
  return { ...(isActive === undefined ? {} : { isActive }), ...(isEnabled === undefined ? {} : { isEnabled }) }
}

const text = (item: Record<string, unknown>, key: string): string => {
  const value = item[key]
  if (typeof value !== "string" || value.trim() === "") throw new ControlInputError(`${key} must be a non-empty string`)
  return value
}

/**
 * `{statuses?: [...], priorities?: [...]}`: an entry with an `_id` changes that one (`isActive`, `isEnabled`, and for
 * custom ones `name`, `statusCategory` / `score`, `color`); one without adds a custom status or priority. System
 * entries can only be (de)activated [D: configure-cases]. Nothing is deleted: tasks keep their references.
 */
const configure = (state: KoreaiState, org: Account, body: Record<string, unknown>) => {
  for (const item of entries(body, "statuses")) {
    const category = item.statusCategory
    if (category !== undefined && !STATUS_CATEGORIES.some((c) => c === category)) {
      throw new ControlInputError(`statusCategory must be one of: ${STATUS_CATEGORIES.join(", ")}`)
    }
    const found = item._id === undefined ? undefined : org.statuses.find((s) => s._id === item._id)
    if (item._id !== undefined && found === undefined) throw new ControlInputError(`no status ${String(item._id)}`)
    if (found?.type === "system" && (item.name !== undefined || category !== undefined)) {
      throw new ControlInputError("system statuses cannot be edited, only deactivated")
    }
    if (found === undefined) {
      const name = text(item, "name")
      org.statuses.push({
        _id: prefixed("sts", NS.status, state.store.now(), org.index, org.statuses.length),
        name,
        lname: name.toLowerCase(),
        statusCategory: (category as Account["statuses"][number]["statusCategory"] | undefined) ?? "open",
        type: "custom",
        desc: "",
        isEnabled: true,
        isActive: true,
        ...flags(item),
      })
      continue
    }
    Object.assign(found, flags(item))
    if (item.name !== undefined)
      Object.assign(found, { name: text(item, "name"), lname: text(item, "name").toLowerCase() })
    if (category !== undefined) found.statusCategory = category as typeof found.statusCategory
  }
  for (const item of entries(body, "priorities")) {
    const score = item.score
    if (score !== undefined && (typeof score !== "number" || !Number.isInteger(score) || score < 1 || score > 15)) {
      throw new ControlInputError("score must be an integer from 1 to 15")
    }
    const found = item._id === undefined ? undefined : org.priorities.find((p) => p._id === item._id)
    if (item._id !== undefined && found === undefined) throw new ControlInputError(`no priority ${String(item._id)}`)
    if (found?.type === "system" && (item.name !== undefined || score !== undefined)) {
      throw new ControlInputError("system priorities cannot be edited, only deactivated")
    }
    const color = typeof item.color === "string" ? item.color : undefined
    if (found === undefined) {
      const name = text(item, "name")
      if (score === undefined) throw new ControlInputError("a new priority needs a score")
      org.priorities.push({
        _id: prefixed("pr", NS.priority, state.store.now(), org.index, org.priorities.length),
        name,
        lname: name.toLowerCase(),
        type: "custom",
        desc: "",
        color: color ?? "#64748B",
        isEnabled: true,
        isActive: true,
        score: score as number,
        ...flags(item),
      })
      continue
    }
    Object.assign(found, flags(item), color === undefined ? {} : { color })
    if (item.name !== undefined)
      Object.assign(found, { name: text(item, "name"), lname: text(item, "name").toLowerCase() })
    if (score !== undefined) found.score = score as number
  }
  // The docs list priorities "sorted based on their assigned value".
  org.priorities.sort((a, b) => a.score - b.score)
}

const withTask =
  (then: (request: SandboxRequest, state: KoreaiState, task: Task) => SandboxResponse) =>
  (request: SandboxRequest, state: KoreaiState): SandboxResponse => {
    const task = state.store.task(request.params.taskId ?? "")
    if (task === undefined) return json(404, { error: `no task ${request.params.taskId}` })
    return then(request, state, task)
  }

/**
 * `POST /_sandbox/tasks/:taskId/edit {agentId?, ...updateTask fields}`: an agent edits the task in the console, by the
 * same rules as `updateTask` (an unknown or inactive status is refused); `updatedBy` is that agent (default: the
 * assignee, else the account's first agent).
 */
const edit = withTask((request, state, task) => {
  const org = state.store.orgs[task.org] as Account
  const { agentId, ...fields } = controlBody(request)
  const agent =
    agentId === undefined
      ? (org.agents.find((a) => a._id === task.currAssignee) ?? org.agents[0])
      : org.agents.find((a) => a._id === agentId)
  if (agent === undefined) throw new ControlInputError(`no agent ${String(agentId)} in this account`)
  try {
    const changed = state.store.update(task, resolve(org, parseTaskBody(fields)), agent)
    return json(200, { changed, task: taskWire(state.store, task) })
  } catch (error) {
    if (error instanceof KoreaiInputError) throw new ControlInputError(error.message)
    throw error
  }
})

export const koreaiControlRoutes: ReadonlyArray<Route<KoreaiState>> = [
  ...organizationControlRoutes<KoreaiState, Account>({
    organizations: (state) => state.store.organizations,
    view: (state, org) => organizationView(state.store, org),
    configure: (state, org, body) => configure(state, org, body),
  }),
  {
    method: "GET",
    pattern: "/_sandbox/tasks/:taskId",
    handler: withTask((_, state, task) => json(200, taskWire(state.store, task))),
  },
  { method: "POST", pattern: "/_sandbox/tasks/:taskId/edit", handler: edit },
]
