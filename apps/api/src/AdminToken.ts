// The way back into an organization whose admin tokens are all revoked or lost: `pnpm admin-token -- --org <id or
// name>` opens the configured database directly (DATABASE_URL, or the embedded data folder — while no API holds it:
// the folder's lock refuses a second process) and issues a new admin token, printed once. Whoever can run this can
// read the database anyway, so it asks for nothing more. Without --org it lists the organizations.
import { parseArgs } from "node:util"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import * as Persistence from "@taskbridge/db/Persistence"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"

export interface AdminTokenRequest {
  /** The organization's id or its exact name. */
  readonly organization: string | undefined
  readonly tokenName: string
}

export type AdminTokenOutcome =
  | { readonly _tag: "Issued"; readonly organization: string; readonly token: string }
  | { readonly _tag: "Listed"; readonly organizations: ReadonlyArray<{ readonly id: string; readonly name: string }> }
  | { readonly _tag: "NotFound"; readonly organization: string }
  | { readonly _tag: "Ambiguous"; readonly organization: string; readonly ids: ReadonlyArray<string> }

/** Issues an admin token for the organization named by id or name, or lists them when none is named. */
export const adminToken = Effect.fn("AdminToken.adminToken")(function* (request: AdminTokenRequest) {
  const orgs = yield* OrganizationRepository
  const all = yield* orgs.list()
  if (request.organization === undefined) {
    return { _tag: "Listed", organizations: all.map(({ id, name }) => ({ id, name })) } satisfies AdminTokenOutcome
  }
  const named = request.organization
  const byId = all.filter((org) => org.id === named)
  const matches = byId.length > 0 ? byId : all.filter((org) => org.name === named)
  const [org, ...others] = matches
  if (org === undefined) return { _tag: "NotFound", organization: named } satisfies AdminTokenOutcome
  if (others.length > 0) {
    return { _tag: "Ambiguous", organization: named, ids: matches.map((m) => m.id) } satisfies AdminTokenOutcome
  }
  const issued = yield* orgs.issueToken(org.id, request.tokenName, "admin")
  return { _tag: "Issued", organization: org.id, token: Redacted.value(issued.token) } satisfies AdminTokenOutcome
})

/** The command line: exit 0 with the token on stdout, 1 when the organization is unknown or ambiguous. */
const main = async () => {
  process.umask(0o077)
  const argv = process.argv.slice(2)
  const { values } = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : argv,
    options: { org: { type: "string" }, name: { type: "string", default: "recovered admin (pnpm admin-token)" } },
  })
  const runtime = ManagedRuntime.make(Persistence.layer.pipe(Layer.orDie))
  try {
    const outcome = await runtime.runPromise(adminToken({ organization: values.org, tokenName: values.name }))
    switch (outcome._tag) {
      case "Issued":
        console.error(`taskbridge: a new admin token for organization ${outcome.organization} (shown once):`)
        console.log(outcome.token)
        return 0
      case "Listed":
        console.error("taskbridge: name one with --org <id or name>:")
        for (const org of outcome.organizations) console.log(`${org.id}\t${org.name}`)
        return 0
      case "NotFound":
        console.error(`taskbridge: no organization has the id or name "${outcome.organization}"`)
        return 1
      case "Ambiguous":
        console.error(`taskbridge: several organizations are named "${outcome.organization}"; use an id:`)
        for (const id of outcome.ids) console.error(`  ${id}`)
        return 1
    }
  } catch (error) {
    console.error(`taskbridge: ${error instanceof Error ? error.message : String(error)}`)
    return 2
  } finally {
    await runtime.dispose()
  }
}

if (import.meta.main) process.exitCode = await main()
