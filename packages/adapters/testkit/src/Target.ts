// What an adapter's test hands the contract suite: how to start its emulator, its vendor definition and the settings
// of a connection to the emulator, and the vendor-specific cases (writable fields, refusals, vendor rejections, auth,
// creates, deletions, terminal records, unknown enum values). Every case is typed by the emulator `S`, so no case
// casts; the sandbox is described structurally, so this package never imports the sandbox app.

import type { VendorDefinition } from "@taskbridge/adapter-kit/Definition"
import type { SyncErrorReason } from "@taskbridge/domain/Errors"
import type { TaskPatch } from "@taskbridge/domain/Patch"
import type { RecordChange, RecordDraft, VendorRecord } from "@taskbridge/domain/VendorRecord"
import type { Schema } from "effect"

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
  readonly kind: "latency" | "error5xx" | "rateLimit" | "drop" | "timeout" | "wrongType"
  readonly count?: number
  /** For `wrongType`: the property (first found, depth first) whose type the answer changes. */
  readonly field?: string
  readonly status?: number
  readonly retryAfterSeconds?: number
  readonly method?: string
  readonly pathPrefix?: string
}

export interface WritableCase<S> {
  readonly field: string
  /** A change to `record` the vendor accepts, and how to tell that an answer (or a fresh read) shows it. */
  readonly write: (
    record: VendorRecord,
    sandbox: S,
  ) => {
    readonly change: RecordChange
    readonly landed: (answer: VendorRecord) => boolean
  }
}

export interface RefusalCase {
  readonly name: string
  readonly change: (record: VendorRecord) => RecordChange
}

export interface RejectionCase<S> {
  readonly name: string
  /** Puts the emulator or the record in the state the vendor rejects; returns the record (id, parent) to write to. */
  readonly arrange: (
    sandbox: S,
    record: VendorRecord,
  ) => Promise<{ readonly id: string; readonly parent: string | null }>
  readonly change: (record: VendorRecord) => RecordChange
  readonly reason: SyncErrorReason["_tag"]
}

export type AuthCase<S> =
  /** Minted tokens: make the emulator reject the cached token so the adapter must refresh. */
  | { readonly kind: "token"; readonly tokenPath: string; readonly expire: (sandbox: S) => Promise<void> }
  /** Static keys or self-signed tokens: make the emulator reject them; the adapter fails Unauthorized, no retry. */
  | { readonly kind: "refusal"; readonly revoke: (sandbox: S) => Promise<void> }

/** A connection to the emulator as it would be stored: JSON credentials and options for the definition. */
export interface Settings {
  readonly baseUrl: string
  readonly credentials: Readonly<Record<string, Schema.Json>>
  readonly options: Readonly<Record<string, Schema.Json>>
}

export interface ContractTarget<S extends SandboxLike> {
  readonly definition: VendorDefinition
  readonly start: () => Promise<S>
  /** The settings of a connection to the emulator's first tenant. */
  readonly settings: (sandbox: S) => Settings
  /** Vendor ids the adapter's credentials can see (its organization's records). */
  readonly visibleIds: (sandbox: S) => ReadonlySet<string>
  /** A record (by vendor id) the writable and refusal cases can edit. */
  readonly editable: (sandbox: S) => string
  readonly writable: ReadonlyArray<WritableCase<S>>
  readonly refusedBeforeHttp: ReadonlyArray<RefusalCase>
  readonly rejections: ReadonlyArray<RejectionCase<S>>
  readonly auth: AuthCase<S>
  /** A create the vendor accepts (manifest `canCreate`), and how to tell the created record is that one. */
  readonly create?:
    | {
        readonly draft: (sandbox: S) => RecordDraft
        readonly matches: (record: VendorRecord) => boolean
        /**
         * Whether a logged request is a create. Default: any vendor POST, which fits REST vendors; one whose every
         * call is a POST (Kore.ai's getTasks) names its create path.
         */
        readonly isCreate?: ((request: LoggedRequest) => boolean) | undefined
      }
    | undefined
  /** Deletes a record at the vendor (manifest `deletions` other than `none`); returns its id. */
  readonly deleteAtVendor?: ((sandbox: S) => Promise<string>) | undefined
  /** A record in a terminal status, and a local patch its scheme must refuse before any HTTP call. */
  readonly terminal?: { readonly arrange: (sandbox: S) => Promise<string>; readonly patch: TaskPatch } | undefined
  /**
   * A field of a listed record whose wrong type makes the record unreadable (the emulator's `wrongType` fault changes
   * its first occurrence in the first matching answer), and the method (default GET) and path of the answers that
   * carry records.
   */
  readonly unreadable: { readonly field: string; readonly pathPrefix: string; readonly method?: string }
  /** Gives a record an enum value the adapter has never seen; returns where. */
  readonly unknownEnum: (sandbox: S) => Promise<{ readonly id: string; readonly field: string; readonly value: string }>
}
