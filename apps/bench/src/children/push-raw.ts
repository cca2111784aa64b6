// The push benchmark's raw baseline: the very write requests the engine sent (method, path and body, as the
// emulators logged them), sent straight to the emulators with the credentials the vendor's own adapter signs with —
// at the load's offered rate and in-flight cap, then back to back at a fixed concurrency for the vendors' capacity.
// The auth headers come from the adapter itself (built by its definition from the emulator's demo tenant, one listing
// call captured), so a token, an API key or a JWT is exactly what the engine sends, minted before the clock starts.
import type { VendorDefinition } from "@taskbridge/adapter-kit/Definition"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { noLearnedFacts } from "@taskbridge/domain/ports/VendorAdapter"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Layer, Stream } from "effect"
import { FetchHttpClient, HttpClient, type HttpClientRequest } from "effect/http"
import { childInput, report } from "../Child.ts"
import { closedLoop, type Latency, latency } from "../Stats.ts"

export interface RawWrite {
  /** Index into `vendors`. */
  readonly v: number
  readonly method: string
  readonly path: string
  readonly body: unknown
}

export interface PushRawInput {
  readonly vendors: ReadonlyArray<{ readonly vendor: string; readonly url: string }>
  /** In the order the engine sent them. */
  readonly writes: ReadonlyArray<RawWrite>
  readonly ratePerSecond: number
  readonly maxInFlight: number
  readonly capacity: { readonly concurrency: number; readonly seconds: number }
}

export interface PushRawResult {
  readonly sent: number
  readonly failed: number
  readonly millis: number
  readonly writesPerSecond: number
  /** Per vendor: send → answer, ms. */
  readonly latency: Readonly<Record<string, Latency>>
  /** Back to back at `capacity.concurrency`: what the emulators take at most. */
  readonly capacity: Latency
  readonly peakRssBytes: number
}

const input = childInput<PushRawInput>()
const wallClock = () => performance.timeOrigin + performance.now()

/** The headers the vendor's adapter signs a request with, captured from one listing call it makes. */
const authHeaders = async (definition: VendorDefinition, url: string) => {
  const info = await (await fetch(`${url}/_sandbox`)).json()
  const getJson = (path: string, init?: { readonly method: string; readonly body: unknown }) =>
    Effect.promise(async () => {
      const answer = await fetch(`${url}${path}`, {
        method: init?.method ?? "GET",
        headers: { "content-type": "application/json" },
        ...(init === undefined ? {} : { body: JSON.stringify(init.body) }),
      })
      return (await answer.json()) as unknown
    })
  const demo = await Effect.runPromise(definition.demo({ sandboxUrl: url, info, getJson }))
  const seen: Array<HttpClientRequest.HttpClientRequest> = []
  const capturing = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(Effect.service(HttpClient.HttpClient), (client) =>
      HttpClient.tapRequest(client, (request) => Effect.sync(() => seen.push(request))),
    ),
  ).pipe(Layer.provide(FetchHttpClient.layer))
  const memory = {
    learned: noLearnedFacts,
    saveScheme: () => Effect.void,
    learnIdentity: () => Effect.void,
    saveFact: () => Effect.void,
  }
  const adapter = await Effect.runPromise(
    definition
      .make({
        connectionId: ConnectionId.make(`bench-raw-${definition.vendor}`),
        baseUrl: url,
        // A vendor that signs webhooks stores its secret with the credentials; no webhook is verified here.
        credentials: { ...demo.credentials, ...(definition.webhook === null ? {} : { webhookSecret: "bench" }) },
        options: demo.options,
        memory,
      })
      .pipe(Effect.provide(Layer.merge(capturing, RateBudgets.layer))),
  )
  await Effect.runPromise(Stream.runHead(adapter.listChanges(null)))
  const signed = seen.at(-1)
  if (signed === undefined) throw new Error(`${definition.vendor}'s adapter sent nothing`)
  const skip = new Set(["content-type", "content-length", "accept", "accept-encoding"])
  return Object.fromEntries(Object.entries(signed.headers).filter(([name]) => !skip.has(name.toLowerCase())))
}

const headers: Array<Record<string, string>> = []
for (const { vendor, url } of input.vendors) {
  const definition = definitions.find((d) => d.vendor === vendor)
  if (definition === undefined) throw new Error(`no definition for ${vendor}`)
  headers.push({ ...(await authHeaders(definition, url)), "content-type": "application/json" })
}

let failed = 0
const send = async (write: RawWrite) => {
  const vendor = input.vendors[write.v]
  const answer = await fetch(`${vendor?.url}${write.path}`, {
    method: write.method,
    headers: headers[write.v] ?? {},
    ...(write.body === null || write.body === undefined ? {} : { body: JSON.stringify(write.body) }),
  })
  await answer.arrayBuffer()
  if (!answer.ok) failed += 1
}

// The offered load: write k leaves at k / rate, as the load process's edit k did.
const samples = input.vendors.map((): Array<number> => [])
const started = wallClock()
let last = started
let next = 0
let inFlight = 0
await new Promise<void>((done) => {
  const tick = () => {
    const now = wallClock()
    while (
      next < input.writes.length &&
      inFlight < input.maxInFlight &&
      started + (next * 1000) / input.ratePerSecond <= now
    ) {
      const write = input.writes[next++] as RawWrite
      const at = wallClock()
      inFlight += 1
      void send(write).finally(() => {
        last = wallClock()
        samples[write.v]?.push(last - at)
        inFlight -= 1
      })
    }
    if (next >= input.writes.length && inFlight === 0) done()
    else setTimeout(tick, 1)
  }
  tick()
})
const millis = last - started
const sentFailed = failed
const capacity = await closedLoop(input.capacity.concurrency, input.capacity.seconds, (i) =>
  send(input.writes[i % input.writes.length] as RawWrite),
)
report({
  sent: input.writes.length,
  failed: sentFailed,
  millis,
  writesPerSecond: Math.round(((input.writes.length - sentFailed) * 1000) / Math.max(millis, 1)),
  latency: Object.fromEntries(input.vendors.map((v, i) => [v.vendor, latency(samples[i] ?? [], millis / 1000)])),
  capacity,
} satisfies Omit<PushRawResult, "peakRssBytes">)
