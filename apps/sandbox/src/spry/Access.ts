// Who may do what at the Spry emulator: a live bearer token on every call (401 otherwise), its scopes (`read` for
// reads, `write` for changes [I]), its organisation (another organisation's request is not found [I]) and its role —
// staff see the clinics in their token's `clinic_id_list`, a patient (USER role) only their own requests (403 [D]).
// Every guarded call first runs the matching rounds that fell due, so the state a caller sees is current.
import { requireAuth } from "../framework/Auth.ts"
import type { SandboxRequest, SandboxResponse } from "../framework/Http.ts"
import type { TokenPrincipal } from "../framework/OAuthTokens.ts"
import { ownership } from "../framework/Organizations.ts"
import * as E from "./Errors.ts"
import type { Viewer } from "./List.ts"
import type { Client, WaitlistRequest } from "./Model.ts"
import type { SpryState } from "./State.ts"

export type Principal = TokenPrincipal<Client>

const guard = requireAuth<SpryState, Principal>({
  authenticator: (state) => state.tokens,
  // "Invalid token", "Token has expired", "Missing bearer token": never the token itself.
  reject: (failure) => E.unauthenticated(failure.message),
  recover: (error) => (error instanceof E.Invalid ? E.invalid(error) : undefined),
})

type Handler = (
  request: SandboxRequest,
  state: SpryState,
  principal: Principal,
) => SandboxResponse | Promise<SandboxResponse>

/** A vendor route: authenticated, scope-checked, on a state whose due matching rounds have run. */
export const route = (scope: "read" | "write", handler: Handler) =>
  guard((request, state, principal) => {
    state.matching.catchUp()
    const granted = (principal.scope ?? "").split(" ")
    if (!granted.includes(scope)) return E.forbidden(`this token lacks the ${scope} scope`)
    return handler(request, state, principal)
  })

export const viewerOf = (principal: Principal): Viewer => ({
  org: principal.org,
  clinicIds: principal.client.clinicIds,
  patientId: principal.client.patientId,
})

// [I] Another organisation's request answers as if it did not exist: ids of other tenants are not confirmed.
const ofOrganisation = ownership<SpryState, WaitlistRequest>({
  find: (state, id) => state.store.byId(id),
  ownerOf: (_, r) => r.org,
  missing: () => E.notFound(),
  foreign: () => E.notFound(),
})

/** The request if this token may see it: not found for other organisations, 403 for clinics or patients it lacks. */
export const ownRequest = (
  state: SpryState,
  principal: Principal,
  id: string,
):
  | { readonly ok: true; readonly record: WaitlistRequest }
  | { readonly ok: false; readonly response: SandboxResponse } => {
  const owned = ofOrganisation(state, principal.org, id)
  if (!owned.ok) return owned
  const { client } = principal
  if (client.patientId !== null && owned.record.patientId !== client.patientId) {
    return { ok: false, response: E.forbidden("patients can only access their own waitlist requests") }
  }
  if (client.patientId === null && !client.clinicIds.includes(owned.record.clinicId)) {
    return { ok: false, response: E.forbidden("the request's clinic is not in this token's clinic_id_list") }
  }
  return owned
}
