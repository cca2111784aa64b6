// tRPC's building blocks for taskbridge: the request context (the process's one ManagedRuntime and the verified
// caller), procedures per role, Effect schemas as inputs, and `run`, which executes a procedure's Effect on the
// runtime and turns its typed failure into a tRPC error through Errors.ts (defects become INTERNAL_SERVER_ERROR).
import {
  type ApiRole,
  hashToken,
  OrganizationRepository,
  type TokenIdentity,
} from "@taskbridge/db/OrganizationRepository"
import { type SessionInfo, SessionRepository } from "@taskbridge/db/SessionRepository"
import { limits, unstorable } from "@taskbridge/domain/Text"
import { initTRPC, StandardSchemaV1Error, TRPCError } from "@trpc/server"
import {
  type Brand,
  Cause,
  type DateTime,
  type Duration,
  Effect,
  Exit,
  type ManagedRuntime,
  Redacted,
  Schema,
} from "effect"
import type { StandardSchemaV1 } from "effect/StandardSchema"
import { type ApiError, mapError, mappedTags } from "./Errors.ts"
import type { ApiServices } from "./Services.ts"

export interface ApiContext {
  readonly runtime: ManagedRuntime.ManagedRuntime<ApiServices, unknown>
  /** The verified caller; null when the request carried no valid token. */
  readonly identity: TokenIdentity | null
  /** The request's Authorization header, so a long-lived subscription can check its token again. */
  readonly authorization?: string | undefined
  /** The session cookie's id when the request had no Authorization header (a signed-in console). */
  readonly session?: string | undefined
}

/**
 * Verified tokens are remembered for half a second (by their hash, never the token): a busy client's calls then
 * cost one lookup per half second instead of one each, and a revocation still reaches every request and every open
 * stream (which re-verifies on each poll) within a second. What is remembered is the lookup itself, from the moment
 * it starts: requests that arrive while it runs share it (under load dozens arrive in one lookup's time, and each
 * used to make its own). A lookup that fails is forgotten at once, so the next request tries again.
 */
const verifiedFor = 500
/** A lookup, running or done, and when it started. */
interface Remembered<A> {
  readonly answer: Promise<A>
  readonly at: number
}
// (A revocation by another process reaches this one when the entry ages out; `tokens.revoke` here clears it at once.)
const verified = new Map<string, Remembered<TokenIdentity | null>>()
const sessionsSeen = new Map<string, Remembered<SessionInfo | null>>()

/** Forgets every remembered verification: a revocation in this process applies to its very next request. */
export const forgetVerified = () => {
  verified.clear()
  sessionsSeen.clear()
}

/** `lookup`'s answer for `key`, shared with every caller of the last `verifiedFor` ms (see above). */
const remembered = <A>(seen: Map<string, Remembered<A>>, key: string, lookup: () => Promise<A>): Promise<A> => {
  const now = performance.now()
  const known = seen.get(key)
  if (known !== undefined && now - known.at < verifiedFor) return known.answer
  if (seen.size > 10_000) seen.clear()
  const answer = lookup()
  const entry = { answer, at: now }
  seen.set(key, entry)
  // Only this entry: a newer lookup (after a revocation cleared the map) is not dropped by an older failure.
  answer.catch(() => {
    if (seen.get(key) === entry) seen.delete(key)
  })
  return answer
}

/** The caller a `Bearer` header names, or null (no header, another scheme, an unknown or revoked token). */
export const identify = (
  runtime: ApiContext["runtime"],
  authorization: string | undefined,
): Promise<TokenIdentity | null> => {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")
  const token = match?.[1]
  if (token === undefined) return Promise.resolve(null)
  return remembered(verified, hashToken(Redacted.make(token)), () =>
    runtime.runPromise(
      OrganizationRepository.use((orgs) => orgs.verifyToken(Redacted.make(token))).pipe(
        // A store failure must not read as "unauthenticated"; it is logged and the request fails as a 500.
        Effect.tapCause((cause) => Effect.logError("token verification failed", cause)),
      ),
    ),
  )
}

/**
 * The session a console's cookie names (its token's identity, organization name and expiry), or null: unknown, signed
 * out, expired, or its token revoked. Remembered like a token, by the id's hash, for half a second.
 */
export const identifySession = (runtime: ApiContext["runtime"], session: string): Promise<SessionInfo | null> =>
  remembered(sessionsSeen, hashToken(Redacted.make(session)), () =>
    runtime.runPromise(
      SessionRepository.use((sessions) => sessions.verify(Redacted.make(session))).pipe(
        Effect.tapCause((cause) => Effect.logError("session verification failed", cause)),
      ),
    ),
  )

/**
 * The caller of a request: its Bearer token when it sent an Authorization header (a wrong one is not rescued by a
 * cookie), else its session cookie.
 */
export const identifyCaller = async (
  runtime: ApiContext["runtime"],
  credentials: { readonly authorization?: string | undefined; readonly session?: string | undefined },
): Promise<TokenIdentity | null> => {
  if (credentials.authorization !== undefined) return identify(runtime, credentials.authorization)
  if (credentials.session === undefined) return null
  return (await identifySession(runtime, credentials.session))?.identity ?? null
}

/** Whether `identity` has at least `role`. */
export const hasRole = (identity: TokenIdentity, role: ApiRole): boolean => rank[identity.role] >= rank[role]

/** Carried as a TRPCError's cause so the formatter can put structured details beside the message. */
class Details extends Error {
  readonly details: Readonly<Record<string, unknown>>
  constructor(message: string, details: Readonly<Record<string, unknown>>) {
    super(message)
    this.details = details
  }
}

export interface Issue {
  readonly path: string
  readonly message: string
}

const issuesOf = (error: StandardSchemaV1Error): ReadonlyArray<Issue> =>
  error.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message }))

const t = initTRPC.context<ApiContext>().create({
  errorFormatter: ({ shape, error }) => {
    const cause = error.cause
    if (cause instanceof StandardSchemaV1Error) {
      const issues = issuesOf(cause)
      const message = issues.map((i) => i.message).join("; ")
      return { ...shape, message, data: { ...shape.data, stack: undefined, issues } }
    }
    const details = cause instanceof Details ? cause.details : undefined
    return { ...shape, data: { ...shape.data, stack: undefined, ...(details === undefined ? {} : { details }) } }
  },
})

export const router = t.router
export const createCallerFactory = t.createCallerFactory

const rank: Record<ApiRole, number> = { viewer: 0, operator: 1, admin: 2 }

/** A procedure that needs a token whose role is at least `role`; its `ctx.identity` is then non-null. */
export const procedure = (role: ApiRole) =>
  t.procedure.use(({ ctx, next }) => {
    const identity = ctx.identity
    if (identity === null) {
      throw new TRPCError({
        code: "UNAUTHORIZED",
        message: "Authorization: a valid Bearer token (or a signed-in console session) is required",
      })
    }
    if (!hasRole(identity, role)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `role: this needs the ${role} role; the token has ${identity.role}`,
      })
    }
    return next({ ctx: { ...ctx, identity } })
  })

type Path = ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>
const pathText = (path: Path | undefined) =>
  (path ?? []).map((p) => String(typeof p === "object" && p !== null ? p.key : p)).join(".")

/** Input fields whose values are secrets: a refusal names the field and the rule, never the value. */
const secretFields = new Set(["credentials"])

const describe = (issue: StandardSchemaV1.Issue): StandardSchemaV1.Issue => {
  const path = pathText(issue.path)
  const secret = secretFields.has(path.split(".")[0] ?? "")
  const message = secret
    ? `must be storable text of at most ${limits.credential} characters (the value is not shown: it is a secret)`
    : issue.message
  return { ...issue, message: `${path === "" ? "input" : path}: ${message}` }
}

const inputSchema = Symbol.for("@taskbridge/api/inputSchema")

/**
 * An Effect schema as a tRPC input: the caller sends its JSON (encoded) form, the procedure gets the decoded value.
 * Each refusal's message starts with the field's path, so even the first issue alone names field and rule.
 */
export const input = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) =>
  // The JSON codec's `Encoded` is plain `Json`, which would let a client send any shape; callers are typed by the
  // schema's own encoded form as JSON (`Wire`), so a wrong input is a compile error in the client too. The schema
  // itself stays reachable (`schemaOf`), so tests can derive inputs from it.
  Object.assign(explained(Schema.toStandardSchemaV1(Schema.toCodecJson(schema))), {
    [inputSchema]: schema,
  }) as unknown as StandardSchemaV1<Wire<S["Encoded"]>, S["Type"]>

/** The Effect schema a procedure's input parser was made from (`input`), if it was. */
export const schemaOf = (parser: unknown): Schema.Top | undefined =>
  typeof parser === "object" && parser !== null && inputSchema in parser
    ? (parser as { readonly [inputSchema]: Schema.Top })[inputSchema]
    : undefined

const explained = <I, A>(standard: StandardSchemaV1<I, A>): StandardSchemaV1<I, A> => {
  const inner = standard["~standard"]
  const explain = (result: StandardSchemaV1.Result<A>): StandardSchemaV1.Result<A> =>
    result.issues === undefined ? result : { issues: result.issues.map(describe) }
  return {
    "~standard": {
      ...inner,
      validate: (value) => {
        const unsafe = guard(value, [], 0)
        if (unsafe !== undefined) return explain({ issues: [unsafe] })
        const result = inner.validate(value)
        return result instanceof Promise ? result.then(explain) : explain(result)
      },
    },
  }
}

/** Nesting beyond this is no input any procedure takes; the schemas' own maxima are far below the other two. */
const guardLimits = { depth: 32, text: 100_000, items: 10_000 } as const

/**
 * The rule every input obeys before its schema looks at it, whatever the field (JSON options and record keys
 * included): text must be storable (no NUL, no unpaired surrogate), and nothing is absurdly long or deep. The first
 * breach is reported with its path, like a schema issue.
 */
const guard = (value: unknown, path: ReadonlyArray<PropertyKey>, depth: number): StandardSchemaV1.Issue | undefined => {
  if (typeof value === "string") {
    const why = unstorable(value)
    if (why !== undefined) return { path, message: why }
    return value.length > guardLimits.text ? { path, message: `longer than ${guardLimits.text} characters` } : undefined
  }
  if (typeof value !== "object" || value === null) return undefined
  if (depth >= guardLimits.depth) return { path, message: `nested deeper than ${guardLimits.depth} levels` }
  if (Array.isArray(value)) {
    if (value.length > guardLimits.items) return { path, message: `more than ${guardLimits.items} items` }
    for (const [index, item] of value.entries()) {
      const found = guard(item, [...path, index], depth + 1)
      if (found !== undefined) return found
    }
    return undefined
  }
  const entries = Object.entries(value)
  if (entries.length > guardLimits.items) return { path, message: `more than ${guardLimits.items} entries` }
  for (const [key, item] of entries) {
    const why = unstorable(key)
    if (why !== undefined) return { path: [...path, "(key)"], message: `a key ${why}` }
    const found = guard(item, [...path, key], depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * The JSON form of a domain type, as a client receives it: instants are ISO strings, brands are erased, and
 * structures keep their shape. (`toCodecJson`'s own `Encoded` is just `Json`, which would tell a client nothing.)
 */
export type Wire<T> = T extends DateTime.DateTime
  ? string
  : T extends Duration.Duration
    ? number
    : T extends string & Brand.Brand<infer _K>
      ? string
      : T extends number & Brand.Brand<infer _K>
        ? number
        : T extends string | number | boolean | null | undefined
          ? T
          : T extends ReadonlyArray<infer U>
            ? ReadonlyArray<Wire<U>>
            : T extends object
              ? { readonly [K in keyof T]: Wire<T[K]> }
              : T

/** A domain value in its encoded (JSON) form, as procedures return it. */
export const output = <S extends Schema.Top & { readonly EncodingServices: never }>(schema: S) => {
  const encode = Schema.encodeSync(Schema.toCodecJson(schema))
  return (value: S["Type"]): Wire<S["Type"]> => encode(value) as Wire<S["Type"]>
}

const isApiError = (error: unknown): error is ApiError =>
  typeof error === "object" && error !== null && "_tag" in error && mappedTags.includes(error._tag as ApiError["_tag"])

/**
 * Runs a procedure's Effect on the process's runtime. A typed failure becomes its row of the error table; anything
 * else (a defect, an interruption) is logged here and reaches the caller only as INTERNAL_SERVER_ERROR.
 */
export const run = async <A>(ctx: ApiContext, effect: Effect.Effect<A, ApiError, ApiServices>): Promise<A> => {
  const exit = await ctx.runtime.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  // The runtime's own failure (its layer could not be built) is not an ApiError; it is reported like a defect.
  if (failure !== undefined && isApiError(failure.error)) {
    const mapped = mapError(failure.error)
    // A typed failure the caller cannot fix (storage) is a 500: logged here with its cause, which the caller never sees.
    if (mapped.code === "INTERNAL_SERVER_ERROR") {
      await ctx.runtime.runPromise(Effect.logError(`request failed: ${failure.error.message}`))
    }
    throw logged(
      new TRPCError({
        code: mapped.code,
        message: mapped.message,
        cause: new Details(mapped.message, mapped.details ?? {}),
      }),
    )
  }
  await ctx.runtime.runPromise(Effect.logError("request failed with a defect", exit.cause))
  throw logged(new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "internal error; it has been logged" }))
}

const alreadyLogged = new WeakSet<TRPCError>()
const logged = (error: TRPCError) => {
  alreadyLogged.add(error)
  return error
}

/**
 * The HTTP handler's `onError`: a 500 that did not come through `run` (a throw in tRPC itself or a resolver) is
 * logged with its cause; the caller sees only that it happened.
 */
export const logInternal =
  (runtime: ApiContext["runtime"]) =>
  ({ error, path }: { readonly error: TRPCError; readonly path?: string | undefined }) => {
    if (error.code !== "INTERNAL_SERVER_ERROR" || alreadyLogged.has(error)) return
    void runtime.runPromise(Effect.logError(`request ${path ?? "(unknown)"} failed`, error.cause ?? error))
  }
