// Spry's HTTP protocol for waitlist requests on the kit's HTTP core: bearer tokens from the form-encoded
// client-credentials endpoint (cached, refreshed five minutes before their hour is up, refreshed once more on a 401,
// one mint however many calls wait for it), no rate budget (none is documented) and typed errors from the
// `{code, message, data}` envelope — also on a 2xx, where a code other than 2000 is still an error. The patient id a
// create or a search sends in its query string is Redacted, so spans and errors never show it. Nothing here retries.
// https://api-docs.spryhealth.care/getting-started/authentication/

import { clientCredentials } from "@taskbridge/adapter-kit/Auth"
import * as Http from "@taskbridge/adapter-kit/Http"
import { idAt, salvage } from "@taskbridge/adapter-kit/Salvage"
import { InvalidResponse } from "@taskbridge/domain/Errors"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect, Redacted } from "effect"
import { HttpClientRequest } from "effect/http"
import { defaults, type SpryConfig } from "./Config.ts"
import type { WaitlistStatus } from "./internal/enums.ts"
import { credentialsRejected, errors, fromEnvelope, message, reasonOf } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import {
  type CreateWaitlistRequestBody,
  type ErrorEnvelope,
  isSuccess,
  RawWaitlistRequestListResponse,
  TokenResponse,
  type UpdateWaitlistRequestBody,
  WaitlistRequest,
  WaitlistRequestResponse,
} from "./Schema.ts"

export interface ListQuery {
  readonly page: number
  readonly pageSize: number
  readonly sortBy: "created_at" | "updated_at"
  readonly sortDir: "asc" | "desc"
  readonly status?: WaitlistStatus | undefined
  readonly clinicId?: string | undefined
  /** Patient data: sent, never shown. */
  readonly patientId?: Redacted.Redacted<string> | undefined
}

/** The data of a success envelope, or the error its code stands for. */
const unwrap =
  (operation: string) =>
  <A>(
    envelope: { readonly code: 2000; readonly data: A } | ErrorEnvelope,
  ): Effect.Effect<A, ReturnType<typeof errors.fail>> =>
    isSuccess(envelope)
      ? Effect.succeed(envelope.data)
      : Effect.fail(
          errors.fail(
            operation,
            reasonOf(200, envelope) ?? new InvalidResponse({ detail: `a 2xx answer carried code ${envelope.code}` }),
          ),
        )

const path = "/apis/v1/waitlist-requests"

export const makeClient = Effect.fnUntraced(function* (config: SpryConfig, connectionId: ConnectionId) {
  const http = yield* Http.make({
    manifest,
    baseUrl: config.baseUrl,
    budgetScope: { connectionId },
    envelope: fromEnvelope,
    message,
    // https://api-docs.spryhealth.care/getting-started/authentication/ — the client-credentials flow.
    auth: (raw) =>
      clientCredentials(
        Effect.gen(function* () {
          const request = HttpClientRequest.post(raw.url("/apis/v2/oauth/token")).pipe(
            HttpClientRequest.bodyUrlParams({
              grant_type: "client_credentials",
              client_id: config.clientId,
              client_secret: Redacted.value(config.clientSecret),
              scope: "read write",
            }),
          )
          const answer = yield* raw.sendRaw("token", request)
          if ([400, 401, 403].includes(answer.status)) return yield* credentialsRejected(answer.status)
          if (answer.status < 200 || answer.status >= 300) {
            return yield* Effect.flatMap(raw.failure("token", answer), Effect.fail)
          }
          const token = yield* raw.decode("token", TokenResponse, answer)
          return { token: Redacted.make(token.access_token), expiresInMillis: token.expires_in * 1000 }
        }),
        { refreshBeforeMillis: defaults.refreshBeforeMillis },
      ),
  })

  const one = (operation: string, request: HttpClientRequest.HttpClientRequest) =>
    http.send(operation, request, WaitlistRequestResponse).pipe(Effect.flatMap(unwrap(operation)))

  return {
    // https://api-docs.spryhealth.care/api/waitlist/list/
    list: (query: ListQuery) =>
      http
        .send(
          "list",
          HttpClientRequest.get(http.url(path), {
            urlParams: {
              page: String(query.page),
              page_size: String(query.pageSize),
              sort_by: query.sortBy,
              sort_dir: query.sortDir,
              ...(query.status === undefined ? {} : { status: query.status }),
              ...(query.clinicId === undefined ? {} : { clinic_id: query.clinicId }),
              ...(query.patientId === undefined ? {} : { patient_id: query.patientId }),
            },
          }),
          RawWaitlistRequestListResponse,
        )
        .pipe(
          Effect.flatMap(unwrap("list")),
          Effect.map((items) => salvage(WaitlistRequest, idAt("id"), items)),
        ),
    // https://api-docs.spryhealth.care/api/waitlist/get/
    get: (id: string, options: { readonly includeWaitlists: boolean } = { includeWaitlists: false }) =>
      one(
        "get",
        HttpClientRequest.get(http.url(`${path}/${encodeURIComponent(id)}`), {
          urlParams: options.includeWaitlists ? { include_waitlists: "true" } : {},
        }),
      ),
    // https://api-docs.spryhealth.care/api/waitlist/create/ — never retried here (no idempotency key).
    create: (patientId: Redacted.Redacted<string>, body: CreateWaitlistRequestBody) =>
      one(
        "create",
        HttpClientRequest.post(http.url(path), { urlParams: { patient_id: patientId } }).pipe(
          HttpClientRequest.bodyJsonUnsafe(body),
        ),
      ),
    // https://api-docs.spryhealth.care/api/waitlist/update/
    update: (id: string, body: UpdateWaitlistRequestBody) =>
      one(
        "update",
        HttpClientRequest.patch(http.url(`${path}/${encodeURIComponent(id)}`)).pipe(
          HttpClientRequest.bodyJsonUnsafe(body),
        ),
      ),
  }
})

export type SpryClient = Effect.Success<ReturnType<typeof makeClient>>
