// What an operator meets around the API process, for real: the embedded data folder is owner-only whatever the
// shell's umask and one process owns it (a second API and the recovery CLI are refused while it runs); an organization
// locked out of its admin tokens gets a new one from `pnpm admin-token`; the demo setup rides out a vendor that fails
// once, and keeps its token file owner-only where the README says.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createServer, request as proxyRequest } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Database from "@taskbridge/db/Database"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import * as Persistence from "@taskbridge/db/Persistence"
import * as Secrets from "@taskbridge/db/Secrets"
import { backends } from "@taskbridge/db/testing/Backends"
import { OrganizationId } from "@taskbridge/domain/Ids"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ensureDemo } from "../src/Demo.ts"
import { startHarness } from "./support/harness.ts"

const apiMain = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const cli = fileURLToPath(new URL("../src/AdminToken.ts", import.meta.url))

interface Spawned {
  readonly output: () => string
  readonly exited: Promise<number | null>
  readonly child: ChildProcess
}

const children: Array<ChildProcess> = []
const folders: Array<string> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

const tempFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), "taskbridge-ops-"))
  folders.push(folder)
  return folder
}

/** Runs `script` with `args` under umask 000 (the worst a shell can have), on the embedded folder `dataDir`. */
const run = (
  script: string,
  args: ReadonlyArray<string>,
  dataDir: string,
  env: Readonly<Record<string, string>> = {},
): Spawned => {
  const { DATABASE_URL: _, TASKBRIDGE_SECRET_KEY: __, ...inherited } = process.env
  const child = spawn("sh", ["-c", 'umask 000 && exec "$0" "$@"', process.execPath, script, ...args], {
    env: { ...inherited, ...env, TASKBRIDGE_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  })
  children.push(child)
  let log = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString()
  })
  return { child, output: () => log, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) }
}

/** Every path under `folder` whose mode lets anyone but the owner in. */
const openToOthers = (folder: string): ReadonlyArray<string> =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => (statSync(path).mode & 0o077) !== 0)

/** The embedded persistence of `dataDir`, in this process (the API must not be running on it). */
const embedded = (dataDir: string) =>
  ManagedRuntime.make(
    Persistence.layerRepositories.pipe(
      Layer.provideMerge(Secrets.layer),
      Layer.provideMerge(Database.migrated(Database.layerEmbedded(dataDir))),
      Layer.orDie,
    ),
  )

describe("the embedded data folder", () => {
  it("is owner-only whatever the umask, and a second process on it is refused", async () => {
    const dataDir = join(tempFolder(), "data")
    const api = run(apiMain, ["--port", "0"], dataDir)
    await eventually("the API", async () => (api.output().includes("listening on") ? true : undefined), {
      timeoutMs: 90_000,
      context: api.output,
    })
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    const second = run(apiMain, ["--port", "0"], dataDir)
    expect(await second.exited).not.toBe(0)
    expect(second.output()).toContain("in use by process")
    const recover = run(cli, [], dataDir)
    expect(await recover.exited).toBe(2)
    expect(recover.output()).toContain("in use by process")

    api.child.kill("SIGTERM")
    expect(await api.exited).toBe(0)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dataDir, "secret.key")).mode & 0o777).toBe(0o600)
    expect(openToOthers(dataDir)).toEqual([])
  }, 180_000)
})

describe("the API's settings", () => {
  it("refuses a heap growth that is not a percent from 0 to 400, naming the variable and the rule", async () => {
    const dataDir = join(tempFolder(), "data")
    for (const [value, rule] of [
      ["900", "between 0 and 400"],
      ["lots", "finite number"],
    ] as const) {
      const api = run(apiMain, ["--port", "0"], dataDir, { TASKBRIDGE_HEAP_GROWTH_PERCENT: value })
      expect(await api.exited).toBe(2)
      expect(api.output()).toContain("TASKBRIDGE_HEAP_GROWTH_PERCENT")
      expect(api.output()).toContain(rule)
    }
    // Refused before anything was opened: no data folder was made.
    expect(readdirSync(join(dataDir, ".."))).toEqual([])
  }, 60_000)
})

describe("pnpm admin-token", () => {
  it("gives an organization whose admin tokens are all revoked a new one, and only that organization", async () => {
    const dataDir = join(tempFolder(), "data")
    const org = OrganizationId.make("org-locked-out")
    const setup = embedded(dataDir)
    await setup.runPromise(
      Effect.gen(function* () {
        const orgs = yield* OrganizationRepository
        yield* orgs.create({ id: org, name: "Locked Out Clinic" })
        yield* orgs.create({ id: OrganizationId.make("org-other"), name: "Other Clinic" })
        const only = yield* orgs.issueToken(org, "the only admin", "admin")
        yield* orgs.revokeToken(org, only.id)
      }),
    )
    await setup.dispose()

    const listed = run(cli, [], dataDir)
    expect(await listed.exited).toBe(0)
    expect(listed.output()).toContain("org-locked-out\tLocked Out Clinic")
    const unknown = run(cli, ["--org", "Nobody"], dataDir)
    expect(await unknown.exited).toBe(1)
    const issued = run(cli, ["--org", "Locked Out Clinic"], dataDir)
    expect(await issued.exited).toBe(0)
    const token = issued.output().match(/tb_[A-Za-z0-9_-]+/)?.[0]
    if (token === undefined) throw new Error(`no token in: ${issued.output()}`)

    const check = embedded(dataDir)
    const identity = await check.runPromise(
      OrganizationRepository.use((orgs) => orgs.verifyToken(Redacted.make(token))),
    )
    await check.dispose()
    expect(identity).toMatchObject({ organizationId: org, role: "admin" })
  }, 120_000)
})

describe("the demo setup", () => {
  it("retries a vendor that fails once, and keeps the token file owner-only", async () => {
    const careValidate = await startCareValidate({ port: 0, seed: 4, size: 5 })
    // A proxy in front of the emulator that drops the first connection, as a sandbox still starting would.
    let dropped = 0
    const target = new URL(careValidate.url)
    const proxy = createServer((incoming, outgoing) => {
      if (dropped === 0) {
        dropped += 1
        incoming.socket.destroy()
        return
      }
      const forwarded = proxyRequest(
        {
          host: target.hostname,
          port: target.port,
          path: incoming.url,
          method: incoming.method,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(outgoing)
        },
      )
      incoming.pipe(forwarded)
    })
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve()))
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const harness = await startHarness(backends[0] as (typeof backends)[number])
    try {
      const tokenFile = join(tempFolder(), "data", "demo-admin-token")
      const demo = await harness.runtime.runPromise(ensureDemo({ sandbox: [proxyUrl], apiUrl: proxyUrl, tokenFile }))
      expect(dropped).toBe(1)
      expect(demo.connections.map((c) => c.vendor)).toEqual(["carevalidate"])
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
      // A token file an earlier version left readable is closed up when it is reused or replaced.
      writeFileSync(tokenFile, "tb_not-a-live-token\n", { mode: 0o644 })
      const again = await harness.runtime.runPromise(ensureDemo({ sandbox: [proxyUrl], apiUrl: proxyUrl, tokenFile }))
      expect(again.token).not.toBe("tb_not-a-live-token")
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
    } finally {
      await harness.close()
      proxy.close()
      await careValidate.close()
    }
  }, 120_000)
})
