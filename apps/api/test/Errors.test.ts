// The error table: one instance of every error a procedure may fail with, mapped to the code and message a caller
// sees. A tag added to `ApiError` without a sample here fails the coverage check, so no error reaches callers untested.
// And a server-side failure is logged with its cause while the caller learns only that it happened.
import { CredentialsUnreadable } from "@taskbridge/db/ConnectionRepository"
import { InvalidCursor } from "@taskbridge/db/TaskQuery"
import {
  ConnectionNotFound,
  ConnectionPaused,
  ConnectionUnusable,
  InvalidTransition,
  NotFound,
  PatchRejected,
  StatusNotWritable,
  SyncError,
  TaskNotFound,
  TerminalState,
  Transient,
  Unauthorized,
  VersionConflict,
} from "@taskbridge/domain/Errors"
import { ConflictNotOpen, HeldDeletionNotFound, PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { InvalidResolution } from "@taskbridge/sync/Conflicts"
import { DeadLetterNotFound } from "@taskbridge/sync/DeadLetters"
import { TRPCError } from "@trpc/server"
import { Effect, Logger, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { type ApiError, InvalidInput, mapError, mappedTags, TokenNotFound } from "../src/Errors.ts"
import { type ApiContext, run } from "../src/Trpc.ts"

const violation = { field: "title", rule: "non-empty", vendor: null, message: "a title cannot be empty" } as const

/** Each sample with the code it must map to and a text its message must contain. */
const samples: ReadonlyArray<readonly [ApiError, string, string]> = [
  [new TaskNotFound({ id: "t1" }), "NOT_FOUND", "id: task t1"],
  [new ConnectionNotFound({ id: "c1" }), "NOT_FOUND", "connectionId"],
  [new ConnectionUnusable({ id: "c1", reason: "no spry adapter yet" }), "PRECONDITION_FAILED", "connectionId"],
  [new ConnectionPaused({ id: "c1" }), "PRECONDITION_FAILED", "resume it first"],
  [new CredentialsUnreadable({ connectionId: "c1", reason: "wrong key" }), "PRECONDITION_FAILED", "credentials"],
  [
    new InvalidTransition({ field: "status", from: "done", event: "start", vendor: null }),
    "BAD_REQUEST",
    "status: cannot start",
  ],
  [new TerminalState({ field: "status", status: "FULFILLED", vendor: "spry" }), "PRECONDITION_FAILED", "terminal"],
  [
    new StatusNotWritable({ field: "status", target: "done", vendor: "spry", reason: "only CANCELLED" }),
    "BAD_REQUEST",
    "status: cannot write",
  ],
  [new VersionConflict({ id: "t1", expectedVersion: 1, currentVersion: 3 }), "CONFLICT", "expectedVersion"],
  [new PatchRejected({ violations: [violation] }), "BAD_REQUEST", "title (non-empty)"],
  [
    new SyncError({ vendor: "candid", operation: "get", reason: new NotFound({ detail: "gone" }) }),
    "NOT_FOUND",
    "candid get failed",
  ],
  [
    new SyncError({ vendor: "candid", operation: "list", reason: new Unauthorized({ detail: "bad secret" }) }),
    "PRECONDITION_FAILED",
    "Unauthorized",
  ],
  [
    new SyncError({ vendor: "candid", operation: "list", reason: new Transient({ detail: "503" }) }),
    "BAD_GATEWAY",
    "Transient",
  ],
  [
    new PersistenceError({ operation: "TaskRepository.get", detail: 'relation "tasks" does not exist' }),
    "INTERNAL_SERVER_ERROR",
    "storage failed during TaskRepository.get",
  ],
  [new InvalidCursor({ cursor: "x" }), "BAD_REQUEST", "cursor:"],
  [new ConflictNotOpen({ id: "k1" }), "NOT_FOUND", "id: conflict k1"],
  [new InvalidResolution({ field: "status", reason: "not a status" }), "BAD_REQUEST", "value: not a valid status"],
  [new DeadLetterNotFound({ id: "o1" }), "NOT_FOUND", "id: outbox entry o1"],
  [new HeldDeletionNotFound({ id: "d1" }), "NOT_FOUND", "id: held deletion d1"],
  [
    new InvalidInput({ field: "baseUrl", rule: "http-url", detail: "must be http(s)" }),
    "BAD_REQUEST",
    "baseUrl (http-url)",
  ],
  [new TokenNotFound({ id: "tok" }), "NOT_FOUND", "id: token tok"],
]

describe("the error table", () => {
  it("has a sample here for every tag it maps", () => {
    expect(new Set(samples.map(([error]) => error._tag))).toEqual(new Set(mappedTags))
  })

  it.each(samples.map(([error, code, text]) => [error._tag, error, code, text] as const))(
    "maps %s to its code with a message naming the field",
    (_, error, code, text) => {
      const mapped = mapError(error)
      expect(mapped.code).toBe(code)
      expect(mapped.message).toContain(text)
    },
  )

  it("gives structured details a client can act on", () => {
    expect(mapError(new VersionConflict({ id: "t1", expectedVersion: 1, currentVersion: 3 })).details).toEqual({
      field: "expectedVersion",
      rule: "stale-version",
      currentVersion: 3,
    })
    expect(mapError(new PatchRejected({ violations: [violation] })).details).toEqual({ violations: [violation] })
  })

  it("never shows the database's own words", () => {
    const mapped = mapError(new PersistenceError({ operation: "TaskRepository.get", detail: 'relation "tasks"' }))
    expect(JSON.stringify(mapped)).not.toContain("relation")
  })
})

describe("a request that fails on the server", () => {
  /** A runtime whose log lines are collected; `run` needs nothing else from it for these effects. */
  const logged = () => {
    const lines: Array<string> = []
    const capture = Logger.make(({ message }) => {
      lines.push(
        (Array.isArray(message) ? message : [message])
          .map((m) => (m instanceof Error ? m.message : String(m)))
          .join(" "),
      )
    })
    const runtime = ManagedRuntime.make(Logger.layer([capture]))
    const ctx = { runtime: runtime as unknown as ApiContext["runtime"], identity: null }
    return { lines, ctx, dispose: () => runtime.dispose() }
  }

  it("logs a storage failure with its cause, which the caller never sees", async () => {
    const { lines, ctx, dispose } = logged()
    const failure = new PersistenceError({ operation: "TaskQuery.list", detail: "UnknownError [SQLSTATE 22021]" })
    const error = await run(ctx, Effect.fail(failure)).catch((e: unknown) => e)
    await dispose()
    expect(error).toBeInstanceOf(TRPCError)
    expect((error as TRPCError).code).toBe("INTERNAL_SERVER_ERROR")
    expect((error as TRPCError).message).not.toContain("SQLSTATE")
    expect(lines.join("\n")).toContain("storage failed during TaskQuery.list: UnknownError [SQLSTATE 22021]")
  })

  it("logs a defect and answers only that it happened", async () => {
    const { lines, ctx, dispose } = logged()
    const error = await run(ctx, Effect.die(new Error("a bug"))).catch((e: unknown) => e)
    await dispose()
    expect((error as TRPCError).message).toBe("internal error; it has been logged")
    expect(lines.join("\n")).toContain("request failed with a defect")
  })
})
