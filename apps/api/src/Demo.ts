// The demo organization `pnpm start` brings up: one organization, an admin token (kept in the data folder so a
// second start prints the same one), and one connection per vendor the sandbox emulates and taskbridge has an
// adapter for, pointed at the sandbox's first tenant — plus CareValidate's signed webhook to this API.
import { randomBytes } from "node:crypto"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { ConnectionRepository, type ConnectionSummary } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { Views } from "@taskbridge/db/Views"
import { ConnectionId, OrganizationId, type Vendor } from "@taskbridge/domain/Ids"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { Data, Effect, Option, Redacted, Schema } from "effect"

export const demoOrganization = OrganizationId.make("demo")

export class DemoSetupFailed extends Data.TaggedError("DemoSetupFailed")<{ readonly reason: string }> {
  override get message() {
    return `demo setup failed: ${this.reason}`
  }
}

const getJson = (url: string, init?: RequestInit) =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(url, init)
      if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url} answered ${response.status}`)
      return (await response.json()) as unknown
    },
    catch: (error) => new DemoSetupFailed({ reason: error instanceof Error ? error.message : String(error) }),
  })

const decode =
  <A, I>(schema: Schema.Codec<A, I>, what: string) =>
  (value: unknown) =>
    Schema.decodeUnknownEffect(schema)(value).pipe(
      Effect.mapError((e) => new DemoSetupFailed({ reason: `${what}: ${e.message}` })),
    )

const CandidInfo = Schema.Struct({
  vendor: Schema.Literal("candid"),
  credentials: Schema.NonEmptyArray(
    Schema.Struct({ organizationId: Schema.String, clientId: Schema.String, clientSecret: Schema.String }),
  ),
})
const CandidOrganizations = Schema.Struct({
  organizations: Schema.Array(
    Schema.Struct({ organizationId: Schema.String, workQueueIds: Schema.Array(Schema.String) }),
  ),
})
const CareValidateInfo = Schema.Struct({
  vendor: Schema.Literal("carevalidate"),
  credentials: Schema.NonEmptyArray(Schema.Struct({ organizationId: Schema.String, apiKey: Schema.String })),
})
const AnyInfo = Schema.Struct({ vendor: Schema.String })
const Targets = Schema.Struct({ webhooks: Schema.Array(Schema.Struct({ url: Schema.String })) })
const StoredSecret = Schema.fromJsonString(Schema.Struct({ webhookSecret: Schema.optionalKey(Schema.String) }))

interface Wanted {
  readonly vendor: Vendor
  readonly name: string
  readonly baseUrl: string
  readonly credentials: Readonly<Record<string, string>>
  readonly options: Readonly<Record<string, Schema.Json>>
  /** Runs once the connection exists (CareValidate registers its webhook). */
  readonly after?:
    | ((connection: ConnectionSummary, credentials: Record<string, string>) => Effect.Effect<void, DemoSetupFailed>)
    | undefined
}

/** What one sandbox emulator's tenant becomes as a connection; null for a vendor without an adapter yet. */
const wanted = (sandboxUrl: string, apiUrl: string) =>
  Effect.gen(function* () {
    const base = sandboxUrl.replace(/\/+$/, "")
    const info = yield* getJson(`${base}/_sandbox`)
    const { vendor } = yield* decode(AnyInfo, `${base}/_sandbox`)(info)
    if (vendor === "candid") {
      const candid = yield* decode(CandidInfo, "candid sandbox info")(info)
      const tenant = candid.credentials[0]
      const orgs = yield* decode(
        CandidOrganizations,
        "candid organizations",
      )(yield* getJson(`${base}/_sandbox/organizations`))
      const queue = orgs.organizations.find((o) => o.organizationId === tenant.organizationId)?.workQueueIds[0]
      return {
        vendor: "candid",
        name: "Candid Health (sandbox)",
        baseUrl: base,
        credentials: { clientId: tenant.clientId, clientSecret: tenant.clientSecret },
        options: queue === undefined ? {} : { workQueueId: queue },
      } satisfies Wanted
    }
    if (vendor === "carevalidate") {
      const cv = yield* decode(CareValidateInfo, "carevalidate sandbox info")(info)
      const tenant = cv.credentials[0]
      return {
        vendor: "carevalidate",
        name: "CareValidate Care360 (sandbox)",
        baseUrl: base,
        credentials: { apiKey: tenant.apiKey },
        options: {},
        // CareValidate configures webhooks in its UI; the sandbox's control route stands in for that screen.
        after: (connection, credentials) =>
          Effect.gen(function* () {
            const url = `${apiUrl}/webhooks/carevalidate/${connection.id}`
            const targets = yield* decode(Targets, "webhook targets")(yield* getJson(`${base}/_sandbox/webhooks`))
            if (targets.webhooks.some((t) => t.url === url)) return
            yield* getJson(`${base}/_sandbox/webhooks`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ url, secret: credentials.webhookSecret, organizationId: tenant.organizationId }),
            })
          }),
      } satisfies Wanted
    }
    return null
  })

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
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${token}\n`, { mode: 0o600 })
    return token
  })

export interface DemoOptions {
  /** Base URLs of the sandbox emulators. */
  readonly sandbox: ReadonlyArray<string>
  /** Where this API is reachable, for webhook targets. */
  readonly apiUrl: string
  readonly tokenFile: string
}

/** Creates (or brings up to date) the demo organization and its connections, starts their pulls, returns the token. */
export const ensureDemo = (options: DemoOptions) =>
  Effect.gen(function* () {
    const orgs = yield* OrganizationRepository
    if ((yield* orgs.get(demoOrganization)) === null) yield* orgs.create({ id: demoOrganization, name: "Demo Health" })
    const token = yield* adminToken(options.tokenFile)
    const connections = yield* ConnectionRepository
    const dispatcher = yield* Dispatcher
    const existing = yield* connections.list(demoOrganization)
    const made: Array<ConnectionSummary> = []
    for (const url of options.sandbox) {
      const want = yield* wanted(url, options.apiUrl)
      if (want === null) continue
      const found = existing.find((c) => c.vendor === want.vendor)
      // A webhook secret is made once and kept: the sandbox's target is re-registered with it on every start.
      const previous =
        found === undefined ? Option.none() : Option.some(yield* connections.get(demoOrganization, found.id))
      const secret = Option.flatMap(previous, (c) =>
        Option.flatMap(Schema.decodeUnknownOption(StoredSecret)(Redacted.value(c.credentials)), (s) =>
          Option.fromUndefinedOr(s.webhookSecret),
        ),
      )
      const credentials: Record<string, string> = {
        ...want.credentials,
        ...(want.vendor === "carevalidate"
          ? { webhookSecret: Option.getOrElse(secret, () => randomBytes(24).toString("hex")) }
          : {}),
      }
      const fields = {
        organizationId: demoOrganization,
        vendor: want.vendor,
        name: want.name,
        baseUrl: want.baseUrl,
        statusScheme: null,
        identityMap: [],
        options: want.options,
        credentials: Redacted.make(JSON.stringify(credentials)),
      }
      const connection = Option.isSome(previous)
        ? yield* connections.update({ ...previous.value, ...fields, enabled: previous.value.enabled })
        : yield* connections.create({ ...fields, id: ConnectionId.make(`demo-${want.vendor}`), enabled: true })
      if (want.after !== undefined) yield* want.after(connection, credentials)
      yield* dispatcher.watch(connection.id)
      yield* dispatcher.pullNow(connection.id, "manual")
      made.push(connection)
    }
    return { token, connections: made }
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
