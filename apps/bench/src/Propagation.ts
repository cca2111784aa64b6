// Propagation: how long a change made at a vendor takes to be visible through the API. Every emulator the sandbox
// registers runs here; the API (apps/api's own entry, `--demo`, in a child process on a fresh PostgreSQL database)
// connects to each. A vendor-side edit of one record (a reassignment, or a plain edit) starts the clock, which stops when `tasks.get` shows
// the task's new version: through the vendor's signed webhook where it sends one, else through the next poll.

import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Backend } from "@taskbridge/db/testing/Backends"
import type { EmulatorHandle } from "@taskbridge/sandbox/framework/Server"
import { emulators } from "@taskbridge/sandbox/registry"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Exit, Scope } from "effect"
import { startProcess } from "./Child.ts"
import { type Latency, latency } from "./Stats.ts"

export interface PropagationFigures {
  readonly pollIntervalSeconds: number
  readonly vendors: ReadonlyArray<{
    readonly vendor: string
    readonly via: "webhook" | "poll"
    readonly latency: Latency
    readonly timedOut: number
  }>
}

const apiMain = fileURLToPath(new URL("../../api/src/main.ts", import.meta.url))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface WireTask {
  readonly id: string
  readonly version: number
  readonly links: ReadonlyArray<{ readonly vendor: string; readonly recordId: string }>
}

export const propagationBenchmark = async (
  postgres: Backend,
  options: { readonly samples: number; readonly pollIntervalSeconds: number },
): Promise<PropagationFigures> => {
  const started: Array<EmulatorHandle<unknown>> = []
  const scope = Effect.runSync(Scope.make())
  const folder = mkdtempSync(join(tmpdir(), "taskbridge-bench-"))
  try {
    for (const emulator of emulators) started.push(await emulator.start({ port: 0, seed: 5, size: 120 }))
    const db = await Effect.runPromise(Scope.provide(scope)(postgres.fresh))
    const api = await startProcess(
      apiMain,
      ["--port", "0", "--demo", started.map((e) => e.url).join(",")],
      {
        ...db.env,
        TASKBRIDGE_SECRET_KEY: Buffer.alloc(32, 21).toString("base64"),
        TASKBRIDGE_PULL_INTERVAL: `${options.pollIntervalSeconds} seconds`,
        TASKBRIDGE_ALLOWED_HOSTS: "127.0.0.1",
        TASKBRIDGE_DATA_DIR: join(folder, "data"),
      },
      [/backfills finished/, /token\s+tb_\S+/],
    )
    try {
      const url = /listening on (http:\/\/\S+)\/trpc/.exec(api.output())?.[1] ?? ""
      const token = /token\s+(tb_\S+)/.exec(api.output())?.[1] ?? ""
      const headers = { authorization: `Bearer ${token}` }
      const query = async <T>(path: string, input: unknown): Promise<T> => {
        const answer = await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
          headers,
        })
        return ((await answer.json()) as { result: { data: T } }).result.data
      }
      const results: Array<PropagationFigures["vendors"][number]> = []
      for (const handle of started) {
        const definition = definitions.find((d) => d.vendor === handle.vendor)
        // A vendor-side edit of a named record: a reassignment where the vendor has assignees, else a plain edit.
        const kind = ["assign", "edit", "status"].find((k) => handle.control.activity.kinds.includes(k))
        if (definition === undefined || kind === undefined) continue
        const via = definition.webhook === null ? "poll" : "webhook"
        const page = await query<{ items: ReadonlyArray<WireTask> }>("tasks.list", {
          // Open work only: a vendor does not reassign what it has closed.
          filter: { vendors: [handle.vendor], statuses: ["open", "in_progress", "waiting"] },
          limit: 50,
        })
        const samples: Array<number> = []
        let timedOut = 0
        for (let i = 0; i < options.samples; i++) {
          const task = page.items[i % page.items.length]
          const record = task?.links.find((l) => l.vendor === handle.vendor)?.recordId
          if (task === undefined || record === undefined) break
          const before = (await query<WireTask>("tasks.get", { id: task.id })).version
          // An edit can draw the value the record already holds (Spry's preferred time slot, say): the emulator then
          // changes nothing and there is nothing to propagate, which used to be counted as a timeout. It is drawn
          // again; a record no draw changes gives no sample (the table's sample count shows it).
          let applied = false
          for (let draw = 0; draw < 20 && !applied; draw++) {
            applied = handle.control.activity.step(1, { kinds: [kind], id: record }).length > 0
          }
          if (!applied) continue
          const at = performance.now()
          const deadline = at + (options.pollIntervalSeconds * 2 + 10) * 1000
          let seen = false
          while (performance.now() < deadline) {
            if ((await query<WireTask>("tasks.get", { id: task.id })).version > before) {
              samples.push(performance.now() - at)
              seen = true
              break
            }
            await sleep(10)
          }
          if (!seen) timedOut += 1
        }
        results.push({ vendor: handle.vendor, via, latency: latency(samples, 1), timedOut })
      }
      return { pollIntervalSeconds: options.pollIntervalSeconds, vendors: results }
    } finally {
      await api.stop()
    }
  } finally {
    for (const handle of started) await handle.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
    rmSync(folder, { recursive: true, force: true })
  }
}
