// Starts one emulator as its own HTTP server ("host") on node:http; used by tests in-process (port 0) and by
// the standalone `main.ts`. Returns the base URL, the in-process control API and `close`.
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { BaseOptions, EmulatorDefinition } from "./Emulator.ts"
import { send, serve } from "./Pipeline.ts"
import { createSandbox, type SandboxControl, type SandboxInfo } from "./Sandbox.ts"

export interface EmulatorHandle<S> {
  readonly vendor: string
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4101`. */
  readonly url: string
  readonly port: number
  readonly control: SandboxControl
  /** The live vendor state, for tests that need to look behind the API (it changes identity on reset). */
  readonly state: () => S
  readonly info: () => SandboxInfo
  readonly close: () => Promise<void>
}

export const startEmulator = async <S, O extends BaseOptions>(
  definition: EmulatorDefinition<S, O>,
  options: O,
): Promise<EmulatorHandle<S>> => {
  const sandbox = createSandbox(definition, options)
  const holds = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    serve(sandbox, holds, req, res).catch((error: unknown) => {
      // A handler bug must show up as a 500 the test can see, not crash the emulator.
      console.error(`[sandbox:${definition.vendor}]`, error)
      if (!res.headersSent) send(res, definition.responses.serverError(500))
      else res.destroy()
    })
  })
  const host = options.host ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? definition.defaultPort, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const publicHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host
  const close = async () => {
    sandbox.activity.stop()
    sandbox.dispose()
    for (const timer of holds) clearTimeout(timer)
    holds.clear()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return {
    vendor: definition.vendor,
    url: `http://${publicHost.includes(":") ? `[${publicHost}]` : publicHost}:${port}`,
    port,
    control: sandbox.control,
    state: () => sandbox.current().state,
    info: sandbox.control.info,
    close,
  }
}
