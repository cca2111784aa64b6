// Kore.ai's HTTP protocol for case-management tasks on the kit's HTTP core: a JWT minted for every request (HS256,
// claim `appId`, signed with the app's client secret, a short `exp` and a fresh `jti` so an app that enforces JTI
// accepts it) in the non-standard `auth` header with `AccountId` beside it; every call a POST under the stream's
// path; every call spends the account's one shared budget (60 a minute across all case-management APIs). Nothing
// here retries; a create is never resent from here.
// https://docs.kore.ai/ai-for-service/apis/automation/api-introduction

import { randomUUID } from "node:crypto"
import { type Authenticator, signJwt } from "@taskbridge/adapter-kit/Auth"
import * as Http from "@taskbridge/adapter-kit/Http"
import { idAt, salvage } from "@taskbridge/adapter-kit/Salvage"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { Clock, Effect } from "effect"
import { HttpClientRequest } from "effect/http"
import { defaults, type KoreaiConfig } from "./Config.ts"
import { fromEnvelope, message } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { type CreateTaskBody, type GetTasksRequest, RawGetTasksResponse, Task, type UpdateTaskBody } from "./Schema.ts"

/** The claims of one request's token; `sub` names the integration, as the docs' example carries one. */
export const claimsOf = (config: Pick<KoreaiConfig, "clientId">) => ({
  sub: "taskbridge",
  appId: config.clientId,
  jti: randomUUID(),
})

/** A token per request: nothing is cached, so there is nothing to refresh and a 401 is final. */
export const jwtAuth = (config: KoreaiConfig): Authenticator => ({
  kind: "self-signed-jwt",
  sign: (request) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const token = signJwt(
        claimsOf(config),
        config.clientSecret,
        now,
        config.tokenTtlSeconds ?? defaults.tokenTtlSeconds,
      )
      return {
        request: HttpClientRequest.setHeaders(request, { auth: token, AccountId: config.accountId }),
        credential: null,
      }
    }),
  rejected: () => Effect.succeed(false),
})

export const makeClient = Effect.fnUntraced(function* (config: KoreaiConfig, connectionId: ConnectionId) {
  const budget = config.rateBudget
  const http = yield* Http.make({
    // A tenant-specific window keeps the manifest's scope: still the account's one budget.
    manifest: budget === undefined ? manifest : { ...manifest, rateBudget: { ...budget, scope: "account" } },
    baseUrl: config.baseUrl,
    budgetScope: { connectionId, account: config.accountId },
    envelope: fromEnvelope,
    message,
    auth: () => Effect.succeed(jwtAuth(config)),
  })
  const path = (operation: string) =>
    http.url(`/caseManagement/api/public/analytics/${encodeURIComponent(config.streamId)}/${operation}`)
  const post = (url: string, body: unknown) => HttpClientRequest.post(url).pipe(HttpClientRequest.bodyJsonUnsafe(body))

  return {
    // https://docs.kore.ai/ai-for-service/apis/case-management-apis/get-tasks
    getTasks: (body: GetTasksRequest) =>
      Effect.map(http.send("list", post(path("getTasks"), body), RawGetTasksResponse), (page) => {
        const read = salvage(Task, idAt("_id"), page.results)
        return { ...page, results: read.items, quarantined: read.quarantined, count: read.count }
      }),
    // https://docs.kore.ai/ai-for-service/apis/case-management-apis/create-a-task — never retried here.
    createTask: (body: CreateTaskBody) => http.send("create", post(path("createTask"), body), Task),
    // https://docs.kore.ai/ai-for-service/apis/case-management-apis/update-a-task — merges the fields sent.
    updateTask: (id: string, body: UpdateTaskBody) =>
      http.send("update", post(path(`updateTask/${encodeURIComponent(id)}`), body), Task),
  }
})

export type KoreaiClient = Effect.Success<ReturnType<typeof makeClient>>
