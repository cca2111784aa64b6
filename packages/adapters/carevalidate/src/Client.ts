// CareValidate's HTTP protocol for case escalations: the `cv-api-key` header on every call, a timeout, no rate
// budget (none is documented) and typed errors for every failure. Nothing here retries; callers decide.
// https://docs.careglp.com/docs/Case/case-escalation-update

import { readBody } from "@taskbridge/adapter-kit/HttpBody"
import { Clock, Effect, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
import type { CareValidateConfig } from "./Config.ts"
import { fromAnswer, fromDecode, fromTransport } from "./internal/errors.ts"
import {
  type AddEscalationRequest,
  CaseDetail,
  CasePage,
  EscalationSuccess,
  type UpdateEscalationRequest,
} from "./Schema.ts"

const requestTimeout = "60 seconds"

export interface CaseWindow {
  readonly startTime: string
  readonly endTime: string
  readonly after: string | null
  readonly recordsPerPage: number
}

export const makeClient = Effect.fnUntraced(function* (config: CareValidateConfig) {
  const http = yield* HttpClient.HttpClient
  const url = (path: string) => `${config.baseUrl.replace(/\/$/, "")}${path}`

  const body = (operation: string, response: HttpClientResponse.HttpClientResponse) =>
    readBody(response).pipe(Effect.mapError((e) => fromTransport(operation, e.message)))

  /** One call with the organization's key; the key is set here only and never appears in an error. */
  const send = <A, I>(operation: string, request: HttpClientRequest.HttpClientRequest, schema: Schema.Codec<A, I>) =>
    Effect.gen(function* () {
      const signed = request.pipe(
        HttpClientRequest.setHeader("cv-api-key", Redacted.value(config.apiKey)),
        HttpClientRequest.acceptJson,
      )
      const response = yield* http.execute(signed).pipe(
        Effect.timeout(requestTimeout),
        Effect.mapError((e) => fromTransport(operation, e._tag === "TimeoutError" ? "timed out" : e.message)),
      )
      const json = yield* body(operation, response)
      if (response.status < 200 || response.status >= 300) {
        const nowMillis = yield* Clock.currentTimeMillis
        const retryAfter = response.headers["retry-after"]
        return yield* Effect.fail(fromAnswer(operation, { status: response.status, body: json, retryAfter, nowMillis }))
      }
      return yield* Schema.decodeUnknownEffect(schema)(json).pipe(
        Effect.mapError((e) => fromDecode(operation, e.message)),
      )
    })

  const action = (operation: string, caseId: string, payload: UpdateEscalationRequest | AddEscalationRequest) =>
    send(
      operation,
      HttpClientRequest.post(url(`/api/v1/cases/${encodeURIComponent(caseId)}`)).pipe(
        HttpClientRequest.bodyJsonUnsafe(payload),
      ),
      EscalationSuccess,
    ).pipe(Effect.map((answer) => answer.data.escalations))

  return {
    // https://docs-staging.careglp.com/docs/Case/get-cases-endpoint
    listCases: (window: CaseWindow) =>
      send(
        "list",
        HttpClientRequest.get(url("/api/v1/cases"), {
          urlParams: {
            startTime: window.startTime,
            endTime: window.endTime,
            recordsPerPage: String(window.recordsPerPage),
            ...(window.after === null ? {} : { after: window.after }),
          },
        }),
        CasePage,
      ).pipe(Effect.map((answer) => answer.data)),
    // https://docs-staging.careglp.com/docs/Case/customer-case-detail
    caseDetail: (caseId: string) =>
      send(
        "get",
        HttpClientRequest.get(url("/api/v1/customer-case-detail"), { urlParams: { caseId } }),
        CaseDetail,
      ).pipe(Effect.map((answer) => answer.data.case)),
    // https://docs.careglp.com/docs/Case/case-escalation-update
    updateEscalation: (caseId: string, payload: UpdateEscalationRequest) => action("update", caseId, payload),
    // https://docs.careglp.com/docs/Case/case-escalation-add — never retried here (no idempotency key).
    addEscalation: (caseId: string, payload: AddEscalationRequest) => action("create", caseId, payload),
  }
})

export type CareValidateClient = Effect.Success<ReturnType<typeof makeClient>>
