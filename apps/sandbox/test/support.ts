// Test helpers: start a Candid emulator in-process on port 0 and talk to it the way a vendor client would,
// over real HTTP with fetch.
import { afterAll, beforeEach } from "vitest"
import { startCandid } from "../src/candid/Emulator.ts"
import type { CandidOptions } from "../src/candid/State.ts"
import type { WireTask } from "../src/candid/Wire.ts"

export type Candid = Awaited<ReturnType<typeof startCandid>>

export interface TaskPageBody {
  readonly items: Array<WireTask>
  readonly next_page_token: string | null
  readonly prev_page_token: string | null
}

export interface Client {
  readonly token: string
  readonly get: (path: string) => Promise<Response>
  readonly send: (method: string, path: string, body: unknown) => Promise<Response>
}

/**
 * One emulator per test file, reset before every test so tests don't share state, faults or rate budgets
 * (read-only suites may pass `resetEachTest: false` to keep one listing and token for the whole file).
 */
export const useCandid = (options: CandidOptions = {}, { resetEachTest = true } = {}) => {
  const ready = startCandid({ port: 0, seed: 7, size: 400, ...options })
  beforeEach(async () => {
    if (resetEachTest) (await ready).control.reset()
  })
  afterAll(async () => {
    await (await ready).close()
  })
  return () => ready
}

export const credentials = (candid: Candid, org = 0) => {
  const organization = candid.state().store.orgs[org]
  if (organization === undefined) throw new Error(`no organization ${org}`)
  return { client_id: organization.clientId, client_secret: organization.clientSecret }
}

export const mintToken = async (candid: Candid, org = 0): Promise<string> => {
  const response = await fetch(`${candid.url}/api/auth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials(candid, org)),
  })
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`)
  const body = (await response.json()) as { access_token: string }
  return body.access_token
}

export const client = async (candid: Candid, org = 0): Promise<Client> => {
  const token = await mintToken(candid, org)
  const headers = { authorization: `Bearer ${token}` }
  return {
    token,
    get: (path) => fetch(`${candid.url}${path}`, { headers }),
    send: (method, path, body) =>
      fetch(`${candid.url}${path}`, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  }
}

export const json = async <T>(response: Response): Promise<T> => (await response.json()) as T

/** Follows next_page_token from the first page to the last and returns every item in order. */
export const listAll = async (api: Client, query: string, limit = 97): Promise<Array<WireTask>> => {
  const items: Array<WireTask> = []
  let token: string | null = null
  do {
    const tokenPart: string = token === null ? "" : `&page_token=${token}`
    const page: TaskPageBody = await json(await api.get(`/api/tasks/v3?limit=${limit}${query}${tokenPart}`))
    items.push(...page.items)
    token = page.next_page_token
  } while (token !== null)
  return items
}

export const control = (candid: Candid, method: string, path: string, body?: unknown) =>
  fetch(`${candid.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
