// CPU readings from /proc: a process's own time grows with the work it does, a process that is gone reads as none,
// and the PostgreSQL server's time is found when one runs on this machine (CI's does).
import { execFileSync, spawn } from "node:child_process"
import { describe, expect, it } from "vitest"
import { postgresCpuMillis, processCpuMillis } from "../src/Machine.ts"

/** Spins until this process has used `millis` of CPU (not wall time: a shared core may give it less of each second). */
const busyFor = (millis: number) => {
  const start = process.cpuUsage()
  let x = 0
  for (;;) {
    for (let i = 0; i < 100_000; i++) x += Math.sqrt(x + i)
    const { user, system } = process.cpuUsage(start)
    if ((user + system) / 1000 >= millis) return x
  }
}

describe("CPU readings", () => {
  it("reads a process's own CPU, growing with its work", () => {
    const before = processCpuMillis(process.pid)
    expect(before).not.toBeNull()
    busyFor(300)
    const after = processCpuMillis(process.pid) ?? 0
    // 300 ms of CPU by Node's own count; /proc counts it in 10 ms ticks.
    expect(after - (before ?? 0)).toBeGreaterThanOrEqual(100)
  })

  it("reads nothing for a process that has exited, or none named", async () => {
    expect(processCpuMillis(undefined)).toBeNull()
    const child = spawn(process.execPath, ["-e", ""])
    const pid = child.pid
    await new Promise((resolve) => child.once("exit", resolve))
    // Reaped by now: its /proc entry is gone.
    expect(processCpuMillis(pid)).toBeNull()
  })

  // Defined where a PostgreSQL runs (TEST_DATABASE_URL, as `.ci/run` sets it), like every PostgreSQL suite here.
  const url = process.env.TEST_DATABASE_URL
  if (url !== undefined)
    it("sums the PostgreSQL server's processes, closed backends included", () => {
      const before = postgresCpuMillis()
      expect(before).not.toBeNull()
      // Work only the server does: a backend busy for a third of a second, which then closes (its time is still
      // counted, through the postmaster's reaped children).
      execFileSync("psql", [url, "-Atc", "SELECT count(*) FROM generate_series(1, 3000000)"], { timeout: 30_000 })
      // The postmaster adds a closed backend's time once it has reaped it, a moment after psql returns: polled.
      const deadline = Date.now() + 10_000
      while ((postgresCpuMillis() ?? 0) - (before ?? 0) < 50 && Date.now() < deadline) execFileSync("sleep", ["0.1"])
      expect((postgresCpuMillis() ?? 0) - (before ?? 0)).toBeGreaterThanOrEqual(50)
    })
})
