#!/usr/bin/env node
// `taskbridge-build` (a public package's `build` script): compiles the package in the working directory to dist/,
// gives entries that import the types of an uninstallable workspace package stand-alone bundled types, and refuses
// the build if its published manifest or any shipped import would not resolve for a consumer.
import { rmSync } from "node:fs"
import { relative } from "node:path"
import { bundleTypes, entryOf, unreachableImports } from "./BundleTypes.ts"
import { compile } from "./Compile.ts"
import { filesUnder, manifestProblems, unresolvableImports } from "./Verify.ts"
import { readManifest, workspacePackages, workspaceRoot } from "./Workspace.ts"

const fail = (name: string, problems: ReadonlyArray<string>) => {
  if (problems.length === 0) return
  console.error(`taskbridge-build: ${name}\n  ${problems.join("\n  ")}`)
  process.exit(1)
}

const dir = process.cwd()
const manifest = readManifest(dir)
fail(manifest.name, manifestProblems(manifest))
const root = workspaceRoot(dir)
const workspaceNames = new Set(workspacePackages(root).map((p) => p.manifest.name))

const started = Date.now()
rmSync(`${dir}/dist`, { recursive: true, force: true })
const compiled = compile(dir)
const declarations = filesUnder(`${dir}/dist`).filter((f) => f.endsWith(".d.ts"))
const toBundle = declarations.filter((d) => unreachableImports(d, manifest, workspaceNames).length > 0)
if (toBundle.length > 0) {
  const entries = toBundle.map((d) => entryOf(dir, d))
  await bundleTypes(root, dir, compiled, entries)
  console.log(
    `taskbridge-build: ${manifest.name}: bundled the types of ${entries.join(", ")} (workspace modules inlined)`,
  )
}
fail(manifest.name, unresolvableImports(dir, manifest))
const shipped = filesUnder(`${dir}/dist`).length
console.log(
  `taskbridge-build: ${manifest.name} → ${relative(root, dir)}/dist (${shipped} files, ${Date.now() - started} ms)`,
)
