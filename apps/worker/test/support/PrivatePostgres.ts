// A PostgreSQL server of the test's own (initdb into a temporary folder, its own port), so a soak can stop and start a
// real server mid-sync without touching the machine's shared one that other suites use. Run as the `postgres` user
// (PostgreSQL refuses root) through `runuser` when the test runs as root.
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface PrivatePostgres {
  /** Trust-auth URL of its `postgres` database, for creating test databases. */
  readonly adminUrl: string
  /** A crash of the server (`pg_ctl stop -m immediate`: no shutdown checkpoint, recovery on the next start). */
  readonly crash: () => void
  readonly start: () => void
  readonly close: () => void
}

const bin = (() => {
  const found = ["17", "16", "15", "14"]
    .map((v) => `/usr/lib/postgresql/${v}/bin`)
    .find((d) => existsSync(join(d, "pg_ctl")))
  if (found === undefined) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql")
  return found
})()

const asPostgres = (command: string, args: ReadonlyArray<string>) => {
  const root = process.getuid?.() === 0
  execFileSync(
    root ? "runuser" : join(bin, command),
    root ? ["-u", "postgres", "--", join(bin, command), ...args] : args,
    {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 60_000,
    },
  )
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export const startPrivatePostgres = async (): Promise<PrivatePostgres> => {
  const folder = mkdtempSync(join(tmpdir(), "taskbridge-pg-"))
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", folder])
  const data = join(folder, "data")
  const port = await freePort()
  asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"])
  // fsync off: the test crashes the server, never the machine, so what the server wrote survives in the page cache.
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`
  const start = () => asPostgres("pg_ctl", ["-D", data, "-o", options, "-l", join(folder, "log"), "-w", "start"])
  const stop = (mode: string) => asPostgres("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"])
  start()
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    crash: () => stop("immediate"),
    start,
    close: () => {
      try {
        stop("immediate")
      } catch {
        // Already stopped.
      }
      rmSync(folder, { recursive: true, force: true })
    },
  }
}
