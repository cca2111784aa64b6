// The Kore.ai adapter beyond the shared contract: the JWT it mints per request (HS256 over `appId`, a short expiry, a
// fresh jti, `AccountId` beside it), and over real HTTP against the emulator the account's configuration learned
// once and read back after a rebuild with no request, a push that costs exactly one updateTask, and the account's
// one budget: two connections of one account in one process share it and never meet the emulator's 429.
import { createHmac } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { emulatorFor } from "@taskbridge/adapter-testkit/Support"
import { ConnectionId, VendorRecordId } from "@taskbridge/domain/Ids"
import { startKoreai } from "@taskbridge/sandbox/koreai/Emulator"
import { Effect, Layer, Redacted, Stream } from "effect"
import { FetchHttpClient, HttpClientRequest } from "effect/http"
import { make } from "../src/Adapter.ts"
import { jwtAuth } from "../src/Client.ts"
import type { KoreaiConfig } from "../src/Config.ts"
import { definition } from "../src/Definition.ts"
import { factKey } from "../src/Statuses.ts"
import { account, type Koreai, openTaskId, settingsFor } from "./support.ts"

const decodePart = (part: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"))

const config = (koreai: Koreai): KoreaiConfig => {
  const { credentials, options } = settingsFor(koreai)
  return {
    baseUrl: koreai.url,
    clientId: credentials.clientId,
    clientSecret: Redacted.make(credentials.clientSecret),
    accountId: credentials.accountId,
    streamId: options.streamId,
    pageSize: 25,
  }
}

describe("the JWT minted per request", () => {
  const secret = "s3cret-of-the-app"
  const auth = jwtAuth({
    baseUrl: "https://platform.kore.ai",
    clientId: "cs-123",
    clientSecret: Redacted.make(secret),
    accountId: "6639f7bd58c97ffac03b0001",
    streamId: "st-1",
  })

  it.effect("is HS256 over appId with a one-minute expiry and a fresh jti, in `auth` with AccountId", () =>
    Effect.gen(function* () {
      const request = HttpClientRequest.post("https://platform.kore.ai/x")
      const first = yield* auth.sign(request)
      const second = yield* auth.sign(request)
      const token = first.request.headers.auth ?? ""
      const [header, payload, signature] = token.split(".")
      assert.deepStrictEqual(decodePart(header), { alg: "HS256", typ: "JWT" })
      const claims = decodePart(payload)
      assert.strictEqual(claims.appId, "cs-123")
      assert.strictEqual(Number(claims.exp) - Number(claims.iat), 60)
      const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url")
      assert.strictEqual(signature, expected, "signed with the client secret")
      assert.notStrictEqual(decodePart((second.request.headers.auth ?? "").split(".")[1]).jti, claims.jti)
      assert.strictEqual(first.request.headers.accountid, "6639f7bd58c97ffac03b0001")
      assert.isUndefined(first.request.headers.authorization, "not the standard header")
      assert.isNull(first.credential, "nothing cached, so nothing to refresh on a 401")
    }),
  )
})

describe("the Kore.ai adapter against its emulator", () => {
  const sandbox = emulatorFor(() =>
    startKoreai({ port: 0, seed: 31, size: 100, rateLimit: { limit: 8, windowMs: 1_000 } }),
  )
  const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)
  const run = <A, E>(effect: Effect.Effect<A, E, Layer.Success<typeof env>>) => effect.pipe(Effect.provide(env))

  it.live("learns the account's configuration once, and a rebuilt adapter reads it back with no request", () =>
    run(
      Effect.gen(function* () {
        const koreai = sandbox()
        const memory = inMemory()
        const context = { connectionId: ConnectionId.make("c1"), memory }
        const budget = { rateBudget: { requests: 8, perMillis: 1_100 } }
        const first = yield* make({ ...config(koreai), ...budget }, context)
        yield* Stream.runCollect(first.listChanges(null))
        const learned = memory.current()
        assert.isDefined(learned.facts[factKey])
        assert.isNotNull(learned.statusScheme)
        const rebuilt = yield* make({ ...config(koreai), ...budget }, { ...context, memory: inMemory(learned) })
        const seq = koreai.control.requests.nextSeq()
        const scheme = yield* rebuilt.statusScheme
        assert.deepStrictEqual(
          scheme.statuses.map((s) => s.name),
          learned.statusScheme?.statuses.map((s) => s.name),
        )
        assert.lengthOf(koreai.control.requests.list({ since: seq - 1 }), 0, "no discovery call after a restart")
      }),
    ),
  )

  it.live("pushes a change as exactly one updateTask holding only that field", () =>
    run(
      Effect.gen(function* () {
        const koreai = sandbox()
        const adapter = yield* make({ ...config(koreai), rateBudget: { requests: 8, perMillis: 1_100 } })
        const task = koreai.state().store.task(openTaskId(koreai))
        const seq = koreai.control.requests.nextSeq()
        const answer = yield* adapter.update(
          { id: VendorRecordId.make(task?._id ?? ""), parent: task?.refId ?? null },
          { fields: { description: "Fax it" } },
        )
        assert.strictEqual(answer.snapshot.fields.description, "Fax it")
        const sent = koreai.control.requests.list({ since: seq - 1 })
        assert.deepStrictEqual(
          sent.map((r) => [r.path.split("/").slice(-2).join("/"), r.body]),
          [[`updateTask/${task?._id}`, { desc: "Fax it" }]],
        )
      }),
    ),
  )

  it.live("keeps two connections of one account within its one budget: no 429 however many calls they make", () =>
    run(
      Effect.gen(function* () {
        const koreai = sandbox()
        const budget = { rateBudget: { requests: 8, perMillis: 1_300 } }
        const a = yield* make(
          { ...config(koreai), ...budget },
          { connectionId: ConnectionId.make("a"), memory: inMemory() },
        )
        const b = yield* make(
          { ...config(koreai), ...budget },
          { connectionId: ConnectionId.make("b"), memory: inMemory() },
        )
        const tasks = koreai.state().store.tasksOf(0).slice(0, 20)
        yield* Effect.forEach(
          tasks,
          (task, i) =>
            (i % 2 === 0 ? a : b).update(
              { id: VendorRecordId.make(task._id), parent: task.refId },
              { fields: { description: `edit ${i}` } },
            ),
          { concurrency: "unbounded" },
        )
        const log = koreai.control.requests.list()
        assert.lengthOf(log, 20)
        assert.isFalse(
          log.some((r) => r.status === 429),
          "the account's budget was never exceeded",
        )
        assert.strictEqual(account(koreai).accountId, settingsFor(koreai).credentials.accountId)
      }),
    ),
  )

  it.live(
    "spends no more than the requests a minute a connection's options contract for, and refuses a bad count",
    () =>
      run(
        Effect.gen(function* () {
          const koreai = sandbox()
          const info: unknown = yield* Effect.promise(() => fetch(`${koreai.url}/_sandbox`).then((r) => r.json()))
          const demo = yield* definition.demo({ sandboxUrl: koreai.url, info, getJson: () => Effect.succeed(null) })
          const build = (options: Record<string, unknown>) =>
            definition.make({
              connectionId: ConnectionId.make("contracted"),
              baseUrl: koreai.url,
              memory: inMemory(),
              ...demo,
              options: { ...demo.options, pageSize: 5, ...options },
            })
          const seq = koreai.control.requests.nextSeq()
          const adapter = yield* build({ requestsPerMinute: 3 }).pipe(Effect.orDie)
          // A listing of 100 tasks five at a time needs twenty calls; the budget lets three through in its window.
          yield* Stream.runDrain(adapter.listChanges(null)).pipe(Effect.timeoutOption("2 seconds"))
          assert.strictEqual(koreai.control.requests.list({ since: seq - 1 }).length, 3)
          const refused = yield* Effect.flip(build({ requestsPerMinute: 0 }))
          assert.strictEqual(refused.field, "options")
          assert.include(refused.detail, "requestsPerMinute")
        }),
      ),
  )

  it.live("builds `pnpm start`'s demo connection from the emulator's /_sandbox info, and it pulls", () =>
    run(
      Effect.gen(function* () {
        const koreai = sandbox()
        const info: unknown = yield* Effect.promise(() => fetch(`${koreai.url}/_sandbox`).then((r) => r.json()))
        const demo = yield* definition.demo({ sandboxUrl: koreai.url, info, getJson: () => Effect.succeed(null) })
        assert.strictEqual(demo.credentials.accountId, account(koreai).accountId)
        const adapter = yield* definition
          .make({ connectionId: ConnectionId.make("demo"), baseUrl: koreai.url, memory: inMemory(), ...demo })
          .pipe(Effect.orDie)
        const pages = yield* Stream.runCollect(adapter.listChanges(null))
        assert.strictEqual(pages.flatMap((p) => p.records).length, koreai.state().store.tasksOf(0).length)
      }),
    ),
  )
})
