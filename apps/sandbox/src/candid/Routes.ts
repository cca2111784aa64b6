// Candid's vendor routes: the v2 token endpoint and the five Tasks V3 endpoints, with the documented
// status codes and error envelopes. Each handler names the doc page it implements.
import { requireAuth } from "../framework/Auth.ts"
import { json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import type { OAuthClient, TokenPrincipal } from "../framework/OAuthTokens.ts"
import { ownership } from "../framework/Organizations.ts"
import { BodyError, parseCreate, parseUpdate } from "./Bodies.ts"
import { TASK_STATUSES, TASK_TYPES } from "./Enums.ts"
import * as E from "./Errors.ts"
import { listTasks } from "./List.ts"
import { parseListQuery, QueryError } from "./Query.ts"
import type { CandidState } from "./State.ts"
import { toWire } from "./Wire.ts"

/**
 * Every task call needs a live bearer token; expired or unknown tokens get 401 [D: auth docs]. Query and body
 * violations are 422 UnprocessableEntityError [I].
 */
const authed = requireAuth<CandidState, TokenPrincipal<OAuthClient>>({
  authenticator: (state) => state.tokens,
  reject: (failure) => E.unauthenticated(failure.message),
  recover: (error) =>
    error instanceof QueryError || error instanceof BodyError ? E.unprocessable(error.message) : undefined,
})

/** Task rows and encounter rows the caller's organization owns: 404 when missing, 403 for another's [D]. */
const ownTask = ownership<CandidState, number>({
  find: (state, id) => state.store.taskIndex(id),
  ownerOf: (state, i) => state.store.tasks.cols.org[i] ?? -1,
  missing: E.entityNotFound,
  foreign: () => E.forbidden("You are not authorized to access this task"),
})

// [I] No errors are declared for create; an unknown encounter answers like other missing entities.
const ownEncounter = ownership<CandidState, number>({
  find: (state, id) => state.store.encounterIndex(id),
  ownerOf: (state, e) => state.store.encounters.cols.org[e] ?? -1,
  missing: E.entityNotFound,
  foreign: () => E.forbidden("You are not authorized to access this encounter"),
})

// https://docs.joincandidhealth.com/api-reference/auth/v-2/get-token
const token = (request: SandboxRequest, state: CandidState): SandboxResponse => {
  const result = state.tokens.mint(request.body)
  if (result.ok) {
    const { accessToken, expiresIn, tokenType } = result.issued
    return json(200, { access_token: accessToken, expires_in: expiresIn, token_type: tokenType })
  }
  if (result.reason === "rate_limited") {
    return E.tooManyRequests(result.message, Math.ceil((result.retryAfterMs ?? 1000) / 1000))
  }
  if (result.reason === "invalid_client") return E.unauthenticated(result.message)
  return E.unprocessable(result.message)
}

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get-multi
const list = authed((request, state, { org }) =>
  json(200, listTasks(state.store, org, parseListQuery(request.query), state.updatedSinceField)),
)

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get
const get = authed((request, state, { org }) => {
  const task = ownTask(state, org, request.params.task_id ?? "")
  return task.ok ? json(200, toWire(state.store, task.record)) : task.response
})

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/create
const create = authed((request, state, { org }) => {
  const body = parseCreate(request.body)
  const encounter = ownEncounter(state, org, body.encounterId)
  if (!encounter.ok) return encounter.response
  const i = state.store.create({
    org,
    encounter: encounter.record,
    type: body.type,
    category: body.category,
    blocks: body.blocks,
    assignee: body.assignee,
    fields: { description: body.description, workQueueId: body.workQueueId },
  })
  // [I] Candid answers creates with 200 and the new Task (no 201 is documented).
  return json(200, toWire(state.store, i))
})

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/update
const update = authed((request, state, { org }) => {
  const change = parseUpdate(request.body)
  const task = ownTask(state, org, request.params.task_id ?? "")
  if (!task.ok) return task.response
  const i = task.record
  const status = change.status === undefined ? undefined : TASK_STATUSES[change.status]
  // Reading a task in a deprecated status stays valid; only writing one is refused [D: 422 on update].
  if (status !== undefined && state.store.orgs[org]?.deprecated.has(status)) return E.deprecatedStatus(status)
  state.store.update(i, change)
  return json(200, toWire(state.store, i))
})

/** [I] Types whose failure can be retried after the fix, so Candid offers "close and reprocess". */
const REPROCESSABLE = new Set([
  "CLAIM_SUBMISSION_RUN_VALIDATIONS_FAILURE",
  "CLAIM_SUBMISSION_SUBMIT_CLAIM_FAILURE",
  "CLAIM_SUBMISSION_TRANSFORM_FAILURE",
  "CODE_CLAIM_REVIEW",
])

// https://docs.joincandidhealth.com/api-reference/tasks/v-3/get-actions
const actions = authed((request, state, { org }) => {
  const task = ownTask(state, org, request.params.task_id ?? "")
  if (!task.ok) return task.response
  const i = task.record
  const c = state.store.tasks.cols
  // [I] Actions are UI hints for closing; a finished task has none left.
  if (TASK_STATUSES[c.status[i] ?? 0] === "finished") return json(200, { actions: [] })
  const close = { display_name: "Close task", execution_method: { type: "close_task" }, type: "close_task" }
  const reprocess = {
    display_name: "Close task and reprocess claim",
    execution_method: { type: "close_task" },
    type: "close_task_and_reprocess",
  }
  const type = TASK_TYPES[c.type[i] ?? 0] ?? ""
  return json(200, { actions: REPROCESSABLE.has(type) ? [close, reprocess] : [close] })
})

export const candidRoutes: ReadonlyArray<Route<CandidState>> = [
  { method: "POST", pattern: "/api/auth/v2/token", handler: token },
  { method: "GET", pattern: "/api/tasks/v3", handler: list },
  { method: "POST", pattern: "/api/tasks/v3", handler: create },
  { method: "GET", pattern: "/api/tasks/v3/:task_id", handler: get },
  { method: "PATCH", pattern: "/api/tasks/v3/:task_id", handler: update },
  { method: "GET", pattern: "/api/tasks/v3/:task_id/actions", handler: actions },
]
