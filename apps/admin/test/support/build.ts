// vitest global setup: builds the console once with Vite, so the API under test serves exactly what ships.
import { spawnSync } from "node:child_process"
import { join, resolve } from "node:path"

export default function setup() {
  const admin = resolve(import.meta.dirname, "../..")
  const vite = join(admin, "node_modules", "vite", "bin", "vite.js")
  const built = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: admin, stdio: "inherit" })
  if (built.status !== 0) throw new Error(`vite build failed (${built.status})`)
}
