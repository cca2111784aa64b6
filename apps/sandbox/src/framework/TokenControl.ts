// `/_sandbox/tokens` control routes for emulators that issue bearer tokens (OAuthTokens): how many were minted
// (does the client reuse its token?), and expiring or revoking them now so a test sees the vendor's 401 without
// waiting out their lifetime. Optional `organizationId` narrows either to one organization.
import { ControlInputError, controlBody } from "./Control.ts"
import { json, type Route, type SandboxRequest } from "./Http.ts"
import type { OAuthClient, OAuthTokens } from "./OAuthTokens.ts"
import type { OrganizationBase, Organizations } from "./Organizations.ts"

export interface TokenControl<S, C extends OAuthClient> {
  readonly tokens: (state: S) => OAuthTokens<C>
  readonly organizations: (state: S) => Organizations<OrganizationBase>
}

export const tokenControlRoutes = <S, C extends OAuthClient>(spec: TokenControl<S, C>): ReadonlyArray<Route<S>> => {
  /** The organization index the body names, or undefined for all of them. */
  const scope = (request: SandboxRequest, state: S): number | undefined => {
    const id = controlBody(request).organizationId
    if (id === undefined) return undefined
    const org = typeof id === "string" ? spec.organizations(state).byId(id) : undefined
    if (org === undefined) throw new ControlInputError(`no organization ${String(id)}`)
    return org.index
  }
  return [
    {
      method: "GET",
      pattern: "/_sandbox/tokens",
      handler: (_, state) => json(200, { issued: spec.tokens(state).issued, live: spec.tokens(state).live() }),
    },
    {
      method: "POST",
      pattern: "/_sandbox/tokens/expire",
      handler: (request, state) => json(200, { expired: spec.tokens(state).expire(scope(request, state)) }),
    },
    {
      method: "POST",
      pattern: "/_sandbox/tokens/revoke",
      handler: (request, state) => json(200, { revoked: spec.tokens(state).revoke(scope(request, state)) }),
    },
  ]
}
