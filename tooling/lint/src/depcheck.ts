// CLI for the dependency-direction check (`pnpm lint` runs it): scans the workspace, prints every violation
// with file and line, and exits non-zero so CI fails.
import { resolve } from "node:path"
import { checkWorkspace } from "./rules.ts"
import { scanWorkspace } from "./scan.ts"

const root = resolve(process.argv[2] ?? process.cwd())
const packages = scanWorkspace(root)
const violations = checkWorkspace(packages)
for (const v of violations) console.error(`${v.file}:${v.line}  [${v.rule}] ${v.pkg}: ${v.message}`)
if (violations.length > 0) {
  console.error(`dependency check: ${violations.length} violation(s)`)
  process.exit(1)
}
const files = packages.reduce((n, p) => n + p.files.length, 0)
console.log(`dependency check: ${packages.length} packages, ${files} files, no violations`)
