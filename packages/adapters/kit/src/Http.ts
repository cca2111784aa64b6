// The HTTP core every adapter's client is: one call = pass the egress policy, take the rate budget (scoped as the manifest says), sign the
// request (the manifest's auth kind), send it without following redirects, read a bounded body under one deadline for
// the whole exchange, refresh a minted token once on a 401, then map a non-2xx answer through the vendor's own
// envelope mapper or the manifest's retryable statuses, and decode a 2xx answer (failing InvalidResponse without
// quoting the body). Nothing here retries; callers apply `vendorRetry()`.
import type { VendorManifest } from "@taskbridge/domain/Capabilities"
import type { SyncError, SyncErrorReason } from "@taskbridge/domain/Errors"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { describeIssue as describeIssueSafely } from "@taskbridge/domain/Issues"
import { Clock, type Duration, Effect, Schema, Stream } from "effect"
import { FetchHttpClient, HttpClient, type HttpClientRequest, type HttpClientResponse } from "effect/http"
import type { Authenticator } from "./Auth.ts"
import { Egress } from "./Egress.ts"
import { parseRetryAfter, reasonForStatus, vendorErrors } from "./Errors.ts"
import { type Limiter, RateBudgets } from "./RateBudget.ts"

/** A vendor answer that is not 2xx, as an adapter's envelope mapper sees it. */
export interface FailedAnswer {
  readonly status: number
  readonly body: unknown
  readonly retryAfter: Duration.Duration | undefined
}

export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/** The unauthenticated half of the core, for building an authenticator that mints tokens through it. */
export interface RawHttp {
  readonly url: (path: string) => string
  /** One exchange with no credentials (a token endpoint); the answer is read by the caller. */
  readonly sendRaw: (
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
  ) => Effect.Effect<Answer, SyncError>
  /** A non-2xx answer as the SyncError the core would give. */
  readonly failure: (operation: string, answer: Answer) => Effect.Effect<SyncError>
  readonly decode: <A, I>(operation: string, schema: Schema.Codec<A, I>, answer: Answer) => Effect.Effect<A, SyncError>
}

export interface HttpOptions {
  readonly manifest: VendorManifest
  readonly baseUrl: string
  /** The manifest's auth kind; built from the raw core when it mints tokens through the vendor. */
  readonly auth: (raw: RawHttp) => Effect.Effect<Authenticator>
  /** Whose budget a call spends: the account (Kore.ai), this connection, or, for `ip`, our one egress address. */
  readonly budgetScope: {
    readonly connectionId: ConnectionId
    readonly account?: string | undefined
    readonly egress?: string | undefined
  }
  /** The vendor's own error envelope, when it says more than the status (Candid `errorName`, Spry `code`). */
  readonly envelope?: ((operation: string, answer: FailedAnswer) => SyncErrorReason | undefined) | undefined
  /** The vendor's message in an error body, for the SyncError's detail; bodies are never quoted otherwise. */
  readonly message?: ((body: unknown) => string | undefined) | undefined
  /** Deadline for one whole exchange (headers and body). Default 60 s. */
  readonly timeoutMillis?: number | undefined
  /** Largest body read; a larger answer is InvalidResponse. Default 32 MiB. */
  readonly maxBodyBytes?: number | undefined
}

export const defaults = { timeoutMillis: 60_000, maxBodyBytes: 32 * 1024 * 1024 } as const

const tooLarge = "answer larger than"

/**
 * Whether `send` failed because the answer crossed `maxBodyBytes`: a caller that can ask for less (a narrower listing
 * window) tells this apart from an answer that is invalid in itself.
 */
export const isTooLarge = (error: SyncError): boolean =>
  error.reason._tag === "InvalidResponse" && error.reason.detail.startsWith(tooLarge)

/** The rate-budget key for a manifest's scope: shared by exactly the connections the vendor counts together. */
export const budgetKey = (manifest: VendorManifest, scope: HttpOptions["budgetScope"]): string | null => {
  const budget = manifest.rateBudget
  if (budget === null) return null
  switch (budget.scope) {
    case "ip":
      return `${manifest.vendor}:ip:${scope.egress ?? "default-egress"}`
    case "account":
      return `${manifest.vendor}:account:${scope.account ?? scope.connectionId}`
    case "connection":
      return `${manifest.vendor}:connection:${scope.connectionId}`
  }
}

/** Issues as `path what is wrong`, never the offending value (the domain's formatter, shared with the store). */
export const describeIssue = describeIssueSafely

/** JSON when it parses, the raw text otherwise (a proxy's HTML error page), null when empty. */
export const parseBody = (text: string): unknown => {
  if (text.trim() === "") return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

class TooLarge {
  readonly _tag = "TooLarge"
}

/** Reads at most `max` bytes; a longer body stops being read (and fails) as soon as it crosses the cap. */
const boundedText = (response: HttpClientResponse.HttpClientResponse, max: number) =>
  response.stream.pipe(
    Stream.runFoldEffect(
      () => ({ chunks: [] as Array<Uint8Array>, size: 0 }),
      (acc, chunk: Uint8Array) => {
        const size = acc.size + chunk.length
        if (size > max) return Effect.fail(new TooLarge())
        acc.chunks.push(chunk)
        return Effect.succeed({ chunks: acc.chunks, size })
      },
    ),
    Effect.map((acc) => Buffer.concat(acc.chunks).toString("utf8")),
  )

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 200)

export const make = Effect.fnUntraced(function* (options: HttpOptions) {
  const http = yield* HttpClient.HttpClient
  const { manifest } = options
  const errors = vendorErrors(manifest.vendor)
  const key = budgetKey(manifest, options.budgetScope)
  const limiter: Limiter | null =
    key === null || manifest.rateBudget === null ? null : yield* (yield* RateBudgets).limiter(key, manifest.rateBudget)
  const timeoutMillis = options.timeoutMillis ?? defaults.timeoutMillis
  const maxBodyBytes = options.maxBodyBytes ?? defaults.maxBodyBytes
  const root = options.baseUrl.replace(/\/+$/, "")
  const egress = yield* Egress

  const url = (path: string) => `${root}${path}`

  /** One exchange, whole: budget, send (no redirects followed), bounded body, all under one deadline. */
  const exchange = (operation: string, request: HttpClientRequest.HttpClientRequest) =>
    Effect.gen(function* () {
      // Before the budget: a refused request must not spend it.
      const refused = yield* egress.refusal(request.url)
      if (refused !== undefined) {
        return yield* Effect.fail(errors.refusal(operation, "baseUrl", `refused by the egress policy: ${refused}`))
      }
      if (limiter !== null) yield* limiter.take
      const response = yield* http
        .execute(request)
        .pipe(Effect.provideService(FetchHttpClient.RequestInit, { redirect: "manual" }))
      const text = yield* boundedText(response, maxBodyBytes)
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(response.headers)) headers[name] = String(value)
      return { status: response.status, headers, body: parseBody(text) } satisfies Answer
    }).pipe(
      Effect.timeoutOrElse({
        duration: timeoutMillis,
        orElse: () => Effect.fail(errors.transport(operation, `no complete answer within ${timeoutMillis} ms`)),
      }),
      Effect.catch((error) =>
        error instanceof TooLarge
          ? Effect.fail(errors.invalidResponse(operation, `${tooLarge} ${maxBodyBytes} bytes`))
          : "_tag" in error && error._tag === "SyncError"
            ? Effect.fail(error as SyncError)
            : Effect.fail(errors.transport(operation, "the connection failed before a whole answer arrived")),
      ),
    )

  /** A non-2xx answer as a SyncError: the vendor's envelope first, then the status class and retryable list. */
  const failure = (operation: string, answer: Answer) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      if (answer.status >= 300 && answer.status < 400) {
        return errors.invalidResponse(operation, `HTTP ${answer.status}: redirects are not followed`)
      }
      const retryAfter = parseRetryAfter(answer.headers["retry-after"], now)
      const failed = { status: answer.status, body: answer.body, retryAfter }
      const size = typeof answer.body === "string" ? answer.body.length : JSON.stringify(answer.body ?? null).length
      const said = options.message?.(answer.body)
      const detail = said === undefined ? `no details (${size} bytes)` : oneLine(said)
      // 429 and the retryable statuses stay retryable whatever the envelope says.
      const reason =
        answer.status === 429 || manifest.retryableStatuses.includes(answer.status)
          ? reasonForStatus(answer.status, detail, manifest.retryableStatuses, retryAfter)
          : (options.envelope?.(operation, failed) ??
            reasonForStatus(answer.status, detail, manifest.retryableStatuses, retryAfter))
      return errors.fail(operation, reason)
    })

  const decode = <A, I>(operation: string, schema: Schema.Codec<A, I>, got: Answer) =>
    Schema.decodeUnknownEffect(schema)(got.body).pipe(
      Effect.mapError((e) =>
        errors.invalidResponse(operation, `the answer does not match the vendor's schema: ${describeIssue(e)}`),
      ),
    )

  const auth = yield* options.auth({ url, sendRaw: exchange, failure, decode })
  if (auth.kind !== manifest.auth) {
    // A manifest that says one auth kind while the client uses another would mislead the console and the docs.
    return yield* Effect.die(new Error(`${manifest.vendor}: manifest says ${manifest.auth}, client uses ${auth.kind}`))
  }

  /** An authenticated call; a 401 with a minted credential drops it and tries exactly once more. */
  const answer = (operation: string, request: HttpClientRequest.HttpClientRequest) =>
    Effect.gen(function* () {
      const first = yield* auth.sign(request)
      const got = yield* exchange(operation, first.request)
      if (got.status !== 401 || !(yield* auth.rejected(first.credential))) return got
      const second = yield* auth.sign(request)
      return yield* exchange(operation, second.request)
    })

  /** An authenticated call whose 2xx answer decodes with `schema`. */
  const send = <A, I>(operation: string, request: HttpClientRequest.HttpClientRequest, schema: Schema.Codec<A, I>) =>
    Effect.gen(function* () {
      const got = yield* answer(operation, request)
      if (got.status < 200 || got.status >= 300) return yield* Effect.flatMap(failure(operation, got), Effect.fail)
      return yield* decode(operation, schema, got)
    })

  return { url, send, answer, failure, decode, errors, authKind: auth.kind }
})

export type VendorHttp = Effect.Success<ReturnType<typeof make>>
