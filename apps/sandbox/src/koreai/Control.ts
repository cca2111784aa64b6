// Kore.ai's `/_sandbox/` routes: the framework's organization routes (stream, JWT apps, configuration, revoke-key),
// one task read and edited as an agent (the API has no get-by-id), and the agents' pace over sandbox time.
import { ControlInputError, controlBody } from "../framework/Control.ts"
import { json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { organizationControlRoutes } from "../framework/OrganizationControl.ts"
import { parseTaskBody, resolve } from "./Bodies.ts"
import { configure } from "./Configuration.ts"
import { KoreaiInputError } from "./Errors.ts"
import type { Account, Task } from "./Model.ts"
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

const withTask =
  (then: (request: SandboxRequest, state: KoreaiState, task: Task) => SandboxResponse) =>
  (request: SandboxRequest, state: KoreaiState): SandboxResponse => {
    state.shift.catchUp(state)
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
    configure: (state, org, body) => configure(org, body, state.store.now()),
  }),
  {
    method: "GET",
    pattern: "/_sandbox/tasks/:taskId",
    handler: withTask((_, state, task) => json(200, taskWire(state.store, task))),
  },
  { method: "POST", pattern: "/_sandbox/tasks/:taskId/edit", handler: edit },
  { method: "GET", pattern: "/_sandbox/agents", handler: (_, state) => json(200, state.shift.status()) },
  // `{editsPerHour}`: the agents' pace over sandbox time from now on; 0 stops them.
  {
    method: "POST",
    pattern: "/_sandbox/agents",
    handler: (request, state) => {
      const { editsPerHour } = controlBody(request)
      if (typeof editsPerHour !== "number" || !Number.isFinite(editsPerHour) || editsPerHour < 0) {
        throw new ControlInputError("editsPerHour must be a number >= 0")
      }
      state.shift.catchUp(state)
      return json(200, state.shift.set(editsPerHour, state.store.now()))
    },
  },
]
