// JWTs the client signs itself with its app secret (Kore.ai: HS256, claim `appId` = client id, sent in the
// non-standard `auth` header next to `AccountId`). There is no token endpoint: every call is checked for format,
// algorithm, a known app, signature, expiry by the controllable clock, the app's scopes and companion headers.
import { type Authenticator, type AuthResult, fail, headerValue, type Principal } from "./Auth.ts"
import type { Clock } from "./Clock.ts"
import type { SandboxRequest } from "./Http.ts"
import { type Claims, decodeJwt, type HmacAlgorithm, hmacAlgorithmOf, signatureValid } from "./Jwt.ts"
import type { OrganizationBase, Organizations } from "./Organizations.ts"

export interface JwtApp {
  /** The value of the app claim (Kore.ai: the Client ID). */
  readonly appId: string
  readonly secret: string
  readonly org: number
  /** API scopes the app was granted and published with (a vendor-side setting, not a token claim). */
  readonly scopes: ReadonlyArray<string>
}

/** A header that must come with the token and name the app's own organization (Kore.ai: AccountId). */
export interface CompanionHeader<A extends JwtApp> {
  readonly header: string
  readonly expected: (app: A) => string
}

export interface JwtAuthSettings<A extends JwtApp> {
  /** Where the token travels, e.g. `auth`; a `Bearer ` prefix is tolerated [I]. */
  readonly header: string
  /** The claim naming the app, e.g. `appId`. */
  readonly appClaim: string
  readonly apps: ReadonlyArray<A>
  readonly organizations: Organizations<OrganizationBase>
  readonly clock: Clock
  readonly requiredScope?: string | undefined
  /** Accepted algorithms; default HS256 only. `none` and asymmetric algorithms are never accepted. */
  readonly algorithms?: ReadonlyArray<HmacAlgorithm> | undefined
  readonly companions?: ReadonlyArray<CompanionHeader<A>> | undefined
  /** Refuse tokens without `exp`. Default false: Kore.ai's documented example payload carries none. */
  readonly requireExpiry?: boolean | undefined
  /** Every token needs a `jti` (Kore.ai's optional "Enforce JTI" app setting). */
  readonly requireJti?: boolean | undefined
  /** Clock skew allowed on `exp` / `nbf`, seconds. Default 0. */
  readonly leewaySeconds?: number | undefined
}

export interface JwtPrincipal<A extends JwtApp> extends Principal {
  readonly app: A
  readonly claims: Claims
}

export class SelfSignedJwtAuth<A extends JwtApp> implements Authenticator<JwtPrincipal<A>> {
  readonly #settings: JwtAuthSettings<A>
  readonly #apps = new Map<string, A>()

  constructor(settings: JwtAuthSettings<A>) {
    this.#settings = settings
    for (const app of settings.apps) this.#apps.set(app.appId, app)
  }

  authenticate(request: SandboxRequest): AuthResult<JwtPrincipal<A>> {
    const { header, appClaim, organizations, requiredScope } = this.#settings
    const raw = headerValue(request, header)?.replace(/^Bearer\s+/i, "")
    if (raw === undefined || raw === "") return fail("missing", `Missing ${header} header`)
    const jwt = decodeJwt(raw)
    if (jwt === undefined) return fail("malformed", "Malformed JWT")
    const algorithm = hmacAlgorithmOf(jwt)
    if (algorithm === undefined || !(this.#settings.algorithms ?? ["HS256"]).includes(algorithm)) {
      return fail("unsupportedAlgorithm", `Unsupported JWT algorithm ${String(jwt.header.alg)}`)
    }
    const appId = jwt.claims[appClaim]
    if (typeof appId !== "string") return fail("malformed", `JWT has no ${appClaim} claim`)
    const app = this.#apps.get(appId)
    if (app === undefined || organizations.isRevoked(app.org)) return fail("unknown", "Unknown app")
    if (!signatureValid(jwt, app.secret)) return fail("badSignature", "Invalid JWT signature")
    const timing = this.#checkTimes(jwt.claims)
    if (timing !== undefined) return timing
    if (requiredScope !== undefined && !app.scopes.includes(requiredScope)) {
      return fail("missingScope", `App lacks the ${requiredScope} scope`)
    }
    for (const companion of this.#settings.companions ?? []) {
      const value = headerValue(request, companion.header)
      if (value === undefined) return fail("missing", `Missing ${companion.header} header`)
      if (value !== companion.expected(app)) return fail("mismatch", `${companion.header} does not match the app`)
    }
    return { ok: true, principal: { org: app.org, app, claims: jwt.claims } }
  }

  #checkTimes(claims: Claims): AuthResult<JwtPrincipal<A>> | undefined {
    const { clock, requireExpiry, requireJti, leewaySeconds = 0 } = this.#settings
    const now = clock.now() / 1000
    const { exp, nbf, jti } = claims
    if (exp !== undefined && typeof exp !== "number") return fail("malformed", "exp must be a number")
    if (exp === undefined && requireExpiry === true) return fail("malformed", "JWT has no exp claim")
    if (typeof exp === "number" && now >= exp + leewaySeconds) return fail("expired", "JWT has expired")
    if (typeof nbf === "number" && now < nbf - leewaySeconds) return fail("notYetValid", "JWT is not valid yet")
    if (requireJti === true && (typeof jti !== "string" || jti === "")) return fail("malformed", "JWT has no jti claim")
    return undefined
  }
}
