// Runs a fixture script in its own Node process, reads its stdout line by line and kills it when the scope closes, so
// a failed test never leaves a worker behind. `process.execPath` is the real Node 24 binary, not the
// node_modules/.bin shim, so a SIGKILL reaches the worker itself rather than a wrapper.
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { Duration, Effect, type Scope } from "effect"

export interface Child {
  readonly process: ChildProcess
  /** The first stdout line starting with `prefix`, without it; dies with the child's output if none comes in time. */
  readonly line: (prefix: string, within?: Duration.Input) => Effect.Effect<string>
  /** The exit code (null after a signal), once the process has ended. */
  readonly exited: Effect.Effect<number | null>
  /** Everything printed so far, for failure messages. */
  readonly output: () => string
}

export const spawnFixture = Effect.fn("child.spawnFixture")(function* (
  script: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
): Effect.fn.Return<Child, never, Scope.Scope> {
  const child = yield* Effect.acquireRelease(
    Effect.sync(() =>
      spawn(process.execPath, [script, ...args], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    ),
    (child) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")),
  )
  const lines: Array<string> = []
  const waiters = new Set<() => void>()
  let log = ""
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line)
    log += `${line}\n`
    for (const wake of waiters) wake()
  })
  child.stderr.on("data", (chunk: Buffer) => {
    log += chunk.toString()
  })
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  const find = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length)
  const printed = (prefix: string) =>
    Effect.callback<string>((resume) => {
      const check = () => {
        const found = find(prefix)
        if (found === undefined) return
        waiters.delete(check)
        resume(Effect.succeed(found))
      }
      waiters.add(check)
      check()
      return Effect.sync(() => waiters.delete(check))
    })
  const line = Effect.fn("child.line")(function* (prefix: string, within: Duration.Input = Duration.seconds(30)) {
    return yield* printed(prefix).pipe(
      Effect.timeoutOrElse({
        duration: within,
        orElse: () => Effect.die(new Error(`no "${prefix}" line from ${script} ${args.join(" ")}:\n${log}`)),
      }),
    )
  })
  return { process: child, line, exited: Effect.promise(() => exit), output: () => log }
})
