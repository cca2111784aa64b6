// The HTTP core's body cap over real HTTP (a local node:http server): an answer over `maxBodyBytes` fails as
// too large, which `isTooLarge` tells apart from an answer that merely does not decode.
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { VendorManifest } from "@taskbridge/domain/Capabilities"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect, Layer, Redacted, Schema } from "effect"
import { FetchHttpClient, HttpClientRequest } from "effect/http"
import { apiKey } from "../src/Auth.ts"
import * as Http from "../src/Http.ts"
import { RateBudgets } from "../src/RateBudget.ts"

const manifest = Schema.decodeUnknownSync(VendorManifest)({
  vendor: "vambe",
  displayName: "Test",
  docsUrl: "https://example.com",
  defaultBaseUrl: "http://127.0.0.1",
  recordKind: "task",
  auth: "api-key",
  rateBudget: null,
  retryableStatuses: [503],
  webhookSignature: null,
  pageSize: 10,
  lookBeforeWrite: { via: "read" },
  capabilities: {
    fields: {
      title: "writable",
      description: "writable",
      status: "writable",
      priority: "unsupported",
      due: "unsupported",
      assignees: "unsupported",
      tags: "unsupported",
      notes: "unsupported",
    },
    cannotClear: [],
    assignment: "none",
    assigneeKinds: [],
    priorityLevels: [],
    dueForms: [],
    canCreate: false,
    canDelete: false,
    changeDetection: "snapshot-hash",
    deletions: "sweep",
    webhooks: false,
  },
})

const server = createServer((request, response) => {
  response.writeHead(200, { "content-type": "application/json" })
  response.end(request.url === "/big" ? JSON.stringify(Array(200).fill("x")) : JSON.stringify({ n: 1 }))
})
let base = ""
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

const failureOf = (path: string, schema: Schema.Top & Schema.Codec<unknown, unknown>) =>
  Effect.gen(function* () {
    const http = yield* Http.make({
      manifest,
      baseUrl: base,
      budgetScope: { connectionId: ConnectionId.make("test") },
      maxBodyBytes: 100,
      auth: () => Effect.succeed(apiKey("x-api-key", Redacted.make("k"))),
    })
    return yield* Effect.flip(http.send("list", HttpClientRequest.get(http.url(path)), schema))
  }).pipe(Effect.provide(Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)))

describe("HTTP body cap", () => {
  it.live("fails an answer over maxBodyBytes as too large", () =>
    Effect.gen(function* () {
      const error = yield* failureOf("/big", Schema.Array(Schema.String))
      assert.isTrue(Http.isTooLarge(error))
      assert.isFalse(error.isRetryable)
    }),
  )

  it.live("does not call an answer that fails to decode too large", () =>
    Effect.gen(function* () {
      const error = yield* failureOf("/small", Schema.Array(Schema.String))
      assert.strictEqual(error.reason._tag, "InvalidResponse")
      assert.isFalse(Http.isTooLarge(error))
    }),
  )
})
