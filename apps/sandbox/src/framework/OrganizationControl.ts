// The `/_sandbox/organizations` control routes every emulator can mount: list the organizations with whatever the
// real API cannot list (credentials, users, sample ids), show one, change vendor settings, and revoke an
// organization's credentials so a test sees the vendor's 401. Not part of any vendor contract.
import { ControlInputError, controlBody } from "./Control.ts"
import { json, type Route, type SandboxRequest, type SandboxResponse } from "./Http.ts"
import type { OrganizationBase, Organizations } from "./Organizations.ts"

export interface OrganizationControl<S, O extends OrganizationBase> {
  readonly organizations: (state: S) => Organizations<O>
  /** What a test or the demo setup needs to know about one organization (its credentials included). */
  readonly view: (state: S, organization: O) => object
  /**
   * `PATCH /_sandbox/organizations/:organizationId` applies vendor settings (Candid: deprecated statuses); throws
   * ControlInputError for a bad body. Without it the route does not exist.
   */
  readonly configure?: (state: S, organization: O, body: Record<string, unknown>) => void
}

const prefix = "/_sandbox/organizations"

export const organizationControlRoutes = <S, O extends OrganizationBase>(
  spec: OrganizationControl<S, O>,
): ReadonlyArray<Route<S>> => {
  const withOrganization =
    (then: (request: SandboxRequest, state: S, organization: O) => SandboxResponse) =>
    (request: SandboxRequest, state: S): SandboxResponse => {
      const id = request.params.organizationId ?? ""
      const organization = spec.organizations(state).byId(id)
      if (organization === undefined) return json(404, { error: `no organization ${id}` })
      return then(request, state, organization)
    }
  const { configure } = spec
  return [
    {
      method: "GET",
      pattern: prefix,
      handler: (_, state) =>
        json(200, { organizations: spec.organizations(state).all.map((org) => spec.view(state, org)) }),
    },
    {
      method: "GET",
      pattern: `${prefix}/:organizationId`,
      handler: withOrganization((_, state, org) => json(200, spec.view(state, org))),
    },
    // Revoked until the next reset: API keys, client credentials (and their tokens) and JWT apps all answer 401.
    {
      method: "POST",
      pattern: `${prefix}/:organizationId/revoke-key`,
      handler: withOrganization((_, state, org) => {
        spec.organizations(state).revoke(org.index)
        return json(200, { organizationId: org.organizationId, revoked: true })
      }),
    },
    ...(configure === undefined
      ? []
      : [
          {
            method: "PATCH",
            pattern: `${prefix}/:organizationId`,
            handler: withOrganization((request, state, org) => {
              configure(state, org, controlBody(request))
              return json(200, spec.view(state, org))
            }),
          },
        ]),
  ]
}

/** For `configure` hooks: a body field that must be a list of the given values. */
export const listOf = <T extends string>(
  body: Record<string, unknown>,
  key: string,
  allowed: ReadonlyArray<T>,
): Array<T> => {
  const value = body[key]
  const known = (item: unknown): item is T => allowed.some((candidate) => candidate === item)
  if (!Array.isArray(value) || !value.every(known)) {
    throw new ControlInputError(`${key} must be a list of: ${allowed.join(", ")}`)
  }
  return value
}
