// Measured work runs in a child process of its own, so its peak memory is its own (the emulators and the other side
// of the comparison live elsewhere): the parent passes one JSON argument, the child ends with one `BENCH_RESULT` line.
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const marker = "BENCH_RESULT "

/** Runs `children/<name>.ts` with `input`; resolves with the result it printed, rejects with its output otherwise. */
export const runChild = <R>(name: string, input: unknown): Promise<R> =>
  new Promise((resolve, reject) => {
    const script = fileURLToPath(new URL(`./children/${name}.ts`, import.meta.url))
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child there (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROF
    const flags = [
      ...(process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean),
      ...(profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`]),
    ]
    // An argument is at most 128 KiB: a larger input (the push baseline's writes) travels in a file, as `@<path>`.
    const json = JSON.stringify(input)
    const folder = json.length > 100_000 ? mkdtempSync(join(tmpdir(), "taskbridge-bench-input-")) : null
    if (folder !== null) writeFileSync(join(folder, "input.json"), json)
    const argument = folder === null ? json : `@${join(folder, "input.json")}`
    const child = spawn(process.execPath, [...flags, script, argument], { stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString()
    })
    // A child that could not start says so instead of leaving the run waiting for an exit that never comes.
    child.once("error", (error) => reject(new Error(`bench child ${name} could not run: ${error.message}`)))
    child.on("exit", (code) => {
      if (folder !== null) rmSync(folder, { recursive: true, force: true })
      if (process.env.BENCH_DEBUG !== undefined)
        console.error(
          `bench child ${name} exited ${code}; ${out.length} chars out, ${err.length} err: ${err.slice(-500)}`,
        )
      const line = out.split("\n").find((l) => l.startsWith(marker))
      if (code === 0 && line !== undefined) return resolve(JSON.parse(line.slice(marker.length)) as R)
      reject(new Error(`bench child ${name} exited ${code}:\n${out.slice(-2000)}\n${err.slice(-4000)}`))
    })
  })

/** In a child: its input. */
export const childInput = <I>(): I => {
  const argument = process.argv[2] ?? "{}"
  return JSON.parse(argument.startsWith("@") ? readFileSync(argument.slice(1), "utf8") : argument) as I
}

/** In a child: report `result` (with the process's peak RSS) and exit once the line is written. */
export const report = (result: Record<string, unknown>): void => {
  const peakRssBytes = process.resourceUsage().maxRSS * 1024
  // A pipe is written asynchronously: exiting before the write completes would cut a large result short.
  process.stdout.write(`${marker}${JSON.stringify({ ...result, peakRssBytes })}\n`, () => process.exit(0))
}

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
    const child = spawn(process.execPath, [script, JSON.stringify(input)], { stdio: ["ignore", "pipe", "pipe"] })
    let log = ""
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const line = log.split("\n").find((l) => l.startsWith("BENCH_READY "))
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
): Promise<{ readonly output: () => string; readonly stop: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    // BENCH_CPU_PROF profiles a started process too (the API under the push load), written when it exits.
    const profile = process.env.BENCH_CPU_PROF
    const flags = profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`]
    const child = spawn(process.execPath, [...flags, script, ...args], {
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
