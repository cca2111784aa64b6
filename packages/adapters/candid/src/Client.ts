// Candid's HTTP protocol for Tasks V3 on the kit's HTTP core: bearer tokens from the client-credentials endpoint
// (cached, refreshed two minutes early, refreshed once more on a 401), the per-IP rate budget, and typed errors.
// https://docs.joincandidhealth.com/api-reference/auth/default/get-token

import { clientCredentials } from "@taskbridge/adapter-kit/Auth"
import * as Http from "@taskbridge/adapter-kit/Http"
import { idAt, salvage } from "@taskbridge/adapter-kit/Salvage"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect, Redacted } from "effect"
import { HttpClientRequest } from "effect/http"
import type { CandidConfig } from "./Config.ts"
import { credentialsRejected, fromEnvelope, message } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { RawTaskPage, Task, type TaskCreateV3, type TaskUpdateV3, TokenResponse } from "./Schema.ts"

/** The SDK refreshes two minutes before `expires_in` runs out (candid-node `OAuthAuthProvider.ts`); so do we. */
const refreshBeforeMillis = 2 * 60_000

export const makeClient = Effect.fnUntraced(function* (config: CandidConfig, connectionId: ConnectionId) {
  const http = yield* Http.make({
    manifest,
    baseUrl: config.baseUrl,
    budgetScope: { connectionId, egress: config.egress },
    envelope: fromEnvelope,
    message,
    // https://docs.joincandidhealth.com/api-reference/auth/default/get-token
    auth: (raw) =>
      clientCredentials(
        Effect.gen(function* () {
          const request = HttpClientRequest.post(raw.url("/api/auth/v2/token")).pipe(
            HttpClientRequest.bodyJsonUnsafe({
              client_id: config.clientId,
              client_secret: Redacted.value(config.clientSecret),
            }),
          )
          const answer = yield* raw.sendRaw("token", request)
          if ([400, 401, 403].includes(answer.status)) return yield* credentialsRejected(answer.status)
          if (answer.status < 200 || answer.status >= 300)
            return yield* Effect.flatMap(raw.failure("token", answer), Effect.fail)
          const token = yield* raw.decode("token", TokenResponse, answer)
          return { token: Redacted.make(token.access_token), expiresInMillis: token.expires_in * 1000 }
        }),
        { refreshBeforeMillis },
      ),
  })

  // https://docs.joincandidhealth.com/api-reference/tasks/v-3/get-multi
  /** One listing page with its items undecoded: the pull decodes only the ones it has not delivered yet. */
  const listRawTasks = (params: Readonly<Record<string, string>>) =>
    http.send("list", HttpClientRequest.get(http.url("/api/tasks/v3"), { urlParams: params }), RawTaskPage)
  /** Items decoded one by one, so one broken task is quarantined alone (`positions`: their places on the page). */
  const decodeTasks = (items: ReadonlyArray<unknown>, positions?: ReadonlyArray<number>) =>
    salvage(Task, idAt("task_id"), items, positions)

  return {
    listRawTasks,
    decodeTasks,
    listTasks: (params: Readonly<Record<string, string>>) =>
      Effect.map(listRawTasks(params), (page) => ({ ...page, ...decodeTasks(page.items) })),
    // https://docs.joincandidhealth.com/api-reference/tasks/v-3/get
    getTask: (id: string) =>
      http.send("get", HttpClientRequest.get(http.url(`/api/tasks/v3/${encodeURIComponent(id)}`)), Task),
    // https://docs.joincandidhealth.com/api-reference/tasks/v-3/create — never retried here (no idempotency key).
    createTask: (payload: TaskCreateV3) =>
      http.send(
        "create",
        HttpClientRequest.post(http.url("/api/tasks/v3")).pipe(HttpClientRequest.bodyJsonUnsafe(payload)),
        Task,
      ),
    // https://docs.joincandidhealth.com/api-reference/tasks/v-3/update
    updateTask: (id: string, payload: TaskUpdateV3) =>
      http.send(
        "update",
        HttpClientRequest.patch(http.url(`/api/tasks/v3/${encodeURIComponent(id)}`)).pipe(
          HttpClientRequest.bodyJsonUnsafe(payload),
        ),
        Task,
      ),
  }
})

export type CandidClient = Effect.Success<ReturnType<typeof makeClient>>
