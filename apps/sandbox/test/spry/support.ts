// Test helpers for the Spry emulator: one in-process emulator per file (port 0), reset before every test; a client
// that mints a token the documented way (form-encoded client credentials) and calls the API over real HTTP; and
// fixtures read from state (requests with or without active invites, clients by role).
import { afterAll, beforeEach } from "vitest"
import { startSpry } from "../../src/spry/Emulator.ts"
import type { Client, WaitlistRequest } from "../../src/spry/Model.ts"
import type { SpryOptions } from "../../src/spry/State.ts"
import { activeInvites } from "../../src/spry/Store.ts"
import type { WireRequest } from "../../src/spry/Wire.ts"

export type Spry = Awaited<ReturnType<typeof startSpry>>

export const useSpry = (options: SpryOptions = {}) => {
  // Seeded history ends at the start of today (UTC): "today" at a clinic is the real one, as windows and expiry need.
  const ready = startSpry({ port: 0, seed: 5, size: 160, ...options })
  beforeEach(async () => {
    ;(await ready).control.reset()
  })
  afterAll(async () => {
    await (await ready).close()
  })
  return () => ready
}

export interface Envelope<D> {
  readonly code: number
  readonly message: string
  readonly data: D
}

export const body = async <T>(response: Response): Promise<T> => (await response.json()) as T

/** The organisation's client with this role (ADMIN staff, FRONT_DESK, USER patient). */
export const clientOf = (spry: Spry, role: string, org = 0): Client => {
  const found = spry.state().store.orgs[org]?.clients.find((c) => c.roles.includes(role))
  if (found === undefined) throw new Error(`no ${role} client in organisation ${org}`)
  return found
}

export const tokenRequest = (spry: Spry, fields: Record<string, string>) =>
  fetch(`${spry.url}/apis/v2/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  })

export const mint = async (spry: Spry, client: Client, scope = "read write"): Promise<string> => {
  const response = await tokenRequest(spry, {
    grant_type: "client_credentials",
    client_id: client.clientId,
    client_secret: client.clientSecret,
    scope,
  })
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`)
  return (await body<{ access_token: string }>(response)).access_token
}

export interface Api {
  readonly get: (path: string) => Promise<Response>
  readonly send: (method: string, path: string, payload?: unknown) => Promise<Response>
}

export const api = (spry: Spry, token: string | null): Api => {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` }
  return {
    get: (path) => fetch(`${spry.url}${path}`, { headers }),
    send: (method, path, payload) =>
      fetch(`${spry.url}${path}`, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      }),
  }
}

/** The integration login of organisation `org` (ADMIN, every clinic). */
export const staff = async (spry: Spry, org = 0): Promise<Api> =>
  api(spry, await mint(spry, clientOf(spry, "ADMIN", org)))

export const requestsOf = (spry: Spry, org = 0): ReadonlyArray<WaitlistRequest> =>
  spry.state().store.requests.filter((r) => r.org === org)

export const activeRequest = (spry: Spry, invites: boolean, org = 0): WaitlistRequest => {
  const found = requestsOf(spry, org).find((r) => r.status === "ACTIVE" && activeInvites(r).length > 0 === invites)
  if (found === undefined) throw new Error(`no ACTIVE request ${invites ? "with" : "without"} invites`)
  return found
}

export const withStatus = (spry: Spry, status: string, org = 0): WaitlistRequest => {
  const found = requestsOf(spry, org).find((r) => r.status === status)
  if (found === undefined) throw new Error(`no ${status} request`)
  return found
}

export const control = (spry: Spry, method: string, path: string, payload?: unknown) =>
  fetch(`${spry.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  })

export const PATH = "/apis/v1/waitlist-requests"

export type RequestBody = Envelope<WireRequest>
export type ListBody = Envelope<Array<WireRequest>>
