// `/_sandbox/webhooks` control routes over a WebhookHub: list subscriptions (never their secrets), read the
// delivery log, switch on the bad-signature fault, and, for vendors that configure webhooks in a UI rather than
// an API (CareValidate), register and remove subscriptions in that UI's place.
import { ControlInputError, controlBody } from "./Control.ts"
import { json, type Route, type SandboxRequest } from "./Http.ts"
import type { OrganizationBase, Organizations } from "./Organizations.ts"
import type { WebhookHub } from "./WebhookHub.ts"
import { type NewSubscription, WebhookInputError } from "./WebhookSubscriptions.ts"

export interface WebhookControl<S, Subject extends Readonly<Record<string, string>>> {
  readonly hub: (state: S) => WebhookHub<Subject>
  readonly organizations: (state: S) => Organizations<OrganizationBase>
  /** Mounts POST and DELETE: the vendor's UI is where webhooks are configured, so tests need a stand-in. */
  readonly registration: boolean
}

const optionalText = (body: Record<string, unknown>, key: string): string | undefined => {
  const value = body[key]
  if (value === undefined) return undefined
  if (typeof value !== "string" || value === "") throw new ControlInputError(`${key} must be a non-empty string`)
  return value
}

const optionalList = (body: Record<string, unknown>, key: string): ReadonlyArray<string> | undefined => {
  const value = body[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new ControlInputError(`${key} must be a non-empty list`)
  }
  return value
}

/** Hub refusals are the caller's mistake here, so they answer 400 like every other bad control body. */
const asInput = <T>(run: () => T): T => {
  try {
    return run()
  } catch (error) {
    if (error instanceof WebhookInputError) throw new ControlInputError(error.message)
    throw error
  }
}

export const webhookControlRoutes = <S, Subject extends Readonly<Record<string, string>>>(
  spec: WebhookControl<S, Subject>,
): ReadonlyArray<Route<S>> => {
  /** `POST /_sandbox/webhooks {url, secret?, organizationId?, events?}`, as the vendor's settings page adds one. */
  const register = (request: SandboxRequest, state: S) => {
    const body = controlBody(request)
    const organizationId = optionalText(body, "organizationId")
    if (organizationId !== undefined && spec.organizations(state).byId(organizationId) === undefined) {
      throw new ControlInputError(`no organization ${organizationId}`)
    }
    if (typeof body.url !== "string") throw new ControlInputError("url must be an http(s) URL")
    const input: NewSubscription = {
      url: body.url,
      secret: optionalText(body, "secret"),
      organizationId,
      events: optionalList(body, "events"),
    }
    return json(
      200,
      asInput(() => spec.hub(state).subscriptions.register(input)),
    )
  }
  const badSignature = (request: SandboxRequest, state: S) => {
    const enabled = controlBody(request).enabled
    if (typeof enabled !== "boolean") throw new ControlInputError("enabled must be a boolean")
    const target = spec.hub(state).subscriptions.setBadSignature(request.params.id ?? "", enabled)
    return target === undefined ? json(404, { error: `no webhook ${request.params.id}` }) : json(200, target)
  }
  const shared: ReadonlyArray<Route<S>> = [
    {
      method: "GET",
      pattern: "/_sandbox/webhooks",
      handler: (_, state) => json(200, { webhooks: spec.hub(state).subscriptions.list() }),
    },
    {
      method: "GET",
      pattern: "/_sandbox/webhooks/deliveries",
      handler: (request, state) =>
        json(200, { deliveries: spec.hub(state).deliveries(request.query.get("targetId") ?? undefined) }),
    },
    { method: "POST", pattern: "/_sandbox/webhooks/:id/bad-signature", handler: badSignature },
  ]
  if (!spec.registration) return shared
  return [
    ...shared,
    { method: "POST", pattern: "/_sandbox/webhooks", handler: register },
    {
      method: "DELETE",
      pattern: "/_sandbox/webhooks/:id",
      handler: (request, state) =>
        json(200, { removed: spec.hub(state).subscriptions.remove(request.params.id ?? "") }),
    },
  ]
}
