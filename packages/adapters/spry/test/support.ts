// What the Spry adapter's tests share: the emulator's organisations and requests read from its state, the settings
// of a connection to its first organisation (the integration login, every clinic's zone), and Spry's own API called
// the way a Spry user would (a token, then a PATCH or DELETE), for vendor-side changes.
import type { startSpry } from "@taskbridge/sandbox/spry/Emulator"
import { activeInvites } from "@taskbridge/sandbox/spry/Store"

export type Spry = Awaited<ReturnType<typeof startSpry>>

export const org = (spry: Spry, index = 0) => {
  const found = spry.state().store.orgs[index]
  if (found === undefined) throw new Error(`no organisation ${index}`)
  return found
}

export const staffClient = (spry: Spry, index = 0) => {
  const found = org(spry, index).clients.find((c) => c.roles.includes("ADMIN"))
  if (found === undefined) throw new Error("no staff client")
  return found
}

export const requestsOf = (spry: Spry, index = 0) => spry.state().store.requests.filter((r) => r.org === index)

/** An ACTIVE request of the organisation, with or without invites that are still active. */
export const activeId = (spry: Spry, invites: boolean, index = 0, nth = 0): string => {
  const found = requestsOf(spry, index).filter((r) => r.status === "ACTIVE" && activeInvites(r).length > 0 === invites)[
    nth
  ]
  if (found === undefined) throw new Error(`no ACTIVE request ${invites ? "with" : "without"} invites`)
  return found.id
}

export const withStatus = (spry: Spry, status: string, index = 0): string => {
  const found = requestsOf(spry, index).find((r) => r.status === status)
  if (found === undefined) throw new Error(`no ${status} request`)
  return found.id
}

export const clinicZones = (spry: Spry, index = 0) =>
  Object.fromEntries(org(spry, index).clinics.map((c) => [c.id, c.timeZone]))

/** A stored connection to the first organisation, as `connections.create` would take it. */
export const settingsFor = (spry: Spry, options: Record<string, unknown> = {}) => {
  const client = staffClient(spry)
  return {
    baseUrl: spry.url,
    credentials: { clientId: client.clientId, clientSecret: client.clientSecret },
    options: { pageSize: 25, clinicZones: clinicZones(spry), ...options },
  }
}

export const control = (spry: Spry, path: string, body: unknown = {}) =>
  fetch(`${spry.url}/_sandbox${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })

/** A Spry user's call with the organisation's integration login, through Spry's own API. */
export const vendorCall = async (spry: Spry, method: string, path: string, body?: unknown) => {
  const client = staffClient(spry)
  const token = (await fetch(`${spry.url}/apis/v2/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }).toString(),
  }).then((r) => r.json())) as { access_token: string }
  return fetch(`${spry.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}
