// What a build must hold before it may be packed: the published manifest mirrors the workspace one (each `exports`
// entry `./src/X.ts` is `{ types: ./dist/X.d.ts, import: ./dist/X.js }`), only `dist/` and the changelog ship, and
// every import in `dist/` resolves for a consumer: relative ones to shipped files, bare ones to a dependency, a peer
// or Node itself.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { isBuiltin } from "node:module"
import { dirname, join, relative } from "node:path"
import ts from "typescript"
import { installedWith, type Manifest, packageOf } from "./Workspace.ts"

/** The publishConfig.exports a manifest must carry, derived from its workspace `exports`. */
export const publishedExports = (manifest: Manifest): Record<string, { types: string; import: string }> =>
  Object.fromEntries(
    Object.entries(manifest.exports ?? {}).map(([key, target]) => {
      const module = target.match(/^\.\/src\/(.+)\.ts$/)?.[1]
      if (module === undefined) throw new Error(`${manifest.name}: exports["${key}"] is not ./src/….ts: ${target}`)
      return [key, { types: `./dist/${module}.d.ts`, import: `./dist/${module}.js` }]
    }),
  )

/** Besides these npm always packs package.json and README.md. */
export const shippedFiles = ["dist", "CHANGELOG.md"]

export const manifestProblems = (manifest: Manifest): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const expected = publishedExports(manifest)
  if (JSON.stringify(manifest.publishConfig?.exports) !== JSON.stringify(expected)) {
    problems.push(`publishConfig.exports must be ${JSON.stringify(expected)} (mirroring "exports")`)
  }
  // CHANGELOG.md is not one of the files npm always packs; changesets writes it, and a consumer reads it.
  if (JSON.stringify(manifest.files) !== JSON.stringify(shippedFiles))
    problems.push(`files must be ${JSON.stringify(shippedFiles)}`)
  for (const script of ["build", "prepublishOnly"]) {
    // prepublishOnly: a hand `pnpm publish` in the package still ships a fresh, checked dist/.
    if (manifest.scripts?.[script] !== "taskbridge-build") problems.push(`scripts.${script} must be "taskbridge-build"`)
  }
  return problems
}

export const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })

/** Imports in `dist/` that a consumer's Node or TypeScript could not resolve. */
export const unresolvableImports = (packageDir: string, manifest: Manifest): ReadonlyArray<string> => {
  const installed = installedWith(manifest)
  const problems: Array<string> = []
  for (const file of filesUnder(join(packageDir, "dist")).filter((f) => /\.(d\.ts|js)$/.test(f))) {
    const where = relative(packageDir, file)
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
      if (spec.startsWith(".")) {
        const target = join(dirname(file), spec)
        const shipped = file.endsWith(".d.ts") ? target.replace(/\.js$/, ".d.ts") : target
        if (!spec.endsWith(".js") || !existsSync(shipped))
          problems.push(`${where}: '${spec}' is not a shipped .js module`)
      } else if (!isBuiltin(spec) && !installed.has(packageOf(spec))) {
        problems.push(`${where}: '${spec}' is neither a dependency nor a peer of ${manifest.name}`)
      }
    }
  }
  return problems
}
