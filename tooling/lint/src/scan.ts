// Reads the workspace from disk for the dependency check: package manifests from the pnpm-workspace globs and
// the import specifiers of every TypeScript source file (static, type-only, dynamic and re-exports).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import type { SourceFile, SourceImport, WorkspacePackage } from "./rules.ts"

const staticImport = /(?<=^|[\s;])(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?["']([^"'\n]+)["']/g
const dynamicImport = /(?:import|require)\s*\(\s*["']([^"'\n]+)["']\s*\)/g

/** Blank out comments but keep line breaks, so reported line numbers stay right. */
const stripComments = (source: string) =>
  source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/(^|[^:"'])\/\/.*$/gm, "$1")

const lineAt = (source: string, index: number) => source.slice(0, index).split("\n").length

export const importsOf = (source: string): Array<SourceImport> => {
  const code = stripComments(source)
  const found: Array<SourceImport> = []
  for (const m of code.matchAll(staticImport)) {
    const specifier = m[3]
    if (specifier !== undefined) found.push({ specifier, typeOnly: m[2] !== undefined, line: lineAt(code, m.index) })
  }
  for (const m of code.matchAll(dynamicImport)) {
    if (m[1] !== undefined) found.push({ specifier: m[1], typeOnly: false, line: lineAt(code, m.index) })
  }
  return found
}

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((entry) => {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) return []
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(c|m)?tsx?$/.test(entry) && !entry.endsWith(".d.ts") ? [path] : []
  })

const isTestPath = (path: string) =>
  /(^|\/)(test|tests|bench|e2e)\//.test(path) || /\.(test|bench|config)\.tsx?$/.test(path)

/** Expands the simple `dir/*` globs pnpm-workspace.yaml uses. */
const workspaceDirs = (root: string): Array<string> => {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")
  const globs = [...yaml.matchAll(/^\s+-\s+["']?([\w./-]+)\/\*["']?\s*$/gm)].map((m) => m[1] ?? "")
  return globs.flatMap((glob) => {
    const base = join(root, glob)
    if (!existsSync(base)) return []
    return readdirSync(base)
      .map((d) => join(base, d))
      .filter((d) => existsSync(join(d, "package.json")))
  })
}

export const scanWorkspace = (root: string): Array<WorkspacePackage> =>
  workspaceDirs(root).map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      name: string
      dependencies?: Record<string, string>
    }
    const files: Array<SourceFile> = sourceFiles(dir).map((path) => {
      const rel = relative(dir, path)
      return { path: relative(root, path), isTest: isTestPath(rel), imports: importsOf(readFileSync(path, "utf8")) }
    })
    return {
      name: manifest.name,
      dir: relative(root, dir),
      dependencies: Object.keys(manifest.dependencies ?? {}),
      files,
    }
  })
