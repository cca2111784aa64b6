// Test helpers for the Vambe emulator: one in-process emulator per file (port 0), an x-api-key client that calls it
// over real HTTP with fetch, and fixtures (an organization's tasks, statuses, team) read from its state.
import { afterAll, beforeEach } from "vitest"
import { startVambe } from "../../src/vambe/Emulator.ts"
import type { Task } from "../../src/vambe/Model.ts"
import type { VambeOptions } from "../../src/vambe/State.ts"

export type Vambe = Awaited<ReturnType<typeof startVambe>>

/** Seeded dues sit around this day, so date windows in tests are stable. */
export const ANCHOR = Date.UTC(2026, 0, 15)
export const DAY = 86_400_000

export const useVambe = (options: VambeOptions = {}) => {
  const ready = startVambe({ port: 0, seed: 5, size: 300, anchorMs: ANCHOR, ...options })
  beforeEach(async () => {
    ;(await ready).control.reset()
  })
  afterAll(async () => {
    await (await ready).close()
  })
  return () => ready
}

export const org = (vambe: Vambe, index = 0) => {
  const found = vambe.state().store.orgs[index]
  if (found === undefined) throw new Error(`no organization ${index}`)
  return found
}

export interface Api {
  readonly call: (method: string, path: string, body?: unknown) => Promise<Response>
  readonly json: <T = unknown>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>
}

/** A client sending `x-api-key` (none when `key` is null), as the docs' examples do. */
export const api = (vambe: Vambe, key: string | null): Api => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${vambe.url}${path}`, {
      method,
      headers: {
        ...(key === null ? {} : { "x-api-key": key }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  return {
    call,
    json: async <T>(method: string, path: string, body?: unknown) => {
      const response = await call(method, path, body)
      return { status: response.status, body: (await response.json()) as T }
    },
  }
}

export const orgApi = (vambe: Vambe, index = 0): Api => api(vambe, org(vambe, index).apiKey)

export const everything = "/api/public/tasks?responsibleIds=&fromDate=0001-01-01&toDate=9999-12-31"

/** A live task of `index` with a due date and at least one responsible. */
export const datedTask = (vambe: Vambe, index = 0): Task => {
  const found = vambe
    .state()
    .store.tasksOf(index)
    .find((t) => t.dueAt !== null && t.responsibles.length > 0)
  if (found === undefined) throw new Error("no dated task")
  return found
}

export interface WireTask {
  readonly id: string
  readonly title: string
  readonly description: string | null
  readonly due_at: string | null
  readonly due_timezone: string | null
  readonly is_all_day: boolean
  readonly priority: number | string
  readonly task_responsibles: ReadonlyArray<{ responsible_id: string }>
  readonly status_config: { id: string; name: string; type: string; order: number; color: string } | null
  readonly creator_id: string
  readonly created_at: string
}
