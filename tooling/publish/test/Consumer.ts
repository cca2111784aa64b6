// What the consumer test does outside the workspace: build and pack every public package, make a fresh npm project
// in the OS temp folder from the tarballs, find the machine's Node 20, and run tsc there reporting error lines.
import { execFile } from "node:child_process"
import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { promisify } from "node:util"
import { catalogVersion, publicPackages, type WorkspacePackage } from "../src/Workspace.ts"

const exec = promisify(execFile)

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command to completion; never throws on a non-zero exit, so a test can assert on the output. */
export const run = async (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<Run> => {
  try {
    const { stdout, stderr } = await exec(command, args, { ...options, maxBuffer: 64 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string }
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? e.message }
  }
}

export const must = async (...args: Parameters<typeof run>): Promise<Run> => {
  const result = await run(...args)
  if (result.code !== 0) throw new Error(`${args[0]} ${args[1].join(" ")} failed:\n${result.stdout}\n${result.stderr}`)
  return result
}

/** How this machine reaches the registry, if set in the environment: kept, since the consumer's npm needs it too. */
const networkSettings = /^npm_config_(registry|proxy|https_proxy|noproxy|cafile|ca|strict_ssl)$/i

/**
 * The environment of a command run as a stranger to the workspace: pnpm's `npm_config_*` settings of this run
 * would otherwise steer npm, and NODE_OPTIONS whatever loaders the test runner uses.
 */
export const strangerEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(npm_|pnpm_|NODE_OPTIONS$|VITEST|TASKBRIDGE_)/i.test(key) || networkSettings.test(key),
    ),
  )

/** pnpm as it runs this test (its script runner names itself in npm_execpath), else the one on PATH. */
const pnpm = (): [string, Array<string>] => {
  const self = process.env.npm_execpath
  return self !== undefined && /pnpm.*\.c?js$/.test(self) ? [process.execPath, [self]] : ["pnpm", []]
}

/** Builds and packs each public package (`pnpm pack` applies publishConfig); a dist made here is removed again. */
export const packPublicPackages = async (root: string, tarballs: string): Promise<ReadonlyArray<WorkspacePackage>> => {
  mkdirSync(tarballs, { recursive: true })
  const packages = publicPackages(root)
  const [command, prefix] = pnpm()
  // Two at a time: the machine has two cores, and the client's build (it type-checks the API) is the long one.
  const queue = [...packages]
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { dir } = next
      const hadDist = existsSync(join(dir, "dist"))
      try {
        await must(command, [...prefix, "run", "build"], { cwd: dir })
        await must(command, [...prefix, "pack", "--pack-destination", tarballs], { cwd: dir })
      } finally {
        if (!hadDist) rmSync(join(dir, "dist"), { recursive: true, force: true })
      }
    }
  }
  await Promise.all([worker(), worker()])
  return packages
}

/** npm's cache outside the repository, kept between runs so a repeated install needs no network. */
export const npmCache = join(tmpdir(), "taskbridge-npm-cache")

/**
 * A fresh npm project with the tarballs plus effect, TypeScript and Node's types at the workspace's versions. The
 * tarballs are also `overrides`, so an adapter's `@taskbridge/domain` dependency is the local tarball too: a registry
 * would serve it, but here npm would otherwise ask the public registry for our scope (slowly, and it may answer).
 */
export const installConsumer = async (root: string, project: string, tarballs: string): Promise<void> => {
  const packed = Object.fromEntries(readdirSync(tarballs).map((f) => [tarManifestName(f), `file:${join(tarballs, f)}`]))
  const manifest = {
    name: "taskbridge-consumer",
    private: true,
    type: "module",
    dependencies: packed,
    overrides: packed,
  }
  writeFileSync(join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
  const registry = ["effect", "typescript", "@types/node"].map((name) => `${name}@${catalogVersion(root, name)}`)
  const flags = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--cache", npmCache]
  await must("npm", ["install", ...flags, ...registry], { cwd: project, env: strangerEnv() })
}

/** `taskbridge-adapter-kit-0.1.0.tgz` → `@taskbridge/adapter-kit` (pnpm pack's file name for a scoped package). */
const tarManifestName = (file: string): string => {
  const name = file.match(/^taskbridge-(.+?)-\d+\.\d+\.\d+.*\.tgz$/)?.[1]
  if (name === undefined) throw new Error(`not a packed @taskbridge package: ${file}`)
  return `@taskbridge/${name}`
}

const majorOf = async (node: string) => {
  const { stdout } = await run(node, ["--version"], { cwd: tmpdir() })
  return Number(stdout.trim().replace(/^v/, "").split(".")[0])
}

/**
 * The machine's own Node 20 (the repo's pinned Node 24 shadows it on a pnpm script's PATH): TASKBRIDGE_NODE20 if set,
 * else the first `node` on PATH outside any node_modules, then the usual system locations.
 */
export const findNode20 = async (): Promise<string> => {
  const candidates = [
    process.env.TASKBRIDGE_NODE20,
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .filter((d) => d !== "" && !d.includes("node_modules"))
      .map((d) => join(d, "node")),
    "/usr/bin/node",
    "/usr/local/bin/node",
  ].filter((c): c is string => c !== undefined)
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK)
    } catch {
      continue
    }
    if ((await majorOf(candidate)) === 20) return candidate
  }
  throw new Error(`no Node 20 found (looked at ${candidates.join(", ")}); set TASKBRIDGE_NODE20 to one`)
}

export interface TscError {
  readonly file: string
  readonly line: number
  readonly message: string
}

/** The consumer's own tsc over its project; `errors` are tsc's `file(line,col): error …` lines. */
export const typecheck = async (project: string): Promise<{ code: number; errors: ReadonlyArray<TscError> }> => {
  const tsc = join(project, "node_modules", "typescript", "bin", "tsc")
  const result = await run(process.execPath, [tsc, "-p", "."], { cwd: project, env: strangerEnv() })
  const errors = [...result.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (.*)$/gm)].map((m) => ({
    file: m[1] ?? "",
    line: Number(m[2]),
    message: m[3] ?? "",
  }))
  if (result.code !== 0 && errors.length === 0)
    throw new Error(`tsc failed without errors:\n${result.stdout}${result.stderr}`)
  return { code: result.code, errors }
}
