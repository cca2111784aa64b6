// Kore.ai adapter tests: schema and mapping units, and the contract and adapter suites over HTTP against the
// in-process emulator; the shared defaults suffice.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
