// `pnpm test`: lint (format, lint rules, dependency direction), then typecheck and every package's tests through
// turbo, then one closing "N passed, N failed" line summed from each package's vitest JSON report.
import { spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const reports = join(root, ".turbo", "test-reports")
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

const run = (command, args, env = {}) => {
  console.log(`\n$ ${command} ${args.join(" ")}`)
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } })
  return result.status ?? 1
}

const bin = (name) => join(root, "node_modules", ".bin", name)
let status = run(process.execPath, [join(root, "scripts", "check-node.mjs")])
if (status === 0) status = run(bin("biome"), ["check", "."])
if (status === 0) status = run(process.execPath, [join(root, "tooling", "lint", "src", "depcheck.ts")])
if (status === 0) {
  // One task at a time: the machine has 2 cores and database-backed suites must not compete for them.
  status = run(bin("turbo"), ["run", "typecheck", "test", "--concurrency=1", "--continue", "--output-logs=new-only"], {
    TASKBRIDGE_TEST_REPORT_DIR: reports,
    TURBO_TELEMETRY_DISABLED: "1",
  })
}

let passed = 0
let failed = 0
let skipped = 0
for (const file of readdirSync(reports).filter((f) => f.endsWith(".json"))) {
  const report = JSON.parse(readFileSync(join(reports, file), "utf8"))
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + report.numTodoTests
}
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
process.exit(status !== 0 ? status : failed > 0 || passed === 0 ? 1 : 0)
