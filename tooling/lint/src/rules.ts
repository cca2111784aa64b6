// The dependency-direction rules of the workspace, as a pure function over a scanned workspace, so the CLI and
// its tests share one implementation: domain imports only effect; adapters never import each other, db or sync;
// the shared mechanism (sync, db, the api) never imports an adapter, so no vendor is special-cased there; packages
// never import apps; the api's clients (the admin app, the client package) import it as a type only.
import { builtinModules } from "node:module"

export interface SourceImport {
  readonly specifier: string
  /** `import type` / `export type`: erased at compile time, so it creates no runtime edge. */
  readonly typeOnly: boolean
  readonly line: number
}

export interface SourceFile {
  readonly path: string
  /** Test, bench and config files may use test tooling that the shipped source may not. */
  readonly isTest: boolean
  readonly imports: ReadonlyArray<SourceImport>
}

export interface WorkspacePackage {
  readonly name: string
  /** Path relative to the workspace root, e.g. `packages/adapters/candid`. */
  readonly dir: string
  readonly dependencies: ReadonlyArray<string>
  readonly files: ReadonlyArray<SourceFile>
}

export interface Violation {
  readonly pkg: string
  readonly file: string
  readonly line: number
  readonly rule: string
  readonly message: string
}

const node = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
const isEffect = (s: string) => s === "effect" || s.startsWith("effect/")
const isRelative = (s: string) => s.startsWith(".")
/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export const packageOf = (s: string) =>
  s
    .split("/")
    .slice(0, s.startsWith("@") ? 2 : 1)
    .join("/")

const isApp = (p: WorkspacePackage) => p.dir.startsWith("apps/")
/** `kit` (shared runtime) and `testkit` (contract suite) serve every adapter; they are not adapters themselves. */
const isAdapter = (p: WorkspacePackage) =>
  p.dir.startsWith("packages/adapters/") && !p.dir.endsWith("/testkit") && !p.dir.endsWith("/kit")
const testTooling = new Set(["vitest", "@effect/vitest", "@taskbridge/vitest-config"])
/** What the API's clients see of it is its router type: they reach it over HTTP, never by importing its code. */
const apiClients = new Set(["@taskbridge/admin", "@taskbridge/client"])
/** Where no vendor may appear: they read vendors from the definitions `@taskbridge/vendors` lists, never an adapter. */
const vendorNeutral = new Set(["@taskbridge/sync", "@taskbridge/db", "@taskbridge/api"])
/** The vendor emulators are test infrastructure: package tests may start them in-process (see ARCHITECTURE.md). */
const testFixtureApps = new Set(["@taskbridge/sandbox"])

export const checkWorkspace = (packages: ReadonlyArray<WorkspacePackage>): Array<Violation> => {
  const byName = new Map(packages.map((p) => [p.name, p]))
  const violations: Array<Violation> = []
  for (const pkg of packages) {
    for (const file of pkg.files) {
      for (const imp of file.imports) {
        const target = byName.get(packageOf(imp.specifier))
        const report = (rule: string, message: string) =>
          violations.push({ pkg: pkg.name, file: file.path, line: imp.line, rule, message })
        if (pkg.name === "@taskbridge/domain" && !isRelative(imp.specifier) && !isEffect(imp.specifier)) {
          if (!(file.isTest && testTooling.has(packageOf(imp.specifier)))) {
            report("domain-imports-effect-only", `domain may import only effect, not '${imp.specifier}'`)
          }
        }
        if (target === undefined || target === pkg) continue
        if (isAdapter(pkg) && isAdapter(target)) {
          report("adapters-independent", `adapter imports another adapter '${target.name}'`)
        }
        if (isAdapter(pkg) && (target.name === "@taskbridge/db" || target.name === "@taskbridge/sync")) {
          report("adapters-no-db", `adapter imports '${target.name}'; adapters depend on domain only`)
        }
        if (vendorNeutral.has(pkg.name) && isAdapter(target) && !file.isTest) {
          report(
            "engine-vendor-neutral",
            `${pkg.name} imports adapter '${target.name}'; it reads vendors from their definitions instead`,
          )
        }
        const typeOnlyApi = apiClients.has(pkg.name) && target.name === "@taskbridge/api" && imp.typeOnly
        if (!isApp(pkg) && isApp(target) && !typeOnlyApi && !(file.isTest && testFixtureApps.has(target.name))) {
          report("packages-no-apps", `package imports app '${target.name}'; apps depend on packages, never the reverse`)
        }
        if (apiClients.has(pkg.name) && target.name === "@taskbridge/api" && !imp.typeOnly) {
          report("api-type-only", `${pkg.name} imports the api at run time; use \`import type\` only`)
        }
      }
    }
    if (pkg.name === "@taskbridge/domain") {
      for (const dep of pkg.dependencies.filter((d) => d !== "effect")) {
        violations.push({
          pkg: pkg.name,
          file: "package.json",
          line: 0,
          rule: "domain-imports-effect-only",
          message: `domain may depend only on effect, not '${dep}'`,
        })
      }
    }
  }
  return violations
}

export const isNodeBuiltin = (specifier: string) => node.has(specifier)
