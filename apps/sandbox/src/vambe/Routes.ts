// Vambe public API routes (vendor-docs §2.3, §2.7): tasks (list, create, partial PUT, soft DELETE), team members
// and webhook registration, each behind `x-api-key` and scoped to the key's organization.
import type { ApiKeyPrincipal } from "../framework/ApiKeyAuth.ts"
import { requireAuth } from "../framework/Auth.ts"
import { isRecord, json, type Route } from "../framework/Http.ts"
import { isUuid } from "../framework/Ids.ts"
import { ownership } from "../framework/Organizations.ts"
import { WebhookInputError } from "../framework/WebhookSubscriptions.ts"
import { parseCreate, parseUpdate, type StatusRef } from "./Bodies.ts"
import { resolveDue } from "./DueFields.ts"
import * as E from "./Errors.ts"
import { listTasks, parseListQuery } from "./List.ts"
import type { Organization, StatusConfig, Task } from "./Model.ts"
import type { VambeState } from "./State.ts"
import type { TaskChange } from "./Store.ts"
import { TOPICS } from "./WebhookEvents.ts"
import { taskWire } from "./Wire.ts"

const authed = requireAuth<VambeState, ApiKeyPrincipal<Organization>>({
  authenticator: (state) => state.auth,
  // [I] Missing and wrong keys look alike (the docs give one 401 row).
  reject: () => E.unauthorized(),
  recover: (error) => {
    if (error instanceof E.VambeInputError) return E.error(error.status, error.message)
    if (error instanceof WebhookInputError) return E.badRequest(error.message)
    return undefined
  },
})

/** [D] "Task must exist and belong to your organization": another organization's task is not found either. */
const ownTask = ownership<VambeState, Task>({
  find: (state, id) => state.store.task(id),
  ownerOf: (_, task) => task.org,
  missing: () => E.notFoundOrInvalidReferences("no such task"),
  foreign: () => E.notFoundOrInvalidReferences("no such task"),
})

const taskId = (id: string | undefined) => {
  if (id === undefined || !isUuid(id)) throw new E.VambeInputError("Invalid task ID: it must be a UUID")
  return id
}

const statusFor = (org: Organization, ref: StatusRef): StatusConfig => {
  const found =
    "name" in ref ? org.statuses.find((s) => s.name === ref.name) : org.statuses.find((s) => s.order === ref.position)
  if (found === undefined) {
    const what = "name" in ref ? `status name '${ref.name}'` : `status position ${ref.position}`
    throw new E.VambeInputError(`Task not found or invalid references: no ${what} in this organization`, 404)
  }
  return found
}

/** [D] "Must be valid user IDs from your organization"; an unknown one is an invalid reference (404). */
const members = (org: Organization, ids: ReadonlyArray<string>) => {
  const unknown = ids.find((id) => !org.members.some((m) => m.id === id))
  if (unknown !== undefined) {
    throw new E.VambeInputError(`Task not found or invalid references: ${unknown} is not a team member`, 404)
  }
  return [...new Set(ids)]
}

// https://docs.vambe.me/reference/tasks/get-tasks
const list = authed((request, state, { org }) => {
  const tasks = listTasks(state.store, org, parseListQuery(request.query))
  const shown = state.listingLimit === null ? tasks : tasks.slice(0, state.listingLimit)
  return json(
    200,
    shown.map((t) => taskWire(state.store, t, state.priorityForm)),
  )
})

// https://docs.vambe.me/reference/tasks/create-task
// [I] 201 with the task; the creator is the organization's first team member (whose key the API uses).
const create = authed((request, state, { organization }) => {
  const body = parseCreate(request.body)
  const responsibles = members(organization, body.responsibleIds)
  const task = state.store.create(organization, {
    ...body,
    responsibles,
    creatorId: organization.members[0]?.id ?? "",
  })
  return json(201, taskWire(state.store, task))
})

// https://docs.vambe.me/reference/tasks/update-task
// [I] Order of checks: id (400) → body (400) → task (404) → references (404); nothing changes unless all pass.
const update = authed((request, state, { org, organization }) => {
  const id = taskId(request.params.id)
  const body = parseUpdate(request.body)
  const owned = ownTask(state, org, id)
  if (!owned.ok) return owned.response
  const task = owned.record
  const due = resolveDue(task, body.due)
  const change: TaskChange = {
    ...(body.title === undefined ? {} : { title: body.title }),
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.status === undefined ? {} : { statusId: statusFor(organization, body.status).id }),
    ...(due === undefined ? {} : { due }),
    ...(body.responsibleIds === undefined ? {} : { responsibles: members(organization, body.responsibleIds) }),
    ...(body.aiContactId === undefined ? {} : { aiContactId: body.aiContactId }),
    ...(body.aiCustomerId === undefined ? {} : { aiCustomerId: body.aiCustomerId }),
    ...(body.priority === undefined ? {} : { priority: body.priority }),
  }
  state.store.update(task, change)
  return json(200, taskWire(state.store, task))
})

// https://docs.vambe.me/reference/tasks/delete-task — a soft delete; afterwards the task is "not found".
const remove = authed((request, state, { org }) => {
  const id = taskId(request.params.id)
  const task = state.store.task(id)
  if (task === undefined || task.org !== org) return E.notFoundOrDeleted()
  state.store.remove(task)
  return json(200, { status: "success" })
})

// https://docs.vambe.me/reference/team-members/get-all-team-members
const team = authed((_, __, { organization }) => json(200, organization.members))

// ---------------------------------------------------------------------------------------------------------------
// Webhooks: https://docs.vambe.me/docs/webhooks (registration by API, one topic per webhook).

const webhookView = (state: VambeState, id: string) => {
  const s = state.webhooks.subscriptions.get(id)
  return s === undefined
    ? undefined
    : { id: s.id, topic: s.events?.[0] ?? null, url: s.url, active: s.active, created_at: s.createdAt }
}

const ownWebhook = (state: VambeState, organization: Organization, id: string | undefined) => {
  const s = state.webhooks.subscriptions.get(id ?? "")
  return s !== undefined && s.organizationId === organization.organizationId ? s : undefined
}

const registerWebhook = authed((request, state, { organization }) => {
  const body = request.body
  if (!isRecord(body)) throw new E.VambeInputError("the request body must be a JSON object")
  const { topic, url, secret } = body
  if (typeof topic !== "string" || !TOPICS.includes(topic)) {
    throw new E.VambeInputError(`topic must be one of: ${TOPICS.join(", ")}`)
  }
  if (typeof url !== "string") throw new E.VambeInputError("url must be an http(s) URL")
  if (typeof secret !== "string" || secret === "") throw new E.VambeInputError("secret must be a non-empty string")
  const made = state.webhooks.subscriptions.register({
    url,
    secret,
    organizationId: organization.organizationId,
    events: [topic],
  })
  return json(201, webhookView(state, made.id))
})

const webhookRoute = (active: boolean | undefined) =>
  authed((request, state, { organization }) => {
    const s = ownWebhook(state, organization, request.params.id)
    if (s === undefined) return E.error(404, "Webhook not found")
    if (active !== undefined) state.webhooks.subscriptions.update(s.id, { active })
    return json(200, webhookView(state, s.id))
  })

export const vambeRoutes: ReadonlyArray<Route<VambeState>> = [
  { method: "GET", pattern: "/api/public/tasks", handler: list },
  { method: "POST", pattern: "/api/public/tasks", handler: create },
  { method: "PUT", pattern: "/api/public/tasks/:id", handler: update },
  { method: "DELETE", pattern: "/api/public/tasks/:id", handler: remove },
  { method: "GET", pattern: "/api/public/team-members/all", handler: team },
  { method: "GET", pattern: "/api/webhooks/topics", handler: authed(() => json(200, { topics: TOPICS })) },
  {
    method: "GET",
    pattern: "/api/webhooks",
    handler: authed((_, state, { organization }) =>
      json(
        200,
        state.webhooks.subscriptions
          .list(organization.organizationId)
          .map((s) => webhookView(state, s.id))
          .filter((v) => v !== undefined),
      ),
    ),
  },
  { method: "POST", pattern: "/api/webhooks", handler: registerWebhook },
  { method: "GET", pattern: "/api/webhooks/:id", handler: webhookRoute(undefined) },
  // [D] DELETE is a soft delete that `restore` undoes: the subscription is kept, inactive.
  { method: "DELETE", pattern: "/api/webhooks/:id", handler: webhookRoute(false) },
  { method: "POST", pattern: "/api/webhooks/:id/restore", handler: webhookRoute(true) },
]
