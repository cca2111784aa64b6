// Test helpers for the CareValidate emulator: one in-process emulator per file (port 0), a cv-api-key client
// that calls it over real HTTP with fetch, and fixtures (cases with active escalations, users) read from state.
import { afterAll, beforeEach } from "vitest"
import { startCareValidate } from "../src/carevalidate/Emulator.ts"
import type { Case } from "../src/carevalidate/Model.ts"
import type { CareValidateOptions } from "../src/carevalidate/State.ts"
import type { WireEscalation } from "../src/carevalidate/Wire.ts"

export type CareValidate = Awaited<ReturnType<typeof startCareValidate>>

/** Seeded history ends here, so date windows in tests are stable. */
export const ANCHOR = Date.UTC(2026, 0, 1)
export const DAY = 86_400_000

export const useCareValidate = (options: CareValidateOptions = {}) => {
  const ready = startCareValidate({ port: 0, seed: 11, size: 240, anchorMs: ANCHOR, ...options })
  beforeEach(async () => {
    ;(await ready).control.reset()
  })
  afterAll(async () => {
    await (await ready).close()
  })
  return () => ready
}

export interface Api {
  readonly get: (path: string) => Promise<Response>
  readonly post: (path: string, body: unknown) => Promise<Response>
}

export const apiKey = (cv: CareValidate, org = 0): string => {
  const key = cv.state().store.orgs[org]?.apiKey
  if (key === undefined) throw new Error(`no organization ${org}`)
  return key
}

/** A client sending `cv-api-key` (or no key when `key` is null) the way the vendor docs' examples do. */
export const api = (cv: CareValidate, key: string | null): Api => {
  const headers: Record<string, string> = key === null ? {} : { "cv-api-key": key }
  return {
    get: (path) => fetch(`${cv.url}${path}`, { headers }),
    post: (path, body) =>
      fetch(`${cv.url}${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  }
}

export const orgApi = (cv: CareValidate, org = 0): Api => api(cv, apiKey(cv, org))

/** An open case of `org` with at least `active` active and `completed` completed escalations. */
export const caseWith = (cv: CareValidate, org = 0, active = 1, completed = 0): Case => {
  const found = cv
    .state()
    .store.cases.find(
      (c) =>
        c.org === org &&
        !c.isArchived &&
        c.escalations.filter((e) => !e.isCompleted).length >= active &&
        c.escalations.filter((e) => e.isCompleted).length >= completed,
    )
  if (found === undefined) throw new Error("no such case in the seed")
  return found
}

export const activeIds = (c: Case): Array<string> => c.escalations.filter((e) => !e.isCompleted).map((e) => e.id)

export const agent = (cv: CareValidate, org = 0, n = 0) => {
  const user = cv.state().store.orgs[org]?.users.filter((u) => u.role === "CVTPA")[n]
  if (user === undefined) throw new Error("no agent")
  return user
}

export interface Envelope<D> {
  readonly status: number
  readonly success?: boolean
  readonly message?: string
  readonly error?: string
  readonly code?: string
  readonly data: D
}

export type EscalationsBody = Envelope<{ escalations: Array<WireEscalation> }>

export const body = async <T>(response: Response): Promise<T> => (await response.json()) as T
