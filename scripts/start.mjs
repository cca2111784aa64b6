// `pnpm start`: the whole system on embedded defaults — the vendor sandbox (seeded, with simulated staff activity),
// then the API with its in-process runner on PGlite (`./.taskbridge/data`, or PostgreSQL when DATABASE_URL is set),
// which sets up the demo organization, backfills every connection and prints the URL and an admin token.
// Flags run one part alone: --sandbox, --api (no demo setup), --worker (needs DATABASE_URL). Ctrl-C stops everything.
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
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
  admin: "apps/admin/src/main.ts",
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
    if (existsSync(join(root, entries.admin))) start("admin")
    else console.log("taskbridge: admin console: not built yet; use the API and token below")
  }
}
