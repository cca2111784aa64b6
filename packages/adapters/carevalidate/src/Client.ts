// CareValidate's HTTP protocol for case escalations on the kit's HTTP core: the `cv-api-key` header on every call, no
// rate budget (none is documented; 429s still honour Retry-After) and typed errors. Nothing here retries.
// https://docs.careglp.com/docs/Case/case-escalation-update

import { apiKey } from "@taskbridge/adapter-kit/Auth"
import * as Http from "@taskbridge/adapter-kit/Http"
import { idAt, salvage } from "@taskbridge/adapter-kit/Salvage"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect } from "effect"
import { HttpClientRequest } from "effect/http"
import type { CareValidateConfig } from "./Config.ts"
import { fromEnvelope, message } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import {
  type AddEscalationRequest,
  CasePage,
  Escalation,
  EscalationSuccess,
  RawCaseDetail,
  type UpdateEscalationRequest,
} from "./Schema.ts"

export interface CaseWindow {
  readonly startTime: string
  readonly endTime: string
  readonly after: string | null
  readonly recordsPerPage: number
}

export const makeClient = Effect.fnUntraced(function* (config: CareValidateConfig, connectionId: ConnectionId) {
  const http = yield* Http.make({
    manifest,
    baseUrl: config.baseUrl,
    budgetScope: { connectionId },
    envelope: fromEnvelope,
    message,
    auth: () => Effect.succeed(apiKey("cv-api-key", config.apiKey)),
  })

  const action = (operation: string, caseId: string, payload: UpdateEscalationRequest | AddEscalationRequest) =>
    http
      .send(
        operation,
        HttpClientRequest.post(http.url(`/api/v1/cases/${encodeURIComponent(caseId)}`)).pipe(
          HttpClientRequest.bodyJsonUnsafe(payload),
        ),
        EscalationSuccess,
      )
      .pipe(Effect.map((answer) => answer.data.escalations))

  return {
    // https://docs-staging.careglp.com/docs/Case/get-cases-endpoint
    listCases: (window: CaseWindow) =>
      http
        .send(
          "list",
          HttpClientRequest.get(http.url("/api/v1/cases"), {
            urlParams: {
              startTime: window.startTime,
              endTime: window.endTime,
              recordsPerPage: String(window.recordsPerPage),
              ...(window.after === null ? {} : { after: window.after }),
            },
          }),
          CasePage,
        )
        .pipe(Effect.map((answer) => answer.data)),
    // https://docs-staging.careglp.com/docs/Case/customer-case-detail
    caseDetail: (caseId: string) =>
      http
        .send(
          "get",
          HttpClientRequest.get(http.url("/api/v1/customer-case-detail"), { urlParams: { caseId } }),
          RawCaseDetail,
        )
        .pipe(
          Effect.map(({ data }) => {
            const read = salvage(Escalation, idAt("id"), data.case.escalations)
            return { ...data.case, escalations: read.items, quarantined: read.quarantined }
          }),
        ),
    // https://docs.careglp.com/docs/Case/case-escalation-update
    updateEscalation: (caseId: string, payload: UpdateEscalationRequest) => action("update", caseId, payload),
    // https://docs.careglp.com/docs/Case/case-escalation-add — never retried here (no idempotency key).
    addEscalation: (caseId: string, payload: AddEscalationRequest) => action("create", caseId, payload),
  }
})

export type CareValidateClient = Effect.Success<ReturnType<typeof makeClient>>
