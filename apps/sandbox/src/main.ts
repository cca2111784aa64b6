// Standalone sandbox: starts every registered emulator on its own port and prints one JSON line per vendor
// with its base URL and demo credentials. Flags override env: --seed, --size, --activity, --latency-ms, --host,
// --only, --port vendor=PORT (env SANDBOX_SEED, SANDBOX_SIZE, SANDBOX_ACTIVITY_RATE, SANDBOX_LATENCY_MS,
// SANDBOX_HOST, SANDBOX_ONLY, SANDBOX_<VENDOR>_PORT).
import { parseArgs } from "node:util"
import type { BaseOptions } from "./framework/Emulator.ts"
import type { EmulatorHandle } from "./framework/Server.ts"
import { emulators } from "./registry.ts"

// `pnpm start -- --seed 1` passes the `--` through; drop it so the flags after it still parse.
const argv = process.argv.slice(2)
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    seed: { type: "string" },
    size: { type: "string" },
    activity: { type: "string" },
    "latency-ms": { type: "string" },
    host: { type: "string" },
    only: { type: "string" },
    port: { type: "string", multiple: true },
  },
})

const numberOf = (raw: string | undefined, name: string): number | undefined => {
  if (raw === undefined || raw === "") return undefined
  const value = Number(raw)
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${raw}`)
  return value
}

const ports = new Map(
  (values.port ?? []).map((entry) => {
    const [vendor = "", port = ""] = entry.split("=")
    return [vendor, numberOf(port, `--port ${vendor}`)] as const
  }),
)

const env = process.env
const only = (values.only ?? env.SANDBOX_ONLY)?.split(",").map((vendor) => vendor.trim())
const seed = numberOf(values.seed ?? env.SANDBOX_SEED, "seed")
const size = numberOf(values.size ?? env.SANDBOX_SIZE, "size")
const activity = numberOf(values.activity ?? env.SANDBOX_ACTIVITY_RATE, "activity")
const latencyMs = numberOf(values["latency-ms"] ?? env.SANDBOX_LATENCY_MS, "latency-ms")
const host = values.host ?? env.SANDBOX_HOST

const optionsFor = (vendor: string, defaultPort: number): BaseOptions => ({
  port: ports.get(vendor) ?? numberOf(env[`SANDBOX_${vendor.toUpperCase()}_PORT`], `${vendor} port`) ?? defaultPort,
  ...(host === undefined ? {} : { host }),
  ...(seed === undefined ? {} : { seed }),
  ...(size === undefined ? {} : { size }),
  ...(activity === undefined ? {} : { activityRatePerSecond: activity }),
  ...(latencyMs === undefined ? {} : { latencyMs }),
})

const started: Array<EmulatorHandle<unknown>> = []
for (const emulator of emulators.filter((candidate) => only === undefined || only.includes(candidate.vendor))) {
  const handle = await emulator.start(optionsFor(emulator.vendor, emulator.defaultPort))
  started.push(handle)
  const { credentials } = handle.info()
  console.log(
    JSON.stringify({ vendor: handle.vendor, baseUrl: handle.url, controlUrl: `${handle.url}/_sandbox`, credentials }),
  )
}

// The last line says every emulator is up, so a launcher (`pnpm start`) need not know how many there are.
console.log(JSON.stringify({ ready: true, vendors: started.map((handle) => handle.vendor) }))

const shutdown = async () => {
  await Promise.all(started.map((handle) => handle.close()))
  process.exit(0)
}
process.once("SIGINT", shutdown)
process.once("SIGTERM", shutdown)
