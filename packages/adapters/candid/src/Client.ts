// Candid's HTTP protocol for Tasks V3: bearer token from the client-credentials endpoint (cached, refreshed two
// minutes early, refreshed once more on a 401), the shared per-IP rate budget, and typed errors for every failure.
// https://docs.joincandidhealth.com/api-reference/auth/default/get-token

import { readBody } from "@taskbridge/adapter-kit/HttpBody"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { makeTokenCache } from "@taskbridge/adapter-kit/TokenCache"
import type { SyncError } from "@taskbridge/domain/Errors"
import { Clock, Effect, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
import { type CandidConfig, defaults } from "./Config.ts"
import { credentialsRejected, fromAnswer, fromDecode, fromTransport } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { Task, type TaskCreateV3, TaskPage, type TaskUpdateV3, TokenResponse } from "./Schema.ts"

/** The SDK refreshes two minutes before `expires_in` runs out (candid-node `OAuthAuthProvider.ts`); so do we. */
const refreshBeforeMillis = 2 * 60_000
const requestTimeout = "60 seconds"

type Build = (token: Redacted.Redacted<string>) => HttpClientRequest.HttpClientRequest

export const makeClient = Effect.fnUntraced(function* (config: CandidConfig) {
  const http = yield* HttpClient.HttpClient
  const budget = manifest.rateBudget ?? { requests: 1000, perMillis: 10_000, scope: "ip" as const }
  const limiter = yield* (yield* RateBudgets).limiter(config.rateBudgetKey ?? defaults.rateBudgetKey, budget)
  const url = (path: string) => `${config.baseUrl.replace(/\/$/, "")}${path}`

  const execute = (operation: string, request: HttpClientRequest.HttpClientRequest) =>
    limiter.take.pipe(
      Effect.andThen(http.execute(request)),
      Effect.timeout(requestTimeout),
      Effect.mapError((e) => fromTransport(operation, e._tag === "TimeoutError" ? "timed out" : e.message)),
    )

  const body = (operation: string, response: HttpClientResponse.HttpClientResponse) =>
    readBody(response).pipe(Effect.mapError((e) => fromTransport(operation, e.message)))

  const decode = <A, I>(
    operation: string,
    schema: Schema.Codec<A, I>,
    response: HttpClientResponse.HttpClientResponse,
  ) =>
    Effect.gen(function* () {
      const json = yield* body(operation, response)
      if (response.status < 200 || response.status >= 300) {
        const nowMillis = yield* Clock.currentTimeMillis
        const retryAfter = response.headers["retry-after"]
        return yield* fromAnswer(operation, { status: response.status, body: json, retryAfter, nowMillis })
      }
      return yield* Schema.decodeUnknownEffect(schema)(json).pipe(
        Effect.mapError((e) => fromDecode(operation, e.message)),
      )
    })

  // https://docs.joincandidhealth.com/api-reference/auth/default/get-token
  const mint = Effect.gen(function* () {
    const request = HttpClientRequest.post(url("/api/auth/v2/token")).pipe(
      HttpClientRequest.bodyJsonUnsafe({
        client_id: config.clientId,
        client_secret: Redacted.value(config.clientSecret),
      }),
    )
    const response = yield* execute("token", request)
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      return yield* credentialsRejected(response.status)
    }
    const token = yield* decode("token", TokenResponse, response)
    return { token: Redacted.make(token.access_token), expiresInMillis: token.expires_in * 1000 }
  })
  const tokens = yield* makeTokenCache<SyncError>(mint, { refreshBeforeMillis })

  /** One authenticated call; a 401 drops the token and retries exactly once with a fresh one. */
  const send = <A, I>(operation: string, build: Build, schema: Schema.Codec<A, I>) =>
    Effect.gen(function* () {
      const attempt = Effect.gen(function* () {
        const token = yield* tokens.get
        const request = build(token).pipe(
          HttpClientRequest.bearerToken(Redacted.value(token)),
          HttpClientRequest.acceptJson,
        )
        return { token, response: yield* execute(operation, request) }
      })
      const first = yield* attempt
      if (first.response.status !== 401) return yield* decode(operation, schema, first.response)
      yield* tokens.invalidate(first.token)
      return yield* decode(operation, schema, (yield* attempt).response)
    })

  return {
    // https://docs.joincandidhealth.com/api-reference/tasks/v-3/get-multi
    listTasks: (params: Readonly<Record<string, string>>) =>
      send("list", () => HttpClientRequest.get(url("/api/tasks/v3"), { urlParams: params }), TaskPage),
    // https://docs.joincandidhealth.com/api-reference/tasks/v-3/get
    getTask: (id: string) =>
      send("get", () => HttpClientRequest.get(url(`/api/tasks/v3/${encodeURIComponent(id)}`)), Task),
    // https://docs.joincandidhealth.com/api-reference/tasks/v-3/create — never retried here (no idempotency key).
    createTask: (payload: TaskCreateV3) =>
      send(
        "create",
        () => HttpClientRequest.post(url("/api/tasks/v3")).pipe(HttpClientRequest.bodyJsonUnsafe(payload)),
        Task,
      ),
    // https://docs.joincandidhealth.com/api-reference/tasks/v-3/update
    updateTask: (id: string, payload: TaskUpdateV3) =>
      send(
        "update",
        () =>
          HttpClientRequest.patch(url(`/api/tasks/v3/${encodeURIComponent(id)}`)).pipe(
            HttpClientRequest.bodyJsonUnsafe(payload),
          ),
        Task,
      ),
  }
})

export type CandidClient = Effect.Success<ReturnType<typeof makeClient>>
