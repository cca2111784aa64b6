// Kore.ai case-management routes (vendor-docs §3.3), all POST under `/caseManagement/api/public/analytics/{streamId}/`,
// behind the self-signed JWT and scoped to the app's account and its stream.
import { requireAuth } from "../framework/Auth.ts"
import { isRecord, json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { ownership } from "../framework/Organizations.ts"
import type { JwtPrincipal } from "../framework/SelfSignedJwtAuth.ts"
import { parseCreateTask, parseTaskBody, required, resolve } from "./Bodies.ts"
import * as E from "./Errors.ts"
import { listTasks, pageOf, parsePaging, parseTaskQuery } from "./List.ts"
import type { Account, App, Case, Task } from "./Model.ts"
import type { KoreaiState } from "./State.ts"
import { defaultPriority, initialStatus } from "./Store.ts"
import { caseWire, taskWire } from "./Wire.ts"

type Principal = JwtPrincipal<App>
type Handler = (request: SandboxRequest, state: KoreaiState, org: Account) => SandboxResponse

/** Every route: the JWT (401 in the vendor's words), then the path's stream, which must be the account's [I: 404]. */
const onStream = (handler: Handler) =>
  requireAuth<KoreaiState, Principal>({
    authenticator: (state) => state.auth,
    reject: (failure) => E.error(401, failure.message),
    recover: (error) => (error instanceof E.KoreaiInputError ? E.badRequest(error.message) : undefined),
  })((request, state, { org }) => {
    const account = state.store.orgs[org] as Account
    const streamId = request.params.streamId ?? ""
    if (streamId !== account.streamId) return E.error(404, `Stream ${streamId} not found`)
    // The agents' edits that fell due come first, so the request sees the account as of now.
    state.shift.catchUp(state)
    return handler(request, state, account)
  })

/** There is no cross-account access: another account's task is simply not found [I]. */
const ownTask = ownership<KoreaiState, Task>({
  find: (state, id) => state.store.task(id),
  ownerOf: (_, task) => task.org,
  missing: (id) => E.error(404, `Task ${id} not found`),
  foreign: (id) => E.error(404, `Task ${id} not found`),
})

const ownCase = ownership<KoreaiState, Case>({
  find: (state, id) => state.store.kase(id),
  ownerOf: (_, kase) => kase.org,
  missing: (id) => E.badRequest(`Invalid caseId: case ${id} not found`),
  foreign: (id) => E.badRequest(`Invalid caseId: case ${id} not found`),
})

// https://docs.kore.ai/ai-for-service/apis/case-management-apis/create-a-task
// [D] caseId, caseRefId, taskTmp, name, userInfo ({_id} or {name + emailId|phoneNumber}), source and desc are
// required; [I] a new task starts in the first usable "open" status at Medium unless the body names others.
const createTask: Handler = (request, state, org) => {
  const { caseId, caseRefId, taskTmp, body } = parseCreateTask(request.body, org)
  const owned = ownCase(state, org.index, caseId)
  if (!owned.ok) return owned.response
  if (owned.record.refId !== caseRefId) {
    throw new E.KoreaiInputError(`caseRefId ${caseRefId} does not match case ${caseId}`)
  }
  const change = resolve(org, body)
  const task = state.store.createTask(
    org,
    {
      kase: owned.record,
      name: change.name ?? "",
      desc: change.desc ?? "",
      statusId: change.statusId ?? initialStatus(org),
      priorityId: change.priorityId ?? defaultPriority(org),
      currAssignee: change.currAssignee ?? null,
      queues: change.queues ?? [],
      dueDate: change.dueDate ?? null,
      doc: { ...change.doc, taskTmp },
    },
    org.apiUser,
  )
  return json(200, taskWire(state.store, task))
}

// https://docs.kore.ai/ai-for-service/apis/case-management-apis/get-tasks
const getTasks: Handler = (request, state, org) => {
  const page = listTasks(state.store, org, parseTaskQuery(request.body))
  return json(200, { ...page, results: page.results.map((t) => taskWire(state.store, t)) })
}

// https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task (koreai-case-management-update-task.txt)
// [I] Order of checks: task (404) → body types (400) → references (400); nothing changes unless all pass.
const updateTask: Handler = (request, state, org) => {
  const owned = ownTask(state, org.index, request.params.taskId ?? "")
  if (!owned.ok) return owned.response
  const change = resolve(org, parseTaskBody(request.body ?? {}))
  state.store.update(owned.record, change, org.apiUser)
  return json(200, taskWire(state.store, owned.record))
}

// https://docs.kore.ai/ai-for-service/apis/case-management-apis/create-a-case
// [I] Only what tasks need of a case: a name (required), desc, userInfo and source.
const createCase: Handler = (request, state, org) => {
  const raw = request.body
  if (!isRecord(raw)) throw new E.KoreaiInputError("request body must be a JSON object")
  required(raw, ["name"])
  const { name, desc = "", userInfo = {}, source = "rtm" } = raw
  if (typeof name !== "string" || typeof desc !== "string" || typeof source !== "string" || !isRecord(userInfo)) {
    throw new E.KoreaiInputError("name, desc and source must be strings and userInfo an object")
  }
  const kase = state.store.createCase(org, { name, desc, userInfo, source })
  return json(200, caseWire(state.store, kase))
}

// https://docs.kore.ai/ai-for-service/apis/case-management-apis/get-cases — newest first [I], same paging as tasks.
const getCases: Handler = (request, state, org) => {
  const body = request.body === undefined ? {} : request.body
  if (!isRecord(body)) throw new E.KoreaiInputError("request body must be a JSON object")
  const cases = [...state.store.casesOf(org.index)].sort((a, b) => b.createdAt - a.createdAt)
  const page = pageOf(cases, parsePaging(body))
  return json(200, { ...page, results: page.results.map((c) => caseWire(state.store, c)) })
}

const PREFIX = "/caseManagement/api/public/analytics/:streamId"

export const koreaiRoutes: ReadonlyArray<Route<KoreaiState>> = [
  { method: "POST", pattern: `${PREFIX}/createTask`, handler: onStream(createTask) },
  { method: "POST", pattern: `${PREFIX}/getTasks`, handler: onStream(getTasks) },
  { method: "POST", pattern: `${PREFIX}/updateTask/:taskId`, handler: onStream(updateTask) },
  { method: "POST", pattern: `${PREFIX}/createCase`, handler: onStream(createCase) },
  { method: "POST", pattern: `${PREFIX}/getCases`, handler: onStream(getCases) },
]
