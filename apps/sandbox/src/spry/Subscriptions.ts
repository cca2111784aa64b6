// Spry's Subscription Management API (`/api/v2/subscriptions`, vendor-docs §4.7) over the framework's webhook hub: a
// subscription ties event types to one `notification_url` with its own `signature_key`, shown only when created or
// rotated; the organisation is the token's. [I] Bodies and answers use the `{code, message, data}` envelope; an
// unknown event type, a non-http(s) URL or another payload version is a 400; other organisations' ids are not found.
import { isRecord, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import { type SubscriptionView, WebhookInputError } from "../framework/WebhookSubscriptions.ts"
import { type Principal, route } from "./Access.ts"
import { API_VERSION } from "./Enums.ts"
import * as E from "./Errors.ts"
import type { SpryState } from "./State.ts"
import { eventBody } from "./WebhookEvents.ts"

const FIELDS = ["name", "event_types", "notification_url", "api_version", "is_active"]

const viewOf = (state: SpryState, s: SubscriptionView) => {
  const meta = state.subscriptions.get(s.id)
  return {
    id: s.id,
    name: meta?.name ?? "",
    event_types: s.events ?? [],
    notification_url: s.url,
    api_version: meta?.apiVersion ?? API_VERSION,
    is_active: s.active,
    created_at: s.createdAt,
    updated_at: new Date(meta?.updatedAt ?? Date.parse(s.createdAt)).toISOString(),
  }
}

const orgIdOf = (state: SpryState, principal: Principal) => state.store.orgs[principal.org]?.organizationId ?? ""

/** The subscription if it belongs to the token's organisation. */
const own = (state: SpryState, principal: Principal, id: string) => {
  const found = state.webhooks.subscriptions.get(id)
  return found !== undefined && found.organizationId === orgIdOf(state, principal) ? found : undefined
}

const body = (request: SandboxRequest): Record<string, unknown> => {
  if (!isRecord(request.body)) throw new E.Invalid(4001, "the request body must be a JSON object")
  const unknown = Object.keys(request.body).find((k) => !FIELDS.includes(k))
  if (unknown !== undefined) throw new E.Invalid(E.CODES.unknownField, `${unknown}: not a field of a subscription`)
  return request.body
}

const optionalText = (b: Record<string, unknown>, key: string): string | undefined => {
  const value = b[key]
  if (value === undefined) return undefined
  if (typeof value !== "string" || value.trim() === "")
    throw new E.Invalid(E.CODES.required, `${key}: must be a non-empty string`)
  return value
}

const eventTypes = (b: Record<string, unknown>): ReadonlyArray<string> | undefined => {
  const value = b.event_types
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new E.Invalid(E.CODES.required, "event_types: must be a list of event types")
  }
  return value
}

const apiVersion = (b: Record<string, unknown>): string | undefined => {
  const version = optionalText(b, "api_version")
  if (version !== undefined && version !== API_VERSION) {
    throw new E.Invalid(E.CODES.query, `api_version: only ${API_VERSION} is available`)
  }
  return version
}

/** Hub refusals (a bad URL, an undocumented event, an empty list) are the caller's 400. */
const checked = <T>(run: () => T): T => {
  try {
    return run()
  } catch (error) {
    if (error instanceof WebhookInputError) throw new E.Invalid(E.CODES.query, error.message)
    throw error
  }
}

const create = route("write", (request, state, principal) => {
  const b = body(request)
  const name = optionalText(b, "name")
  const url = optionalText(b, "notification_url")
  const events = eventTypes(b)
  if (name === undefined) throw new E.Invalid(E.CODES.required, "name: is required")
  if (url === undefined) throw new E.Invalid(E.CODES.required, "notification_url: is required")
  if (events === undefined) throw new E.Invalid(E.CODES.required, "event_types: is required")
  const version = apiVersion(b) ?? API_VERSION
  const secret = state.webhooks.subscriptions.newSecret("whsec_")
  const created = checked(() =>
    state.webhooks.subscriptions.register({ url, secret, organizationId: orgIdOf(state, principal), events }),
  )
  state.subscriptions.set(created.id, { name, apiVersion: version, updatedAt: state.store.now() })
  // "Returns signature_key once" [D].
  return E.success({ ...viewOf(state, created), signature_key: secret }, 201)
})

const list = route("read", (request, state, principal) => {
  const flag = request.query.get("is_active")
  const all = state.webhooks.subscriptions.list(orgIdOf(state, principal))
  const kept = flag === null ? all : all.filter((s) => String(s.active) === flag)
  return E.success(kept.map((s) => viewOf(state, s)))
})

const withOwn = (
  scope: "read" | "write",
  then: (request: SandboxRequest, state: SpryState, s: SubscriptionView) => SandboxResponse,
) =>
  route(scope, (request, state, principal) => {
    const found = own(state, principal, request.params.id ?? "")
    return found === undefined ? E.notFound("subscription") : then(request, state, found)
  })

const get = withOwn("read", (_, state, s) => E.success(viewOf(state, s)))

const update = withOwn("write", (request, state, s) => {
  const b = body(request)
  const active = b.is_active
  if (active !== undefined && typeof active !== "boolean")
    throw new E.Invalid(E.CODES.required, "is_active: must be a boolean")
  const name = optionalText(b, "name")
  const version = apiVersion(b)
  const url = optionalText(b, "notification_url")
  const events = eventTypes(b)
  const changed = checked(() =>
    state.webhooks.subscriptions.update(s.id, {
      ...(url === undefined ? {} : { url }),
      ...(events === undefined ? {} : { events }),
      ...(active === undefined ? {} : { active }),
    }),
  )
  const meta = state.subscriptions.get(s.id)
  if (meta !== undefined) {
    if (name !== undefined) meta.name = name
    if (version !== undefined) meta.apiVersion = version
    meta.updatedAt = state.store.now()
  }
  return E.success(viewOf(state, changed ?? s))
})

const remove = withOwn("write", (_, state, s) => {
  state.webhooks.subscriptions.remove(s.id)
  state.subscriptions.delete(s.id)
  return { status: 204 }
})

const rotate = withOwn("write", (_, state, s) => {
  const secret = state.webhooks.subscriptions.newSecret("whsec_")
  state.webhooks.subscriptions.update(s.id, { secret })
  return E.success({ id: s.id, signature_key: secret })
})

// "Send a synthetic webhook to your notification_url to confirm wiring" [D]; [I] it is the subscription's first event
// type with `data.test: true`, sent whatever its filters and even while inactive.
const test = withOwn("write", (_, state, s): SandboxResponse => {
  const event = s.events?.[0] ?? "patient.updated"
  const org = state.store.orgs.find((o) => o.organizationId === s.organizationId)
  const queued = state.webhooks.deliverTo(
    s.id,
    { event, organizationId: s.organizationId ?? "", subject: { resourceId: s.id } },
    (eventId) => eventBody(eventId, event, state.store.now(), { organisation_id: org?.numericId ?? 0, test: true }),
  )
  return E.success({ id: s.id, queued })
})

export const subscriptionRoutes: ReadonlyArray<Route<SpryState>> = [
  { method: "POST", pattern: "/api/v2/subscriptions", handler: create },
  { method: "GET", pattern: "/api/v2/subscriptions", handler: list },
  { method: "GET", pattern: "/api/v2/subscriptions/:id", handler: get },
  { method: "PATCH", pattern: "/api/v2/subscriptions/:id", handler: update },
  { method: "DELETE", pattern: "/api/v2/subscriptions/:id", handler: remove },
  { method: "POST", pattern: "/api/v2/subscriptions/:id/rotate-secret", handler: rotate },
  { method: "POST", pattern: "/api/v2/subscriptions/:id/test", handler: test },
]
