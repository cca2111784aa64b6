// The one table from every error a procedure can fail with to a tRPC code and a message that names the field and the
// rule. `ApiError` is the union procedures may fail with (Trpc.ts enforces it), and the table's type requires a row
// for each of its tags, so a new error cannot reach a caller unmapped. Defects never pass through here.
import type { CredentialsUnreadable } from "@taskbridge/db/ConnectionRepository"
import type { InvalidCursor } from "@taskbridge/db/TaskQuery"
import type {
  ConnectionNotFound,
  ConnectionPaused,
  ConnectionUnusable,
  InvalidTransition,
  PatchRejected,
  StatusNotWritable,
  SyncError,
  TaskNotFound,
  TerminalState,
  VersionConflict,
} from "@taskbridge/domain/Errors"
import type { ConflictNotOpen, HeldDeletionNotFound, PersistenceError } from "@taskbridge/domain/ports/Repositories"
import type { InvalidResolution } from "@taskbridge/sync/Conflicts"
import type { DeadLetterNotFound } from "@taskbridge/sync/DeadLetters"
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server"
import { Schema } from "effect"

/** An API-level refusal that is not a domain error: a field of the input that breaks a rule only the API knows. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  rule: Schema.String,
  detail: Schema.String,
}) {
  override get message() {
    return `${this.field} (${this.rule}): ${this.detail}`
  }
}

/** A token id that is not one of the caller's organization's live tokens. */
export class TokenNotFound extends Schema.TaggedError<TokenNotFound>()("TokenNotFound", { id: Schema.String }) {
  override get message() {
    return `token ${this.id} not found`
  }
}

export type ApiError =
  | TaskNotFound
  | ConnectionNotFound
  | ConnectionUnusable
  | ConnectionPaused
  | CredentialsUnreadable
  | InvalidTransition
  | TerminalState
  | StatusNotWritable
  | VersionConflict
  | PatchRejected
  | SyncError
  | PersistenceError
  | InvalidCursor
  | ConflictNotOpen
  | InvalidResolution
  | DeadLetterNotFound
  | HeldDeletionNotFound
  | InvalidInput
  | TokenNotFound

/** What a caller gets: a code, a message, and structured details a client can act on (violations, versions). */
export interface Mapped {
  readonly code: TRPC_ERROR_CODE_KEY
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>> | undefined
}

type Table = { readonly [K in ApiError["_tag"]]: (error: Extract<ApiError, { readonly _tag: K }>) => Mapped }

const table: Table = {
  TaskNotFound: (e) => ({ code: "NOT_FOUND", message: `id: ${e.message}` }),
  ConnectionNotFound: (e) => ({ code: "NOT_FOUND", message: `connectionId: ${e.message}` }),
  ConnectionUnusable: (e) => ({ code: "PRECONDITION_FAILED", message: `connectionId: ${e.message}` }),
  ConnectionPaused: (e) => ({ code: "PRECONDITION_FAILED", message: `connectionId: ${e.message}` }),
  // The reason names the key problem, never the credentials (ConnectionRepository guarantees it).
  CredentialsUnreadable: (e) => ({ code: "PRECONDITION_FAILED", message: `credentials: ${e.message}` }),
  InvalidTransition: (e) => ({
    code: "BAD_REQUEST",
    message: e.message,
    details: { field: e.field, rule: "transition" },
  }),
  TerminalState: (e) => ({
    code: "PRECONDITION_FAILED",
    message: e.message,
    details: { field: e.field, rule: "terminal-state" },
  }),
  StatusNotWritable: (e) => ({
    code: "BAD_REQUEST",
    message: e.message,
    details: { field: e.field, rule: "not-writable" },
  }),
  VersionConflict: (e) => ({
    code: "CONFLICT",
    message: `expectedVersion: ${e.message}`,
    details: { field: "expectedVersion", rule: "stale-version", currentVersion: e.currentVersion },
  }),
  PatchRejected: (e) => ({ code: "BAD_REQUEST", message: e.message, details: { violations: e.violations } }),
  SyncError: (e) => ({
    code:
      e.reason._tag === "NotFound"
        ? "NOT_FOUND"
        : e.reason._tag === "Unauthorized"
          ? "PRECONDITION_FAILED"
          : "BAD_GATEWAY",
    message: e.message,
  }),
  // The database's message can quote constraint names; the caller learns only that storage failed.
  PersistenceError: (e) => ({ code: "INTERNAL_SERVER_ERROR", message: `storage failed during ${e.operation}` }),
  InvalidCursor: (e) => ({
    code: "BAD_REQUEST",
    message: `cursor: ${e.message}`,
    details: { field: "cursor", rule: "cursor" },
  }),
  ConflictNotOpen: (e) => ({ code: "NOT_FOUND", message: `id: ${e.message}` }),
  InvalidResolution: (e) => ({ code: "BAD_REQUEST", message: e.message, details: { field: "value", rule: e.field } }),
  DeadLetterNotFound: (e) => ({ code: "NOT_FOUND", message: `id: ${e.message}` }),
  HeldDeletionNotFound: (e) => ({ code: "NOT_FOUND", message: `id: ${e.message}` }),
  InvalidInput: (e) => ({ code: "BAD_REQUEST", message: e.message, details: { field: e.field, rule: e.rule } }),
  TokenNotFound: (e) => ({ code: "NOT_FOUND", message: `id: ${e.message}` }),
}

export const mapError = (error: ApiError): Mapped => (table[error._tag] as (e: ApiError) => Mapped)(error)

/** The tags the table maps; exported so a test can prove every one of them has a row. */
export const mappedTags = Object.keys(table) as ReadonlyArray<ApiError["_tag"]>
