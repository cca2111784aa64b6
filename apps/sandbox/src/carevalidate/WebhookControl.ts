// `/_sandbox/webhooks` control routes: Care360 configures webhooks in its UI, not its API (vendor-docs §5.8),
// so tests register, list and remove targets here, read the delivery log and switch on a bad-signature fault.
import { ControlInputError } from "../framework/Control.ts"
import { isRecord, json, type Route, type SandboxRequest, type SandboxResponse } from "../framework/Http.ts"
import type { CareValidateState } from "./State.ts"
import { DOCUMENTED_EVENTS } from "./WebhookEvents.ts"
import type { NewTarget } from "./Webhooks.ts"

const input = (request: SandboxRequest): Record<string, unknown> => {
  if (request.body === undefined) return {}
  if (!isRecord(request.body)) throw new ControlInputError("body must be a JSON object")
  return request.body
}

const httpUrl = (value: unknown): string => {
  const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new ControlInputError("url must be an http(s) URL")
  }
  return value as string
}

const optionalText = (body: Record<string, unknown>, key: string): string | undefined => {
  const value = body[key]
  if (value === undefined) return undefined
  if (typeof value !== "string" || value === "") throw new ControlInputError(`${key} must be a non-empty string`)
  return value
}

const events = (value: unknown): ReadonlyArray<string> | undefined => {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.length === 0) throw new ControlInputError("events must be a non-empty list")
  const unknown = value.filter((name) => typeof name !== "string" || !DOCUMENTED_EVENTS.includes(name))
  if (unknown.length > 0) throw new ControlInputError(`not documented CareValidate events: ${unknown.join(", ")}`)
  return value as ReadonlyArray<string>
}

/** `POST /_sandbox/webhooks {url, secret?, organizationId?, events?}`: a target, as the settings UI would add it. */
const register = (request: SandboxRequest, state: CareValidateState): SandboxResponse => {
  const body = input(request)
  const organizationId = optionalText(body, "organizationId")
  if (organizationId !== undefined && !state.store.orgs.some((o) => o.organizationId === organizationId)) {
    throw new ControlInputError(`no organization ${organizationId}`)
  }
  const target: NewTarget = {
    url: httpUrl(body.url),
    secret: optionalText(body, "secret"),
    organizationId,
    events: events(body.events),
  }
  return json(200, state.webhooks.register(target))
}

/** `POST /_sandbox/webhooks/:id/bad-signature {enabled}`: that target's x-cv-signature stops verifying. */
const badSignature = (request: SandboxRequest, state: CareValidateState): SandboxResponse => {
  const enabled = input(request).enabled
  if (typeof enabled !== "boolean") throw new ControlInputError("enabled must be a boolean")
  const target = state.webhooks.setBadSignature(request.params.id ?? "", enabled)
  return target === undefined ? json(404, { error: `no webhook ${request.params.id}` }) : json(200, target)
}

export const webhookControlRoutes: ReadonlyArray<Route<CareValidateState>> = [
  { method: "POST", pattern: "/_sandbox/webhooks", handler: register },
  {
    method: "GET",
    pattern: "/_sandbox/webhooks",
    handler: (_, state) => json(200, { webhooks: state.webhooks.list() }),
  },
  {
    method: "GET",
    pattern: "/_sandbox/webhooks/deliveries",
    handler: (request, state) =>
      json(200, { deliveries: state.webhooks.deliveries(request.query.get("targetId") ?? undefined) }),
  },
  {
    method: "DELETE",
    pattern: "/_sandbox/webhooks/:id",
    handler: (request, state) => json(200, { removed: state.webhooks.remove(request.params.id ?? "") }),
  },
  { method: "POST", pattern: "/_sandbox/webhooks/:id/bad-signature", handler: badSignature },
]
