// The workspace as the publishing tools see it: its root, every package's directory and manifest, and which are
// public (not `private`). Derived from pnpm-workspace.yaml and the manifests, so no list of packages lives here.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"

/** The manifest fields publishing reads. `exports` maps to TypeScript source; `publishConfig` is what pnpm packs. */
export interface Manifest {
  readonly name: string
  readonly version: string
  readonly private?: boolean
  readonly exports?: Readonly<Record<string, string>>
  readonly files?: ReadonlyArray<string>
  readonly scripts?: Readonly<Record<string, string>>
  readonly dependencies?: Readonly<Record<string, string>>
  readonly peerDependencies?: Readonly<Record<string, string>>
  readonly devDependencies?: Readonly<Record<string, string>>
  readonly publishConfig?: {
    readonly exports?: Readonly<Record<string, { readonly types: string; readonly import: string }>>
    readonly [key: string]: unknown
  }
}

export interface WorkspacePackage {
  readonly dir: string
  readonly manifest: Manifest
}

export const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest

/** The nearest directory upwards holding pnpm-workspace.yaml. */
export const workspaceRoot = (from: string): string => {
  let dir = from
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`)
    dir = parent
  }
  return dir
}

/** Expands the `dir/*` globs pnpm-workspace.yaml uses (the dependency check reads them the same way). */
export const workspacePackages = (root: string): ReadonlyArray<WorkspacePackage> => {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")
  const globs = [...yaml.matchAll(/^\s+-\s+["']?([\w./-]+)\/\*["']?\s*$/gm)].map((m) => m[1] ?? "")
  return globs.flatMap((glob) => {
    const base = join(root, glob)
    if (!existsSync(base)) return []
    return readdirSync(base)
      .map((entry) => join(base, entry))
      .filter((dir) => existsSync(join(dir, "package.json")))
      .map((dir) => ({ dir, manifest: readManifest(dir) }))
  })
}

/** What `changeset publish` would publish: every workspace package not marked private. */
export const publicPackages = (root: string): ReadonlyArray<WorkspacePackage> =>
  workspacePackages(root).filter((p) => p.manifest.private !== true)

/** The catalog's version of a package (pnpm-workspace.yaml), so tests install what the workspace uses. */
export const catalogVersion = (root: string, name: string): string => {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  const found = yaml.match(new RegExp(`^\\s+["']?${escaped}["']?:\\s*([^\\s#]+)`, "m"))?.[1]
  if (found === undefined) throw new Error(`${name} is not in the pnpm catalog`)
  return found
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export const packageOf = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/")

/** Packages a consumer gets when installing this one: its dependencies and peers (never its devDependencies). */
export const installedWith = (manifest: Manifest): ReadonlySet<string> =>
  new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})])
