// The public packages as a consumer gets them: built, packed with pnpm (publishConfig applied), installed by npm from
// the tarballs into a fresh project in the OS temp folder (no workspace links), imported under the machine's Node 20
// and the repo's Node 24, and type-checked by the consumer's own tsc — with two wrong lines, and without them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { filesUnder } from "../src/Verify.ts"
import { type Manifest, readManifest, type WorkspacePackage, workspaceRoot } from "../src/Workspace.ts"
import {
  findNode20,
  installConsumer,
  must,
  packPublicPackages,
  run,
  strangerEnv,
  type TscError,
  typecheck,
} from "./Consumer.ts"

const root = workspaceRoot(import.meta.dirname)
const scratch = mkdtempSync(join(tmpdir(), "taskbridge-consumer-"))
const project = join(scratch, "project")
const tarballs = join(scratch, "tarballs")

/** The domain README's first `ts` block, run as written (its `// prints:` comment is the expected output). */
const readme = readFileSync(join(root, "packages", "domain", "README.md"), "utf8").match(/```ts\n([\s\S]*?)```/)?.[1]
const expectedReadmeOutput = readme?.match(/\/\/ prints: (.*)$/m)?.[1]

const consumer = [
  `import { createClient, type RouterOutputs } from "@taskbridge/client"`,
  `import { Task } from "@taskbridge/domain/Task"`,
  `import { Schema } from "effect"`,
  `const client = createClient({ url: "http://127.0.0.1:4000", token: "tb_example" })`,
  `export const decodeTask = (json: unknown): Task => Schema.decodeUnknownSync(Schema.toCodecJson(Task))(json)`,
  `export const start = (task: RouterOutputs["tasks"]["get"]) =>`,
  `  client.tasks.update.mutate({ id: task.id, expectedVersion: task.version, patch: { status: "in_progress" } })`,
  `export const titleOf = async (id: string): Promise<string> => (await client.tasks.get.query({ id })).title`,
]
const wrongOutput = `export const wrongOutput = async (id: string): Promise<number> => (await client.tasks.get.query({ id })).title`
const wrongInput = `export const wrongInput = () => client.tasks.update.mutate({ id: 123 })`

let packages: ReadonlyArray<WorkspacePackage> = []
let installed: ReadonlyArray<Manifest> = []
let node20 = ""

const writeConsumer = (lines: ReadonlyArray<string>) =>
  writeFileSync(join(project, "consumer.ts"), `${lines.join("\n")}\n`)

/** Every public entry point by its import specifier, read from the installed manifests and their dist/ files. */
const entryPoints = (): ReadonlyArray<string> =>
  installed.flatMap((manifest) => {
    const dir = join(project, "node_modules", manifest.name)
    const exported = (manifest.exports ?? {}) as unknown as Record<string, { import: string }>
    return Object.entries(exported).flatMap(([key, target]) => {
      if (!key.includes("*")) return [key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`]
      const [prefix = "", suffix = ""] = target.import.slice(2).split("*")
      return filesUnder(join(dir, prefix))
        .map((f) => f.slice(dir.length + 1))
        .filter((f) => f.endsWith(suffix) && !f.endsWith(".map"))
        .map((f) => `${manifest.name}/${key.slice(2).replace("*", f.slice(prefix.length, f.length - suffix.length))}`)
    })
  })

/** Imports every entry point in one process; prints what failed, so a failure names the module and the error. */
const importAll = (node: string) => {
  const script = `const failed = []; for (const s of ${JSON.stringify(entryPoints())}) { try { await import(s) } catch (e) { failed.push(s + ": " + e.message) } } console.log(JSON.stringify(failed))`
  return must(node, ["--input-type=module", "-e", script], { cwd: project, env: strangerEnv() })
}

beforeAll(async () => {
  packages = await packPublicPackages(root, tarballs)
  mkdirSync(project)
  await installConsumer(root, project, tarballs)
  installed = packages.map((p) => readManifest(join(project, "node_modules", p.manifest.name)))
  node20 = await findNode20()
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2023",
        module: "NodeNext",
        strict: true,
        outDir: "out",
        skipLibCheck: false,
        types: ["node"],
      },
      include: ["*.ts"],
    }),
  )
  writeFileSync(join(project, "readme.ts"), readme ?? "")
}, 240_000)

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("the public packages, installed from their tarballs outside the workspace", () => {
  it("are the domain, the client and the adapters a team can use alone", () => {
    expect(packages.map((p) => p.manifest.name).sort()).toEqual([
      "@taskbridge/adapter-candid",
      "@taskbridge/adapter-carevalidate",
      "@taskbridge/adapter-kit",
      "@taskbridge/adapter-koreai",
      "@taskbridge/adapter-spry",
      "@taskbridge/adapter-vambe",
      "@taskbridge/client",
      "@taskbridge/domain",
    ])
  })

  it("ship only dist/ beside their manifest, README and changelog, with types and import conditions on every entry", () => {
    for (const manifest of installed) {
      const dir = join(project, "node_modules", manifest.name)
      const shipped = filesUnder(dir).map((f) => f.slice(dir.length + 1))
      expect(
        shipped.filter((f) => !f.startsWith("dist/") && !/^(package\.json|README\.md|CHANGELOG\.md)$/.test(f)),
      ).toEqual([])
      expect(shipped.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([])
      for (const target of Object.values(manifest.exports ?? {}) as unknown as Array<Record<string, string>>) {
        expect(Object.keys(target)).toEqual(["types", "import"])
      }
    }
  })

  it("leave the API and its server dependencies out of the consumer's install", () => {
    for (const absent of ["@taskbridge/api", "@taskbridge/db", "@taskbridge/sync", "@effect/sql-pg"]) {
      expect(existsSync(join(project, "node_modules", absent)), absent).toBe(false)
    }
  })

  it("import every entry point under the machine's Node 20", async () => {
    expect((await run(node20, ["--version"], { cwd: project })).stdout).toMatch(/^v20\./)
    expect(entryPoints()).toContain("@taskbridge/domain/Task")
    expect(JSON.parse((await importAll(node20)).stdout)).toEqual([])
  })

  it("import every entry point under the repo's Node 24 (which refuses TypeScript inside node_modules)", async () => {
    expect(process.version).toMatch(/^v24\./)
    expect(JSON.parse((await importAll(process.execPath)).stdout)).toEqual([])
  })
})

describe("a consumer's TypeScript", () => {
  let good: { code: number; errors: ReadonlyArray<TscError> } = { code: -1, errors: [] }
  let bad: { code: number; errors: ReadonlyArray<TscError> } = { code: -1, errors: [] }
  const wrongOutputLine = consumer.length + 1
  const wrongInputLine = consumer.length + 2

  beforeAll(async () => {
    writeConsumer([...consumer, wrongOutput, wrongInput])
    bad = await typecheck(project)
    // The passing run goes last: it also emits out/, which the README test runs on Node 20.
    writeConsumer(consumer)
    good = await typecheck(project)
  }, 120_000)

  it("accepts the domain's schemas and correct calls of the client, against the bundled router types", () => {
    expect(good.errors).toEqual([])
    expect(good.code).toBe(0)
  })

  it("refuses a wrong use of a procedure's output, on that line only", () => {
    expect(bad.code).not.toBe(0)
    const lines = bad.errors.filter((e) => e.line !== wrongInputLine).map((e) => `${e.file}:${e.line}`)
    expect(lines).toEqual([`consumer.ts:${wrongOutputLine}`])
  })

  // The API types each procedure's input by its schema's encoded form (apps/api/src/Trpc.ts `input`).
  it("refuses a wrong input type for a procedure, on that line", () => {
    expect(bad.errors.map((e) => `${e.file}:${e.line}`)).toContain(`consumer.ts:${wrongInputLine}`)
  })

  it("runs the domain README's first lines as written, on Node 24 and, compiled by tsc, on Node 20", async () => {
    expect(expectedReadmeOutput).toBeDefined()
    const onNode24 = await must(process.execPath, ["readme.ts"], { cwd: project, env: strangerEnv() })
    expect(onNode24.stdout.trim()).toBe(expectedReadmeOutput)
    const onNode20 = await must(node20, [join("out", "readme.js")], { cwd: project, env: strangerEnv() })
    expect(onNode20.stdout.trim()).toBe(expectedReadmeOutput)
  })
})
