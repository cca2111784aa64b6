// Kore.ai test helpers: one in-process emulator per file, a client signing its own HS256 JWT (appId, client secret)
// sent in `auth` with `AccountId` as the docs describe, and the wire shapes the tests read.
import { afterAll, beforeEach } from "vitest"
import { signJwt } from "../../src/framework/Jwt.ts"
import { startKoreai } from "../../src/koreai/Emulator.ts"
import type { Account } from "../../src/koreai/Model.ts"
import type { KoreaiOptions } from "../../src/koreai/State.ts"

export type Koreai = Awaited<ReturnType<typeof startKoreai>>

export const ANCHOR = Date.UTC(2026, 2, 1)
export const DAY = 86_400_000

/** Rate limit off unless a file asks for it: most files send more than 60 requests a minute. */
export const useKoreai = (options: KoreaiOptions = {}) => {
  const ready = startKoreai({ port: 0, seed: 3, size: 120, anchorMs: ANCHOR, rateLimit: false, ...options })
  beforeEach(async () => {
    ;(await ready).control.reset()
  })
  afterAll(async () => {
    await (await ready).close()
  })
  return () => ready
}

export const account = (koreai: Koreai, index = 0): Account => {
  const found = koreai.state().store.orgs[index]
  if (found === undefined) throw new Error(`no account ${index}`)
  return found
}

export interface Credentials {
  /** The token to send; null sends no `auth` header. */
  readonly token: string | null
  /** null sends no `AccountId` header. */
  readonly accountId: string | null
  readonly streamId: string
}

/** A token the app signs itself, as the docs' example: `{sub, appId}`, HS256, the client secret as key. */
export const tokenFor = (org: Account, claims: Record<string, unknown> = {}, app = 0): string => {
  const chosen = org.apps[app]
  if (chosen === undefined) throw new Error(`no app ${app}`)
  return signJwt({ sub: "taskbridge", appId: chosen.appId, ...claims }, chosen.secret)
}

export const credentialsOf = (koreai: Koreai, index = 0): Credentials => {
  const org = account(koreai, index)
  return { token: tokenFor(org), accountId: org.accountId, streamId: org.streamId }
}

export interface Answer<T> {
  readonly status: number
  readonly headers: Headers
  readonly body: T
}

export interface Api {
  readonly post: <T = unknown>(operation: string, body?: unknown) => Promise<Answer<T>>
}

/** Parsed JSON, or the raw text when a corruption fault broke it (the test then looks at the text). */
const readBody = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const api = (koreai: Koreai, credentials: Credentials): Api => ({
  post: async <T>(operation: string, body?: unknown) => {
    const response = await fetch(
      `${koreai.url}/caseManagement/api/public/analytics/${credentials.streamId}/${operation}`,
      {
        method: "POST",
        headers: {
          "content-type": "application/json;charset=UTF-8",
          ...(credentials.token === null ? {} : { auth: credentials.token }),
          ...(credentials.accountId === null ? {} : { AccountId: credentials.accountId }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    )
    return { status: response.status, headers: response.headers, body: readBody(await response.text()) as T }
  },
})

export const accountApi = (koreai: Koreai, index = 0): Api => api(koreai, credentialsOf(koreai, index))

export interface WireStatus {
  readonly _id: string
  readonly name: string
  readonly statusCategory: string
  readonly isActive: boolean
  readonly isEnabled: boolean
}

export interface WireTask {
  readonly _id: string
  readonly caseId: string
  readonly caseRefId: string
  readonly refId: string
  readonly name: string
  readonly lname: string
  readonly desc: string
  readonly status: WireStatus
  readonly priority: WireStatus & { readonly score: number; readonly type: string }
  readonly currAssignee: { readonly _id?: string }
  readonly assigneeType: string
  readonly queues: ReadonlyArray<{ readonly _id: string }>
  readonly dueDate: number | null
  readonly tags: ReadonlyArray<string>
  readonly updatedBy: { readonly _id: string; readonly name: string }
  readonly timestampValue: number
  readonly createdAt: string
  readonly updatedAt: string
  readonly accountId: string
  readonly iId: string
  readonly [key: string]: unknown
}

export interface TaskPage {
  readonly results: ReadonlyArray<WireTask>
  readonly page: number
  readonly limit: number
  readonly hasMore: boolean
  readonly totalPages: number
  readonly totalResults: number
}

export interface ErrorBody {
  readonly errors: ReadonlyArray<{ readonly msg: string; readonly code: number }>
}
