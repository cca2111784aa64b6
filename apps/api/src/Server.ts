// The API's HTTP server (node:http): tRPC at `/trpc` (queries, mutations, and `events` as server-sent events),
// vendor webhooks at `/webhooks/<vendor>/<connectionId>`, and `/healthz`. Every request authenticates with
// `Authorization: Bearer <token>` through the same context builder that `createCaller` tests use; an address that
// keeps sending bad tokens is slowed, then refused for a while (BadTokens.ts).
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { createHTTPHandler } from "@trpc/server/adapters/standalone"
import type { ManagedRuntime } from "effect"
import { type BadTokenPolicy, makeBadTokens } from "./BadTokens.ts"
import { appRouter } from "./Router.ts"
import type { ApiServices } from "./Services.ts"
import { type ApiContext, identify, logInternal } from "./Trpc.ts"
import { receive } from "./Webhooks.ts"

type Runtime = ManagedRuntime.ManagedRuntime<ApiServices, unknown>

/** The tRPC context for a request carrying `authorization`. */
export const contextFor = async (runtime: Runtime, authorization: string | undefined): Promise<ApiContext> => ({
  runtime,
  identity: await identify(runtime, authorization),
  authorization,
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
      const context = await contextFor(runtime, req.headers.authorization)
      if (context.identity === null && req.headers.authorization !== undefined) badTokens.failed(addressOf(req))
      return context
    },
  })
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost")
    const reply = (status: number, body: unknown, close = false) => {
      response.writeHead(status, { "content-type": "application/json", ...(close ? { connection: "close" } : {}) })
      response.end(JSON.stringify(body))
    }
    if (url.pathname.startsWith("/trpc/")) {
      if (request.headers.authorization === undefined) return trpc(request, response)
      const verdict = badTokens.verdict(addressOf(request))
      if (verdict._tag === "Refuse") {
        // Refused before the token is looked up: guessing costs the guesser time and the database nothing.
        response.writeHead(429, {
          "content-type": "application/json",
          "retry-after": String(verdict.retryAfterSeconds),
        })
        response.end(JSON.stringify(tooManyBadTokens(verdict.retryAfterSeconds)))
        return
      }
      if (verdict.delayMillis === 0) return trpc(request, response)
      setTimeout(() => void trpc(request, response), verdict.delayMillis)
      return
    }
    if (url.pathname === "/healthz") return reply(200, { ok: true })
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
