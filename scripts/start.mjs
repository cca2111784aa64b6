// `pnpm start`: brings up whatever parts of taskbridge exist on embedded defaults and says plainly what does not
// exist yet. Today that is the vendor sandbox; the API, worker and admin console join as their issues land.
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const parts = [
  { name: "vendor sandbox", entry: "apps/sandbox/src/main.ts" },
  { name: "tRPC API with in-process sync runner", entry: "apps/api/src/main.ts" },
  { name: "admin console", entry: "apps/admin/src/main.ts" },
]

const present = parts.filter((p) => existsSync(join(root, p.entry)))
for (const p of parts.filter((x) => !present.includes(x))) console.log(`taskbridge: ${p.name}: not built yet (skipped)`)
if (present.length === 0) {
  console.log("taskbridge: nothing runnable exists yet; the domain package is a library (see README.md).")
  process.exit(0)
}

const children = present.map((p) => {
  console.log(`taskbridge: starting ${p.name}`)
  return spawn(process.execPath, [join(root, p.entry)], { cwd: root, stdio: "inherit" })
})
const stop = () => {
  for (const child of children) child.kill("SIGTERM")
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
let running = children.length
for (const child of children) {
  child.on("exit", (code) => {
    running -= 1
    if (code !== 0 && code !== null) process.exitCode = code
    if (running === 0) process.exit()
  })
}
