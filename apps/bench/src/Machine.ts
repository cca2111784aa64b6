// What the figures were measured on: cores, memory, CPU model, Node and PostgreSQL versions, the load when the run
// started (the machine is shared, so a ratio to a baseline from the same run is what to read, not a figure alone);
// and the CPU a process or the PostgreSQL server has used, read from /proc (CPU per unit of work holds steadier than
// a rate on a machine whose other tenants take a share of the cores).
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { cpus, loadavg, totalmem } from "node:os"

export interface Machine {
  readonly cores: number
  readonly memoryGiB: number
  readonly cpu: string
  readonly node: string
  readonly postgres: string | null
  readonly loadAverage: readonly [number, number, number]
}

const postgresVersion = (url: string | undefined): string | null => {
  if (url === undefined) return null
  try {
    return execFileSync("psql", [url, "-Atc", "SHOW server_version"], { encoding: "utf8", timeout: 5_000 }).trim()
  } catch {
    return null
  }
}

export const machine = (postgresUrl: string | undefined): Machine => {
  const [one = 0, five = 0, fifteen = 0] = loadavg().map((l) => +l.toFixed(2))
  return {
    cores: cpus().length,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
    postgres: postgresVersion(postgresUrl),
    loadAverage: [one, five, fifteen],
  }
}

// Linux's clock ticks per second for /proc's CPU times (USER_HZ, 100 on every architecture Node runs on here).
const ticksPerSecond = 100

/**
 * CPU (user + system) of one /proc/<pid>/stat line, in ms, with `children` also that of its exited and reaped
 * children (a server's closed backends). The name in parentheses may itself hold spaces.
 */
const statCpuMillis = (stat: string, children = false): number => {
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number)
  const own = (fields[11] ?? 0) + (fields[12] ?? 0)
  const reaped = children ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0
  return ((own + reaped) * 1000) / ticksPerSecond
}

/** The CPU a process has used so far (ms), from /proc; null where there is none (not Linux, or the process is gone). */
export const processCpuMillis = (pid: number | undefined): number | null => {
  if (pid === undefined) return null
  try {
    return statCpuMillis(readFileSync(`/proc/${pid}/stat`, "utf8"))
  } catch {
    return null
  }
}

/**
 * The CPU every PostgreSQL server process of this machine has used so far (ms): its backends, WAL writer and
 * checkpointer alike, and the backends that have closed (the postmaster counts its reaped children's time), so a
 * difference over a load is what the load cost the server. Null without /proc or a server.
 */
export const postgresCpuMillis = (): number | null => {
  let total = 0
  let found = false
  let entries: Array<string>
  try {
    entries = readdirSync("/proc")
  } catch {
    return null
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      if (!stat.includes("(postgres)")) continue
      total += statCpuMillis(stat, true)
      found = true
    } catch {
      // Gone between the listing and the read (a backend that closed): its time left with it.
    }
  }
  return found ? total : null
}
