// The API's HTTP server (node:http): tRPC at `/trpc` (queries, mutations, and `events` as server-sent events),
// vendor webhooks at `/webhooks/<vendor>/<connectionId>`, the console's session at `/session`, its one-time sign-in
// page at `/signin`, `/healthz`, and the built console itself for every other GET. tRPC authenticates with
// `Authorization: Bearer <token>` or the console's session cookie (whose changes must pass the CSRF rule) through the
// same context builder that `createCaller` tests use; an address that keeps presenting bad tokens or sessions is
// slowed, then refused for a while (BadTokens.ts).
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { createHTTPHandler } from "@trpc/server/adapters/standalone"
import { Effect, type ManagedRuntime } from "effect"
import { type BadTokenPolicy, makeBadTokens } from "./BadTokens.ts"
import { defaultConsoleDir, securityHeaders, serveConsole } from "./Console.ts"
import { appRouter } from "./Router.ts"
import type { ApiServices } from "./Services.ts"
import { csrfRefusal, handleSession, sessionCookie } from "./Session.ts"
import { signInPage, signInScriptHash } from "./SignIn.ts"
import { type ApiContext, identifyCaller, logInternal } from "./Trpc.ts"
import { receive } from "./Webhooks.ts"

type Runtime = ManagedRuntime.ManagedRuntime<ApiServices, unknown>

/** The tRPC context for a request carrying `authorization` or, without one, a session cookie's `session` id. */
export const contextFor = async (
  runtime: Runtime,
  authorization: string | undefined,
  session?: string | undefined,
): Promise<ApiContext> => ({
  runtime,
  identity: await identifyCaller(runtime, { authorization, session }),
  authorization,
  session: authorization === undefined ? session : undefined,
})

/** The largest tRPC request body and the largest webhook body. */
export const maxRequestBytes = 1024 * 1024
const maxWebhookBytes = maxRequestBytes

/**
 * The body, or null once it is over the cap: a declared length over it is refused without reading, and a body that
 * grows past it stops being kept (the rest is drained and dropped), so the sender gets its 413 instead of a reset.
 */
const readBody = (request: IncomingMessage) =>
  new Promise<Buffer | null>((resolve, reject) => {
    if (Number(request.headers["content-length"] ?? 0) > maxWebhookBytes) {
      request.resume()
      return resolve(null)
    }
    const chunks: Array<Buffer> = []
    let size = 0
    const collect = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxWebhookBytes) return void chunks.push(chunk)
      request.off("data", collect)
      chunks.length = 0
      request.resume()
      resolve(null)
    }
    request.on("data", collect)
    request.on("end", () => resolve(size > maxWebhookBytes ? null : Buffer.concat(chunks)))
    request.on("error", reject)
  })

export interface ApiServer {
  readonly url: string
  readonly server: Server
  readonly close: () => Promise<void>
}

export interface ServerOptions {
  readonly port?: number | undefined
  readonly host?: string | undefined
  /** How repeated bad tokens from one address are slowed, then refused (BadTokens.ts). */
  readonly badTokens?: BadTokenPolicy | undefined
  /** The built console (default: apps/admin/dist beside this app). */
  readonly consoleDir?: string | undefined
}

const addressOf = (request: IncomingMessage) => request.socket.remoteAddress ?? "unknown"

/** The refusal in tRPC's error shape, so a client reports it like any other error. */
const tooManyBadTokens = (retryAfterSeconds: number) => ({
  error: {
    message: `authorization: too many invalid tokens from this address; try again in ${retryAfterSeconds} s`,
    code: -32029,
    data: { code: "TOO_MANY_REQUESTS", httpStatus: 429 },
  },
})

/** Listens on `host:port` (default 127.0.0.1:4000; port 0 picks a free one) and serves the API on `runtime`. */
export const listen = async (runtime: Runtime, options: ServerOptions = {}): Promise<ApiServer> => {
  const badTokens = makeBadTokens(options.badTokens)
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    // No input is near this (the largest field is a 50,000-character description); a larger body is refused with
    // 413 before it is parsed, so one request cannot hold the event loop.
    maxBodySize: maxRequestBytes,
    onError: logInternal(runtime),
    createContext: async ({ req }) => {
      const cookie = sessionCookie(req)
      const context = await contextFor(runtime, req.headers.authorization, cookie)
      if (context.identity === null && (req.headers.authorization !== undefined || cookie !== undefined))
        badTokens.failed(addressOf(req))
      return context
    },
  })
  const consoleDir = options.consoleDir ?? defaultConsoleDir
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost")
    /** Refused before the token is looked up: guessing costs the guesser time and the database nothing. */
    const refuse = (retryAfterSeconds: number) => {
      response.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfterSeconds) })
      response.end(JSON.stringify(tooManyBadTokens(retryAfterSeconds)))
    }
    const reply = (status: number, body: unknown, close = false) => {
      response.writeHead(status, { "content-type": "application/json", ...(close ? { connection: "close" } : {}) })
      response.end(JSON.stringify(body))
    }
    if (url.pathname.startsWith("/trpc/")) {
      // A browser signed in by cookie must prove a change is its own (CSRF); a Bearer caller already proves it.
      const byCookie = request.headers.authorization === undefined && sessionCookie(request) !== undefined
      const reads = request.method === "GET" || request.method === "HEAD"
      const refused = byCookie && !reads ? csrfRefusal(request) : null
      if (refused !== null) return reply(403, { error: { message: refused, code: "FORBIDDEN" } })
      if (request.headers.authorization === undefined && !byCookie) return trpc(request, response)
      const verdict = badTokens.verdict(addressOf(request))
      if (verdict._tag === "Refuse") return refuse(verdict.retryAfterSeconds)
      if (verdict.delayMillis === 0) return trpc(request, response)
      setTimeout(() => void trpc(request, response), verdict.delayMillis)
      return
    }
    if (url.pathname === "/healthz") return reply(200, { ok: true })
    if (url.pathname === "/session" || url.pathname === "/session/link") {
      // A token (or sign-in code) tried here counts against the address like one sent to tRPC.
      const verdict = request.method === "POST" ? badTokens.verdict(addressOf(request)) : null
      if (verdict?._tag === "Refuse") return refuse(verdict.retryAfterSeconds)
      void readBody(request).then(
        (body) =>
          handleSession(runtime, request, response, url.pathname, body)
            .then(() => {
              if (request.method === "POST" && response.statusCode === 401) badTokens.failed(addressOf(request))
            })
            .catch((error: unknown) => {
              // A store failure: logged with its cause here; the browser only learns that it happened.
              void runtime.runPromise(Effect.logError(`${request.method} ${url.pathname} failed`, error))
              reply(500, { error: "internal error; it has been logged" })
            }),
        () => reply(400, { error: "the request body could not be read" }),
      )
      return
    }
    if (url.pathname === "/signin" && (request.method === "GET" || request.method === "HEAD")) {
      response.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        ...securityHeaders([signInScriptHash]),
      })
      return void response.end(request.method === "HEAD" ? undefined : signInPage)
    }
    const hook = /^\/webhooks\/([a-z]+)\/([^/]+)$/.exec(url.pathname)
    if (hook !== null && request.method === "POST") {
      void readBody(request).then(
        async (body) => {
          if (body === null) return reply(413, { error: `body larger than ${maxWebhookBytes} bytes` }, true)
          const answer = await runtime.runPromise(
            receive({ vendor: hook[1] ?? "", connectionId: hook[2] ?? "", headers: request.headers, body }),
          )
          reply(answer.status, answer.body)
        },
        () => reply(400, { error: "the request body could not be read" }),
      )
      return
    }
    const owned = url.pathname.startsWith("/webhooks/") || url.pathname.startsWith("/session/")
    if (!owned && (request.method === "GET" || request.method === "HEAD")) {
      void serveConsole(consoleDir, request, response, url.pathname).catch(() => response.destroy())
      return
    }
    reply(404, { error: `no route for ${request.method} ${url.pathname}` })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 4000, options.host ?? "127.0.0.1", () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        // Open SSE streams would hold `close` forever; they are ended so shutdown is prompt.
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
