// Vambe's HTTP protocol for tasks on the kit's HTTP core: the `x-api-key` header on every call, no rate budget (none
// is documented; 429s still honour Retry-After), a bounded answer body (a listing has no paging, so Sync keeps each
// window small) and typed errors. Nothing here retries; a create is never resent from here.
// https://docs.vambe.me/reference/tasks/get-tasks

import { apiKey } from "@taskbridge/adapter-kit/Auth"
import * as Http from "@taskbridge/adapter-kit/Http"
import { idAt, salvage } from "@taskbridge/adapter-kit/Salvage"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect } from "effect"
import { HttpClientRequest } from "effect/http"
import type { VambeConfig } from "./Config.ts"
import { fromEnvelope, message } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import {
  type CreateTaskBody,
  DeleteTaskResponse,
  RawTaskList,
  Task,
  TeamMemberList,
  type UpdateTaskBody,
} from "./Schema.ts"

/** One listing call: a due-date window (inclusive days, `YYYY-MM-DD`) and whether tasks without a date come too. */
export interface ListWindow {
  readonly fromDate: string
  readonly toDate: string
  readonly includeTasksWithoutDates: boolean
}

export const makeClient = Effect.fnUntraced(function* (config: VambeConfig, connectionId: ConnectionId) {
  const http = yield* Http.make({
    manifest,
    baseUrl: config.baseUrl,
    budgetScope: { connectionId },
    envelope: fromEnvelope,
    message,
    maxBodyBytes: config.maxBodyBytes,
    auth: () => Effect.succeed(apiKey("x-api-key", config.apiKey)),
  })
  const task = (id: string) => http.url(`/api/public/tasks/${encodeURIComponent(id)}`)

  return {
    // https://docs.vambe.me/reference/tasks/get-tasks — `responsibleIds` is required; empty means every user. The
    // array encoding is undocumented, so the empty array is sent as the one empty value `responsibleIds=`.
    listTasks: (window: ListWindow) =>
      http
        .send(
          "list",
          HttpClientRequest.get(http.url("/api/public/tasks"), {
            urlParams: {
              responsibleIds: "",
              fromDate: window.fromDate,
              toDate: window.toDate,
              includeTasksWithoutDates: String(window.includeTasksWithoutDates),
            },
          }),
          RawTaskList,
        )
        .pipe(Effect.map((items) => salvage(Task, idAt("id"), items))),
    // https://docs.vambe.me/reference/tasks/create-task — never retried here (no idempotency key, §2.6).
    createTask: (body: CreateTaskBody) =>
      http.send(
        "create",
        HttpClientRequest.post(http.url("/api/public/tasks")).pipe(HttpClientRequest.bodyJsonUnsafe(body)),
        Task,
      ),
    // https://docs.vambe.me/reference/tasks/update-task — a partial PUT.
    updateTask: (id: string, body: UpdateTaskBody) =>
      http.send("update", HttpClientRequest.put(task(id)).pipe(HttpClientRequest.bodyJsonUnsafe(body)), Task),
    // https://docs.vambe.me/reference/tasks/delete-task — a soft delete.
    deleteTask: (id: string) => http.send("delete", HttpClientRequest.delete(task(id)), DeleteTaskResponse),
    // https://docs.vambe.me/reference/team-members/get-all-team-members
    teamMembers: () =>
      http.send("team", HttpClientRequest.get(http.url("/api/public/team-members/all")), TeamMemberList),
  }
})

export type VambeClient = Effect.Success<ReturnType<typeof makeClient>>
