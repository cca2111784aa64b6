// The demo organization `pnpm start` brings up: one organization, an admin token (kept in the data folder so a
// second start prints the same one), and one connection per vendor the sandbox emulates and a vendor definition
// exists for, each built by that definition from its emulator (its first tenant), with a signed webhook to this API
// registered where the vendor sends webhooks. Nothing here knows any vendor.
import { randomBytes } from "node:crypto"
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { type VendorDefinition, DemoSetupFailed as VendorDemoFailed } from "@taskbridge/adapter-kit/Definition"
import { ConnectionRepository, type ConnectionSummary } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { SessionRepository } from "@taskbridge/db/SessionRepository"
import { Views } from "@taskbridge/db/Views"
import { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { VendorDefinitions } from "@taskbridge/sync/Registry"
import { Data, Effect, Option, Redacted, Schedule, Schema } from "effect"

export const demoOrganization = OrganizationId.make("demo")

export class DemoSetupFailed extends Data.TaggedError("DemoSetupFailed")<{ readonly reason: string }> {
  override get message() {
    return `demo setup failed: ${this.reason}`
  }
}

/** The emulators start beside the API: a call that fails (still starting, a busy moment) is tried again a few times. */
const settle = Schedule.exponential("200 millis").pipe(Schedule.upTo({ times: 6 }))

const getJson = (url: string, init?: RequestInit) =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(url, init)
      if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url} answered ${response.status}`)
      return (await response.json()) as unknown
    },
    catch: (error) => new DemoSetupFailed({ reason: error instanceof Error ? error.message : String(error) }),
  }).pipe(Effect.retry(settle))

const AnyInfo = Schema.Struct({ vendor: Schema.String })
const StoredSecret = Schema.fromJsonString(Schema.Struct({ webhookSecret: Schema.optionalKey(Schema.String) }))

/** The vendor an emulator emulates, read from its `/_sandbox` info. */
const vendorOf = (base: string, info: unknown) =>
  Schema.decodeUnknownEffect(AnyInfo)(info).pipe(
    Effect.mapError(() => new DemoSetupFailed({ reason: `${base}/_sandbox does not say which vendor it emulates` })),
  )

/** The admin token kept in `file` if it still verifies, else a new one written there (mode 0600). */
const adminToken = (file: string) =>
  Effect.gen(function* () {
    const orgs = yield* OrganizationRepository
    const kept = Option.liftThrowable(() => readFileSync(file, "utf8").trim())()
    if (Option.isSome(kept) && kept.value !== "") {
      const identity = yield* orgs.verifyToken(Redacted.make(kept.value))
      if (identity !== null && identity.organizationId === demoOrganization) return kept.value
    }
    const issued = yield* orgs.issueToken(demoOrganization, "pnpm start (demo admin)", "admin")
    const token = Redacted.value(issued.token)
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    writeFileSync(file, `${token}\n`, { mode: 0o600 })
    // `mode` applies only to a file it creates; an older token file is closed up too.
    chmodSync(file, 0o600)
    return token
  })

export interface DemoOptions {
  /** Base URLs of the sandbox emulators. */
  readonly sandbox: ReadonlyArray<string>
  /** Where this API is reachable, for webhook targets. */
  readonly apiUrl: string
  readonly tokenFile: string
}

/** A demo connection for the emulator at `base`, by its vendor's definition; null when no definition exists. */
const wanted = (base: string, definitions: ReadonlyArray<VendorDefinition>) =>
  Effect.gen(function* () {
    const info = yield* getJson(`${base}/_sandbox`)
    const vendor = (yield* vendorOf(base, info)).vendor
    const definition = definitions.find((d) => d.vendor === vendor)
    if (definition === undefined) return null
    const getFromEmulator = (path: string, init?: { readonly method: string; readonly body: unknown }) =>
      getJson(
        `${base}${path}`,
        init === undefined
          ? undefined
          : { method: init.method, headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) },
      ).pipe(Effect.mapError((e) => new VendorDemoFailed({ vendor, reason: e.reason })))
    const demo = yield* definition.demo({ sandboxUrl: base, info, getJson: getFromEmulator })
    return { definition, demo }
  })

/** Creates (or brings up to date) the demo organization and its connections, starts their pulls, returns the token. */
export const ensureDemo = (options: DemoOptions) =>
  Effect.gen(function* () {
    const orgs = yield* OrganizationRepository
    if ((yield* orgs.get(demoOrganization)) === null) yield* orgs.create({ id: demoOrganization, name: "Demo Health" })
    const token = yield* adminToken(options.tokenFile)
    const connections = yield* ConnectionRepository
    const dispatcher = yield* Dispatcher
    const definitions = yield* VendorDefinitions
    const existing = yield* connections.list(demoOrganization)
    const made: Array<ConnectionSummary> = []
    for (const url of options.sandbox) {
      const base = url.replace(/\/+$/, "")
      const want = yield* wanted(base, definitions)
      if (want === null) continue
      const { definition, demo } = want
      const vendor = definition.vendor
      const found = existing.find((c) => c.vendor === vendor)
      const previous =
        found === undefined ? Option.none() : Option.some(yield* connections.get(demoOrganization, found.id))
      // A webhook secret is made once and kept: the emulator's target is registered with it again on every start.
      const kept = Option.flatMap(previous, (c) =>
        Option.flatMap(Schema.decodeUnknownOption(StoredSecret)(Redacted.value(c.credentials)), (s) =>
          Option.fromUndefinedOr(s.webhookSecret),
        ),
      )
      const webhookSecret =
        definition.webhook === null ? null : Option.getOrElse(kept, () => randomBytes(24).toString("hex"))
      const credentials = { ...demo.credentials, ...(webhookSecret === null ? {} : { webhookSecret }) }
      const fields = {
        organizationId: demoOrganization,
        vendor,
        name: demo.name,
        baseUrl: base,
        statusScheme: null,
        identityMap: [],
        options: demo.options,
        credentials: Redacted.make(JSON.stringify(credentials)),
      }
      const connection = Option.isSome(previous)
        ? yield* connections.update({ ...previous.value, ...fields, enabled: previous.value.enabled })
        : yield* connections.create({ ...fields, id: ConnectionId.make(`demo-${vendor}`), enabled: true })
      if (demo.register !== undefined) {
        yield* demo.register({ webhookUrl: `${options.apiUrl}/webhooks/${vendor}/${connection.id}`, webhookSecret })
      }
      yield* dispatcher.watch(connection.id)
      yield* dispatcher.pullNow(connection.id, "manual")
      made.push(connection)
    }
    return { token, connections: made }
  })

/**
 * A one-time sign-in link for the demo admin token (the way Jupyter prints one): the code rides in the fragment, so
 * it reaches no server log or Referer; `/signin` exchanges it for a session cookie, once, within 15 minutes.
 */
export const signInLink = (token: string, apiUrl: string, lifetimeSeconds: number) =>
  Effect.gen(function* () {
    const identity = yield* (yield* OrganizationRepository).verifyToken(Redacted.make(token))
    if (identity === null) return yield* new DemoSetupFailed({ reason: "the demo admin token does not verify" })
    const code = yield* (yield* SessionRepository).issueCode(identity.tokenId, lifetimeSeconds)
    return `${apiUrl}/signin#${Redacted.value(code)}`
  })

/** One line per connection whose backfill moved since `last`; returns whether every backfill has finished. */
export const backfillProgress = (names: ReadonlyMap<string, string>, last: Map<string, string>) =>
  Effect.gen(function* () {
    const health = yield* (yield* Views).health(demoOrganization)
    let finished = true
    for (const h of health) {
      const run = h.backfill
      if (run === null) {
        finished = false
        continue
      }
      if (run.state === "running") finished = false
      const total = run.total === null ? "" : ` of ${run.total}`
      const line = `${names.get(h.connectionId) ?? h.connectionId}: backfill ${run.state}, ${run.records}${total} records in ${run.pages} pages`
      if (last.get(h.connectionId) !== line) {
        last.set(h.connectionId, line)
        console.log(`taskbridge: ${line}${run.error === null ? "" : ` (${run.error})`}`)
      }
    }
    return finished
  })
