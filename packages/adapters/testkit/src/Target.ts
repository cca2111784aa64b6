// What an adapter's test hands the contract suite: how to start its emulator, build the adapter, and the
// vendor-specific cases (writable fields, refusals, vendor rejections, auth, unknown enum values).
// The sandbox is described structurally, so this package never imports the sandbox app.

import type { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import type { SyncErrorReason } from "@taskbridge/domain/Errors"
import type { Vendor } from "@taskbridge/domain/Ids"
import type { VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import type { RecordChange, VendorRecord } from "@taskbridge/domain/VendorRecord"
import type { Effect, Scope } from "effect"
import type { HttpClient } from "effect/http"

export interface LoggedRequest {
  readonly seq: number
  readonly method: string
  readonly path: string
  readonly body: unknown
  readonly status: number | null
}

/** The slice of the sandbox control API the suite drives (the in-process `handle.control` satisfies it). */
export interface SandboxLike {
  readonly url: string
  readonly control: {
    /** Reseeds and clears faults, log, clock offset and tokens: every contract test starts from the same state. */
    readonly reset: () => unknown
    readonly faults: { readonly add: (spec: FaultSpec) => unknown; readonly clear: () => void }
    readonly requests: {
      readonly list: (input?: { readonly since?: number }) => ReadonlyArray<LoggedRequest>
      readonly nextSeq: () => number
    }
    readonly clock: { readonly advance: (ms: number) => number }
    readonly activity: {
      readonly step: (count: number, options?: { readonly id?: string }) => ReadonlyArray<{ readonly id: string }>
    }
  }
  readonly close: () => Promise<void>
}

export interface FaultSpec {
  readonly kind: "latency" | "error5xx" | "rateLimit" | "drop" | "timeout"
  readonly count?: number
  readonly status?: number
  readonly retryAfterSeconds?: number
  readonly method?: string
  readonly pathPrefix?: string
}

export interface WritableCase {
  readonly field: string
  /** A change to `record` the vendor accepts, and how to tell that an answer (or a fresh read) shows it. */
  readonly write: (record: VendorRecord) => {
    readonly change: RecordChange
    readonly landed: (answer: VendorRecord) => boolean
  }
}

export interface RefusalCase {
  readonly name: string
  readonly change: (record: VendorRecord) => RecordChange
}

export interface RejectionCase {
  readonly name: string
  /** Puts the emulator or the record in the state the vendor rejects; returns the vendor id to write to. */
  readonly arrange: (sandbox: SandboxLike, record: VendorRecord) => Promise<string>
  readonly change: (record: VendorRecord) => RecordChange
  readonly reason: SyncErrorReason["_tag"]
}

export type AuthCase =
  /** Minted tokens: make the emulator reject the cached token so the adapter must refresh. */
  | { readonly kind: "token"; readonly tokenPath: string; readonly expire: (sandbox: SandboxLike) => Promise<void> }
  /** Static keys: make the emulator reject the key; the adapter must fail Unauthorized without retrying. */
  | { readonly kind: "api-key"; readonly revoke: (sandbox: SandboxLike) => Promise<void> }

export type AdapterEnv = HttpClient.HttpClient | RateBudgets | Scope.Scope

export interface ContractTarget<S extends SandboxLike> {
  readonly vendor: Vendor
  readonly start: () => Promise<S>
  readonly adapter: (sandbox: S) => Effect.Effect<VendorAdapter, never, AdapterEnv>
  /** Vendor ids the adapter's credentials can see (its organization's records). */
  readonly visibleIds: (sandbox: S) => ReadonlySet<string>
  /** A record (by vendor id) the writable and refusal cases can edit. */
  readonly editable: (sandbox: S) => string
  readonly writable: ReadonlyArray<WritableCase>
  readonly refusedBeforeHttp: ReadonlyArray<RefusalCase>
  readonly rejections: ReadonlyArray<RejectionCase>
  readonly auth: AuthCase
  /** Gives a record an enum value the adapter has never seen; returns where. */
  readonly unknownEnum: (sandbox: S) => Promise<{ readonly id: string; readonly field: string; readonly value: string }>
}
