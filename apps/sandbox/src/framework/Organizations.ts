// An emulator's organizations (its tenants): lookup by index or id, credential revocation for tests (every auth
// piece consults it), and the ownership check a vendor route makes before it shows or changes a record, which
// answers in the vendor's own words when the record is missing or belongs to another tenant.
import type { SandboxResponse } from "./Http.ts"

/** What the framework needs of a vendor's organization; vendors extend it with credentials, users, settings. */
export interface OrganizationBase {
  /** Position in the directory; records store it as their owner. */
  readonly index: number
  readonly organizationId: string
  readonly name: string
}

export class Organizations<O extends OrganizationBase> {
  readonly all: ReadonlyArray<O>
  readonly #byId = new Map<string, O>()
  readonly #revoked = new Set<number>()

  constructor(all: ReadonlyArray<O>) {
    all.forEach((org, i) => {
      if (org.index !== i) throw new RangeError(`organization ${org.organizationId} has index ${org.index}, not ${i}`)
      this.#byId.set(org.organizationId, org)
    })
    this.all = all
  }

  at(index: number): O | undefined {
    return this.all[index]
  }

  byId(organizationId: string): O | undefined {
    return this.#byId.get(organizationId)
  }

  /** Test control: every credential of the organization stops working until the state is reset. */
  revoke(index: number): void {
    this.#revoked.add(index)
  }

  isRevoked(index: number): boolean {
    return this.#revoked.has(index)
  }
}

export type Owned<R> =
  | { readonly ok: true; readonly record: R }
  | { readonly ok: false; readonly response: SandboxResponse }

export interface OwnershipRules<S, R> {
  readonly find: (state: S, id: string) => R | undefined
  /** The owning organization's index. */
  readonly ownerOf: (state: S, record: R) => number
  readonly missing: (id: string) => SandboxResponse
  /**
   * Another tenant's record, in the vendor's words: Candid 403, CareValidate 401, or the `missing` answer for a
   * vendor that hides what other tenants have.
   */
  readonly foreign: (id: string) => SandboxResponse
}

/** `check(state, org, id)`: the record when `org` owns it, else the vendor's answer to send instead. */
export const ownership =
  <S, R>(rules: OwnershipRules<S, R>) =>
  (state: S, org: number, id: string): Owned<R> => {
    const record = rules.find(state, id)
    if (record === undefined) return { ok: false, response: rules.missing(id) }
    if (rules.ownerOf(state, record) !== org) return { ok: false, response: rules.foreign(id) }
    return { ok: true, record }
  }
