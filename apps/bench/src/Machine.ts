// What the figures were measured on: cores, memory, CPU model, Node and PostgreSQL versions, the load when the run
// started (the machine is shared, so a ratio to a baseline from the same run is what to read, not a figure alone).
import { execFileSync } from "node:child_process"
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
