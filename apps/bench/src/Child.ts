// Measured work runs in a child process of its own, so its peak memory is its own (the emulators and the other side
// of the comparison live elsewhere): the parent passes one JSON argument, the child ends with one `BENCH_RESULT` line.
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const marker = "BENCH_RESULT "

/**
 * The lines of a child's output so far that have ended: a line longer than a pipe's chunk (the push suite's results
 * carry every sample, > 64 KiB) arrives in pieces, and its first piece is not yet the line.
 */
export const completeLines = (output: string): ReadonlyArray<string> => {
  const end = output.lastIndexOf("\n")
  return end < 0 ? [] : output.slice(0, end).split("\n")
}

/** BENCH_CPU_PROF=<dir>: every measured process writes a V8 CPU profile there (open it in Chrome's DevTools). */
const profiling = (): ReadonlyArray<string> => {
  const dir = process.env.BENCH_CPU_PROF
  return dir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`]
}

/** A child that measures in steps: each `next()` resolves with the result of its next step. */
export interface SteppedChild<R> {
  /** Lets the child run its next step (the first runs on its own) and resolves with what it reported. */
  readonly next: () => Promise<R>
}

/**
 * Starts `children/<name>.ts` with `input`. The child reports one result per step (`step`, then `report` for its
 * last); between two steps it waits for the parent, so the parent can change the world (a vendor's records) while the
 * child's process, and whatever it has warmed, stays as it is — as a running worker's would.
 */
export const openChild = <R>(name: string, input: unknown): SteppedChild<R> => {
  const script = fileURLToPath(new URL(`./children/${name}.ts`, import.meta.url))
  const flags = [...(process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean), ...profiling()]
  // An argument is at most 128 KiB: a larger input (the push baseline's writes) travels in a file, as `@<path>`.
  const json = JSON.stringify(input)
  const folder = json.length > 100_000 ? mkdtempSync(join(tmpdir(), "taskbridge-bench-input-")) : null
  if (folder !== null) writeFileSync(join(folder, "input.json"), json)
  const argument = folder === null ? json : `@${join(folder, "input.json")}`
  const child = spawn(process.execPath, [...flags, script, argument], { stdio: ["pipe", "pipe", "pipe"] })
  let out = ""
  let err = ""
  let seen = 0
  const results: Array<R> = []
  let waiting: { resolve: (r: R) => void; reject: (e: Error) => void } | null = null
  let failure: Error | null = null
  const settle = () => {
    if (waiting === null) return
    const result = results.shift()
    if (result !== undefined) {
      const { resolve } = waiting
      waiting = null
      resolve(result)
    } else if (failure !== null) {
      const { reject } = waiting
      waiting = null
      reject(failure)
    }
  }
  child.stdout.setEncoding("utf8")
  child.stdout.on("data", (chunk: string) => {
    out += chunk
    const lines = completeLines(out).filter((l) => l.startsWith(marker))
    for (const line of lines.slice(seen)) results.push(JSON.parse(line.slice(marker.length)) as R)
    seen = lines.length
    settle()
  })
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString()
  })
  // A child that could not start says so instead of leaving the run waiting for an exit that never comes.
  child.once("error", (error) => {
    failure = new Error(`bench child ${name} could not run: ${error.message}`)
    settle()
  })
  child.on("exit", (code) => {
    if (folder !== null) rmSync(folder, { recursive: true, force: true })
    if (process.env.BENCH_DEBUG !== undefined)
      console.error(
        `bench child ${name} exited ${code}; ${out.length} chars out, ${err.length} err: ${err.slice(-500)}`,
      )
    failure = new Error(`bench child ${name} exited ${code}:\n${out.slice(-2000)}\n${err.slice(-4000)}`)
    settle()
  })
  let steps = 0
  return {
    next: () =>
      new Promise<R>((resolve, reject) => {
        if (steps++ > 0) child.stdin.write("next\n")
        waiting = { resolve, reject }
        settle()
      }),
  }
}

/** Runs `children/<name>.ts` with `input`; resolves with the result it printed, rejects with its output otherwise. */
export const runChild = <R>(name: string, input: unknown): Promise<R> => openChild<R>(name, input).next()

/** In a child: its input. */
export const childInput = <I>(): I => {
  const argument = process.argv[2] ?? "{}"
  return JSON.parse(argument.startsWith("@") ? readFileSync(argument.slice(1), "utf8") : argument) as I
}

const line = (result: Record<string, unknown>) =>
  // The process's peak RSS so far: a later step's includes an earlier one's.
  `${marker}${JSON.stringify({ ...result, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`

/** In a child: report `result` (with the process's peak RSS) and exit once the line is written. */
export const report = (result: Record<string, unknown>): void => {
  // A pipe is written asynchronously: exiting before the write completes would cut a large result short.
  process.stdout.write(line(result), () => process.exit(0))
}

/** In a child: report one step's `result` and wait until the parent asks for the next step. */
export const step = (result: Record<string, unknown>): Promise<void> =>
  new Promise((resolve) => {
    process.stdout.write(line(result))
    let pending = ""
    const onData = (chunk: Buffer) => {
      pending += chunk.toString()
      if (!pending.includes("\n")) return
      process.stdin.off("data", onData)
      process.stdin.pause()
      resolve()
    }
    process.stdin.on("data", onData)
    // A parent that went away asks for nothing more: end, rather than hold the database's connections open.
    process.stdin.once("end", () => process.exit(1))
    process.stdin.resume()
  })

export interface RunningChild {
  /** What the child printed after `BENCH_READY `, parsed. */
  readonly ready: unknown
  readonly output: () => string
  readonly stop: () => Promise<void>
}

/** Starts a long-running child (a server) and resolves once it prints `BENCH_READY <json>`. */
export const startChild = (name: string, input: unknown): Promise<RunningChild> =>
  new Promise((resolve, reject) => {
    const script = fileURLToPath(new URL(`./children/${name}.ts`, import.meta.url))
    // A server child is profiled too (the API under the API suite's load); its profile is written when it exits.
    const child = spawn(process.execPath, [...profiling(), script, JSON.stringify(input)], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    let log = ""
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const line = completeLines(log).find((l) => l.startsWith("BENCH_READY "))
      if (line !== undefined) {
        child.stdout.off("data", onData)
        resolve({
          ready: JSON.parse(line.slice("BENCH_READY ".length)),
          output: () => log,
          stop: async () => {
            child.kill("SIGTERM")
            await exited
          },
        })
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", (chunk: Buffer) => {
      log += chunk.toString()
    })
    child.once("exit", (code) => reject(new Error(`bench child ${name} exited ${code} before it was ready:\n${log}`)))
  })

/** In a child: say it is ready, with `info`. */
export const ready = (info: unknown) => process.stdout.write(`BENCH_READY ${JSON.stringify(info)}\n`)

/** Starts `script` (a path) with `args` and `env`, resolving once its output matches every pattern in `ready`. */
export const startProcess = (
  script: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  ready: ReadonlyArray<RegExp>,
  timeoutMs = 180_000,
): Promise<{ readonly pid: number | undefined; readonly output: () => string; readonly stop: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    // A started process is profiled too (the API under the push load); its profile is written when it exits.
    const profile = process.env.BENCH_CPU_PROF
    const child = spawn(process.execPath, [...profiling(), script, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let log = ""
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${script} was not ready within ${timeoutMs} ms:\n${log.slice(-4000)}`))
    }, timeoutMs)
    const check = (chunk: Buffer) => {
      log += chunk.toString()
      if (ready.every((pattern) => pattern.test(log))) {
        clearTimeout(timer)
        resolve({
          pid: child.pid,
          output: () => log,
          // A graceful stop waits for work in flight (a push backlog); the measurement is over, so 10 s is enough —
          // unless the process is profiled: its profile is written only once it exits on its own.
          stop: async () => {
            child.kill("SIGTERM")
            const force = setTimeout(() => child.kill("SIGKILL"), profile === undefined ? 10_000 : 120_000)
            await exited
            clearTimeout(force)
          },
        })
      }
    }
    child.stdout.on("data", check)
    child.stderr.on("data", check)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited ${code}:\n${log.slice(-4000)}`))
    })
  })
