// The HTTP core against a real local server: one deadline covers headers and body (a trickling answer is cut off), a
// body over the cap stops being read, a redirect is never followed (the credential never reaches the other origin),
// an error body is never quoted, and the egress policy refuses internal, plain-http and userinfo URLs before any
// request or budget is spent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { assert, describe, it } from "@effect/vitest"
import type { VendorManifest } from "@taskbridge/domain/Capabilities"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect, Redacted, Schema } from "effect"
import { FetchHttpClient, HttpClientRequest } from "effect/http"
import { apiKey } from "../src/Auth.ts"
import { check, Egress, isInternalAddress, rulesFrom, strict } from "../src/Egress.ts"
import * as Http from "../src/Http.ts"
import { RateBudgets } from "../src/RateBudget.ts"

const manifest = {
  vendor: "vambe",
  displayName: "Test vendor",
  docsUrl: "https://example.test/docs",
  defaultBaseUrl: "https://example.test",
  recordKind: "task",
  auth: "api-key",
  rateBudget: null,
  retryableStatuses: [503],
  webhookSignature: null,
  pageSize: 10,
  lookBeforeWrite: { via: "read" },
} as unknown as VendorManifest

type Handler = (request: IncomingMessage, response: ServerResponse) => void

/** A server on a free loopback port for the scope; `hits` counts the requests it received, with their headers. */
const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ url: string; server: Server; hits: Array<IncomingMessage["headers"]> }>((resolve) => {
          const hits: Array<IncomingMessage["headers"]> = []
          const server = createServer((request, response) => {
            hits.push(request.headers)
            handler(request, response)
          })
          server.listen(0, "127.0.0.1", () =>
            resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits }),
          )
        }),
    ),
    ({ server }) =>
      Effect.promise(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          }),
      ),
  )

const client = (baseUrl: string, options: Partial<Http.HttpOptions> = {}) =>
  Http.make({
    manifest,
    baseUrl,
    auth: () => Effect.succeed(apiKey("x-api-key", Redacted.make("key-that-must-stay-home"))),
    budgetScope: { connectionId: ConnectionId.make("conn-http") },
    ...options,
  })

const failureOf = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.flip(effect).pipe(Effect.map((error) => (error instanceof Error ? error.message : String(error))))

const get = (http: Http.VendorHttp, url: string) => http.send("list", HttpClientRequest.get(url), Schema.Unknown)

const layers = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.provide(FetchHttpClient.layer), Effect.provide(RateBudgets.layer), Effect.scoped)

describe("HTTP core", () => {
  it.live("cuts off an answer that sends its headers and then trickles, at the whole-exchange deadline", () =>
    layers(
      Effect.gen(function* () {
        const slow = yield* serve((_, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          response.write("[")
          const timer = setInterval(() => response.write(" "), 50)
          response.on("close", () => clearInterval(timer))
        })
        const http = yield* client(slow.url, { timeoutMillis: 400 })
        const message = yield* failureOf(get(http, http.url("/tasks")))
        assert.include(message, "no complete answer within 400 ms")
      }),
    ),
  )

  it.live("stops reading a body over the cap instead of buffering it", () =>
    layers(
      Effect.gen(function* () {
        let written = 0
        const huge = yield* serve((_, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          const chunk = Buffer.alloc(64 * 1024, 0x20)
          const pump = () => {
            // Far more than the cap, and more than anyone should buffer: the client must hang up early.
            while (written < 256 * 1024 * 1024) {
              written += chunk.length
              if (!response.write(chunk)) return void response.once("drain", pump)
            }
            response.end()
          }
          pump()
        })
        const http = yield* client(huge.url, { maxBodyBytes: 1024 * 1024 })
        const error = yield* Effect.flip(get(http, http.url("/tasks")))
        assert.include(error.message, "answer larger than 1048576 bytes")
        // A caller that can ask for less (a narrower listing window) tells this apart from an invalid answer.
        assert.isTrue(Http.isTooLarge(error))
        assert.isFalse(error.isRetryable)
        assert.isBelow(written, 256 * 1024 * 1024, "the server was not read to the end")
      }),
    ),
  )

  it.live("does not call an answer that fails to decode too large", () =>
    layers(
      Effect.gen(function* () {
        const small = yield* serve((_, response) => response.end(JSON.stringify({ n: 1 })))
        const http = yield* client(small.url, { maxBodyBytes: 100 })
        const error = yield* Effect.flip(
          http.send("list", HttpClientRequest.get(small.url), Schema.Array(Schema.String)),
        )
        assert.strictEqual(error.reason._tag, "InvalidResponse")
        assert.isFalse(Http.isTooLarge(error))
      }),
    ),
  )

  it.live("never follows a redirect, so the key never reaches the other origin", () =>
    layers(
      Effect.gen(function* () {
        const elsewhere = yield* serve((_, response) => response.end("{}"))
        const redirecting = yield* serve((_, response) => {
          response.writeHead(302, { location: `${elsewhere.url}/steal` })
          response.end()
        })
        const http = yield* client(redirecting.url)
        const message = yield* failureOf(get(http, http.url("/tasks")))
        assert.include(message, "redirects are not followed")
        assert.strictEqual(elsewhere.hits.length, 0)
        assert.strictEqual(redirecting.hits[0]?.["x-api-key"], "key-that-must-stay-home")
      }),
    ),
  )

  it.live("summarises an error body instead of quoting it", () =>
    layers(
      Effect.gen(function* () {
        const echo = yield* serve((_, response) => {
          response.writeHead(500, { "content-type": "text/plain" })
          response.end("SSH-2.0-OpenSSH_9.2 internal-banner patient Jane Roe")
        })
        const http = yield* client(echo.url)
        const message = yield* failureOf(get(http, http.url("/tasks")))
        assert.notInclude(message, "OpenSSH")
        assert.notInclude(message, "Jane")
        assert.include(message, "no details (")
      }),
    ),
  )

  it.live("refuses what the egress policy refuses before any request or budget is spent", () =>
    layers(
      Effect.gen(function* () {
        const inside = yield* serve((_, response) => response.end("[]"))
        const http = yield* client(inside.url).pipe(Effect.provideService(Egress, strict({ allowHosts: [] })))
        const message = yield* failureOf(get(http, http.url("/tasks")))
        assert.include(message, "refused by the egress policy")
        assert.strictEqual(inside.hits.length, 0)
        const allowed = yield* client(inside.url).pipe(
          Effect.provideService(Egress, strict(rulesFrom(new URL(inside.url).host))),
        )
        assert.deepStrictEqual(yield* get(allowed, allowed.url("/tasks")), [])
      }),
    ),
  )
})

describe("egress policy", () => {
  const none = { allowHosts: [] }
  const nowhere = async () => [] as ReadonlyArray<string>

  it("refuses loopback, private, link-local, mapped and unspecified addresses, plain http and userinfo", async () => {
    for (const url of [
      "https://127.0.0.1:5432",
      "https://127.1.2.3/",
      "https://2130706433/",
      "https://[::1]:6379",
      "https://[::ffff:127.0.0.1]/",
      "https://10.1.2.3",
      "https://172.20.0.1",
      "https://192.168.1.1",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1",
      "https://0.0.0.0",
      "https://[fe80::1]",
      "https://[fd00::1]",
      "https://localhost:4000/trpc",
      "https://api.localhost",
    ]) {
      assert.include((await check(url, none, nowhere)) ?? "", "must not point at", url)
    }
    assert.include((await check("http://api.example.com", none, nowhere)) ?? "", "must use https")
    assert.include((await check("https://user:pass@api.example.com", none, nowhere)) ?? "", "user name or password")
    assert.include((await check("ftp://api.example.com", none, nowhere)) ?? "", "http(s) URL")
  })

  it("refuses a hostname that resolves inside, allows one that resolves outside or not at all", async () => {
    const rebinding = async () => ["93.184.216.34", "10.0.0.7"]
    assert.include((await check("https://vendor.example.com", none, rebinding)) ?? "", "resolves to 10.0.0.7")
    assert.isUndefined(await check("https://vendor.example.com", none, async () => ["93.184.216.34"]))
    assert.isUndefined(await check("https://vendor.example.com", none, nowhere))
  })

  it("allows a listed host over http and on loopback, by host or by host:port", async () => {
    assert.isUndefined(await check("http://127.0.0.1:4101", rulesFrom("127.0.0.1:4101"), nowhere))
    assert.isUndefined(await check("http://127.0.0.1:4999", rulesFrom(" 127.0.0.1 , other"), nowhere))
    assert.include(
      (await check("http://127.0.0.1:4102", rulesFrom("127.0.0.1:4101"), nowhere)) ?? "",
      "internal address",
    )
    assert.include((await check("http://vendor.example.com", rulesFrom("127.0.0.1:4101"), nowhere)) ?? "", "https")
    assert.include((await check("http://u:p@127.0.0.1:4101", rulesFrom("127.0.0.1:4101"), nowhere)) ?? "", "password")
  })

  it("classifies addresses of both families", () => {
    assert.isTrue(isInternalAddress("127.0.0.1"))
    assert.isTrue(isInternalAddress("::1"))
    assert.isFalse(isInternalAddress("93.184.216.34"))
    assert.isFalse(isInternalAddress("2606:2800:220:1:248:1893:25c8:1946"))
    assert.isFalse(isInternalAddress("not-an-address"))
  })
})
