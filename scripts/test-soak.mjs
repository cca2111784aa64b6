// `pnpm test:soak`: every `*.soak.ts` in the repository, found by name (a new soak file needs no registration), run
// package by package with the shared soak config (tooling/vitest/soak.config.ts), one package at a time. Prints
// each package's duration and exits non-zero if any soak failed.
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const config = join(root, "tooling", "vitest", "soak.config.ts")

const soakFiles = (dir) =>
  readdirSync(dir).flatMap((entry) => {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) return []
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) return soakFiles(path)
    return entry.endsWith(".soak.ts") ? [path] : []
  })

/** The nearest folder upwards with a package.json: the package whose vitest and dependencies a soak file uses. */
const packageOf = (file) => {
  let dir = dirname(file)
  while (dir !== root && !existsSync(join(dir, "package.json"))) dir = dirname(dir)
  return dir
}

const packages = [...new Set(soakFiles(root).map(packageOf))].sort()
if (packages.length === 0) {
  console.log("test:soak: no *.soak.ts files")
  process.exit(0)
}
let failed = 0
for (const dir of packages) {
  // This Node (the repo's 24, checked by check-node.mjs), not whatever `node` the .bin shim would find on PATH: the
  // soaks spawn process.execPath, and the machine's Node 20 cannot run TypeScript.
  const vitest = join(dir, "node_modules", "vitest", "vitest.mjs")
  console.log(`\n$ (${relative(root, dir)}) vitest run --config ${relative(root, config)}`)
  const started = Date.now()
  const result = spawnSync(process.execPath, [vitest, "run", "--config", config, "--root", dir], {
    cwd: dir,
    stdio: "inherit",
  })
  const seconds = Math.round((Date.now() - started) / 1000)
  console.log(`test:soak: ${relative(root, dir)} ${result.status === 0 ? "passed" : "FAILED"} in ${seconds} s`)
  if (result.status !== 0) failed++
}
process.exit(failed > 0 ? 1 : 0)
