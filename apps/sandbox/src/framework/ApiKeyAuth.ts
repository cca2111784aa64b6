// API keys sent in a header on every call (Vambe `x-api-key`, CareValidate `cv-api-key`): each key belongs to one
// organization; a missing, unknown or revoked key fails, and the vendor words the 401.
import { type Authenticator, type AuthResult, fail, headerValue, type Principal } from "./Auth.ts"
import type { SandboxRequest } from "./Http.ts"
import type { OrganizationBase, Organizations } from "./Organizations.ts"

export interface ApiKeyPrincipal<O extends OrganizationBase> extends Principal {
  readonly organization: O
}

export interface ApiKeySettings<O extends OrganizationBase> {
  /** Header name; matched case-insensitively, as HTTP header names are. */
  readonly header: string
  readonly organizations: Organizations<O>
  /** The organization's keys (most vendors issue one; a list lets an emulator model rotation). */
  readonly keysOf: (organization: O) => ReadonlyArray<string>
}

export class ApiKeyAuth<O extends OrganizationBase> implements Authenticator<ApiKeyPrincipal<O>> {
  readonly #header: string
  readonly #organizations: Organizations<O>
  readonly #byKey = new Map<string, O>()

  constructor(settings: ApiKeySettings<O>) {
    this.#header = settings.header
    this.#organizations = settings.organizations
    for (const org of settings.organizations.all) for (const key of settings.keysOf(org)) this.#byKey.set(key, org)
  }

  authenticate(request: SandboxRequest): AuthResult<ApiKeyPrincipal<O>> {
    const key = headerValue(request, this.#header)
    if (key === undefined) return fail("missing", `Missing ${this.#header} header`)
    const organization = this.#byKey.get(key)
    if (organization === undefined || this.#organizations.isRevoked(organization.index)) {
      return fail("unknown", "Invalid API key")
    }
    return { ok: true, principal: { org: organization.index, organization } }
  }
}
