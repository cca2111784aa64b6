// `pnpm start`: the whole system on embedded defaults — the vendor sandbox (seeded, with simulated staff activity),
// then the API with its in-process runner on PGlite (`./.taskbridge/data`, or PostgreSQL when DATABASE_URL is set),
// which sets up the demo organization, backfills every connection and prints the URLs (API and console), an admin
// token and a one-time sign-in link. The console (apps/admin) is built first with its own Vite when its sources are
// newer than its dist/, and the API serves it at `/`.
// Flags run one part alone: --sandbox, --api (no demo setup), --worker (needs DATABASE_URL). Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { parseArgs } from "node:util"

const root = resolve(import.meta.dirname, "..")
const argv = process.argv.slice(2)
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    sandbox: { type: "boolean", default: false },
    api: { type: "boolean", default: false },
    worker: { type: "boolean", default: false },
  },
})

const entries = {
  sandbox: "apps/sandbox/src/main.ts",
  api: "apps/api/src/main.ts",
  worker: "apps/worker/src/main.ts",
}

const admin = join(root, "apps/admin")

/** The newest modification time under `path` (skipping dependencies and build output). */
const newest = (path) => {
  if (!existsSync(path)) return 0
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let latest = info.mtimeMs
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue
    latest = Math.max(latest, newest(join(path, name)))
  }
  return latest
}

/**
 * Builds the console with the workspace's own Vite unless dist/ is newer than every source; a failed or impossible
 * build is reported and the start goes on (the API then answers the console's paths with a page saying so).
 */
const buildConsole = () => {
  if (!existsSync(join(admin, "package.json"))) {
    console.log("taskbridge: console  not in this checkout (apps/admin); the API and token below still work")
    return
  }
  const built = join(admin, "dist", "index.html")
  if (existsSync(built) && statSync(built).mtimeMs >= newest(admin)) {
    console.log("taskbridge: console  up to date (apps/admin/dist)")
    return
  }
  const vite = join(admin, "node_modules", "vite", "bin", "vite.js")
  if (!existsSync(vite)) {
    console.error("taskbridge: console  cannot be built: apps/admin has no vite installed (run pnpm install)")
    return
  }
  console.log("taskbridge: console  building (vite build in apps/admin)…")
  const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: admin, stdio: "inherit" })
  if (result.status !== 0) console.error("taskbridge: console  build failed; see above (the API still starts)")
}

const children = []
let stopping = false
const stop = (code = 0) => {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM")
  process.exitCode = code
}
process.on("SIGINT", () => stop(0))
process.on("SIGTERM", () => stop(0))

/** Starts a part; its exit ends the whole run (a part that dies takes the system down rather than limping on). */
const start = (name, args = [], options = {}) => {
  const child = spawn(process.execPath, [join(root, entries[name]), ...args], {
    cwd: root,
    stdio: options.pipe ? ["ignore", "pipe", "inherit"] : "inherit",
    env: { ...process.env, ...options.env },
  })
  children.push(child)
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`taskbridge: ${name} exited (${code ?? "signal"}); stopping the rest`)
      stop(code === 0 || code === null ? 1 : code)
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit()
  })
  return child
}

/** The sandbox prints one JSON line per emulator, then `{"ready": true}`; resolves with their base URLs. */
const startSandbox = () =>
  new Promise((resolveUrls, reject) => {
    const child = start("sandbox", ["--activity", process.env.SANDBOX_ACTIVITY_RATE ?? "0.2"], { pipe: true })
    const urls = []
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const info = JSON.parse(line)
        if (info.ready === true) return resolveUrls(urls)
        urls.push(info.baseUrl)
        console.log(`taskbridge: sandbox ${info.vendor} at ${info.baseUrl}`)
      } catch {
        console.log(line)
      }
    })
    child.on("exit", () => reject(new Error("the sandbox did not start")))
  })

if (values.worker) start("worker")
else if (values.sandbox) start("sandbox", ["--activity", process.env.SANDBOX_ACTIVITY_RATE ?? "0.2"])
else if (values.api) start("api")
else {
  buildConsole()
  const urls = await startSandbox().catch((error) => {
    console.error(`taskbridge: ${error.message}`)
    stop(1)
    return null
  })
  if (urls !== null) {
    // The emulators listen on loopback over http, which the egress policy refuses unless their hosts are allowed.
    const sandboxHosts = urls.map((url) => new URL(url).host)
    const allowed = [process.env.TASKBRIDGE_ALLOWED_HOSTS, ...sandboxHosts].filter(Boolean).join(",")
    start("api", ["--demo", urls.join(",")], { env: { TASKBRIDGE_ALLOWED_HOSTS: allowed } })
  }
}
