// A real stack for the console's end-to-end tests: the sandbox emulators and the API (its embedded runner on a fresh
// PGlite folder, the demo organization set up against the emulators, the built console served at `/`), each its own
// process started from its real entry. Resolves with their URLs, the demo admin token and the one-time sign-in link.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import type { AppRouter } from "@taskbridge/api/Router"
import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client"

const root = resolve(import.meta.dirname, "../../../..")

export interface Emulator {
  readonly vendor: string
  readonly baseUrl: string
  readonly controlUrl: string
  readonly credentials: ReadonlyArray<Record<string, string>>
}

export interface Stack {
  readonly url: string
  readonly token: string
  readonly signInLink: string
  readonly emulators: ReadonlyMap<string, Emulator>
  /** The API as the holder of `token` (default: the demo admin) calls it. */
  readonly api: (token?: string) => TRPCClient<AppRouter>
  /** The emulator's control API (`/_sandbox/…`). */
  readonly control: (vendor: string, path: string, init?: { method?: string; body?: unknown }) => Promise<unknown>
  readonly output: () => string
  readonly close: () => Promise<void>
}

const lines = (child: ChildProcess, log: Array<string>, onLine: (line: string) => void) => {
  if (child.stdout !== null)
    createInterface({ input: child.stdout }).on("line", (l) => {
      log.push(l)
      onLine(l)
    })
  if (child.stderr !== null) createInterface({ input: child.stderr }).on("line", (l) => void log.push(l))
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done()
    child.once("exit", () => done())
    child.kill("SIGTERM")
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref()
  })

export const startStack = async (options: { readonly size?: number } = {}): Promise<Stack> => {
  const log: Array<string> = []
  const dataDir = mkdtempSync(join(tmpdir(), "taskbridge-admin-e2e-"))
  const children: Array<ChildProcess> = []
  const fail = (what: string) => new Error(`${what}\n${log.slice(-40).join("\n")}`)
  const sandbox = spawn(
    process.execPath,
    [
      join(root, "apps/sandbox/src/main.ts"),
      "--size",
      String(options.size ?? 80),
      "--seed",
      "5",
      ...["candid", "vambe", "koreai", "spry", "carevalidate"].flatMap((v) => ["--port", `${v}=0`]),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  )
  children.push(sandbox)
  const emulators = new Map<string, Emulator>()
  await new Promise<void>((ready, reject) => {
    lines(sandbox, log, (line) => {
      try {
        const info = JSON.parse(line) as Emulator & { ready?: boolean }
        if (info.ready === true) ready()
        else if (info.vendor !== undefined) emulators.set(info.vendor, info)
      } catch {}
    })
    sandbox.once("exit", () => reject(fail("the sandbox exited")))
  })
  const urls = [...emulators.values()].map((e) => e.baseUrl)
  const hosts = urls.map((u) => new URL(u).host).join(",")
  const api = spawn(process.execPath, [join(root, "apps/api/src/main.ts"), "--port", "0", "--demo", urls.join(",")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      TASKBRIDGE_DATA_DIR: join(dataDir, "data"),
      TASKBRIDGE_ALLOWED_HOSTS: hosts,
      TASKBRIDGE_PULL_INTERVAL: "1 hour",
      DATABASE_URL: "",
    },
  })
  children.push(api)
  const found: { url?: string; token?: string; link?: string } = {}
  await new Promise<void>((ready, reject) => {
    lines(api, log, (line) => {
      const listening = /listening on (\S+)\/trpc/.exec(line)
      if (listening?.[1] !== undefined) found.url = listening[1]
      const token = /taskbridge: token\s+(\S+)/.exec(line)
      if (token?.[1] !== undefined) found.token = token[1]
      const link = /taskbridge: sign in\s+(\S+)/.exec(line)
      if (link?.[1] !== undefined) found.link = link[1]
      if (/backfills finished/.test(line)) ready()
    })
    api.once("exit", () => reject(fail("the API exited")))
    setTimeout(() => reject(fail("the API did not finish its demo backfills in 180 s")), 180_000).unref()
  })
  const { url, token, link } = found
  if (url === undefined || token === undefined || link === undefined)
    throw fail("the API did not print its URL, token and link")
  const client = (bearer = token) =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${url}/trpc`, headers: () => ({ authorization: `Bearer ${bearer}` }) })],
    })
  return {
    url,
    token,
    signInLink: link,
    emulators,
    api: client,
    control: async (vendor, path, init = {}) => {
      const emulator = emulators.get(vendor)
      if (emulator === undefined) throw new Error(`no ${vendor} emulator`)
      const response = await fetch(`${emulator.controlUrl}${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: { "content-type": "application/json" },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      })
      if (!response.ok) throw new Error(`${vendor} control ${path}: ${response.status} ${await response.text()}`)
      return response.json()
    },
    output: () => log.join("\n"),
    close: async () => {
      for (const child of [...children].reverse()) await stopped(child)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
