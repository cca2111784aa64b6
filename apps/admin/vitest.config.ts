// apps/admin tests: end to end in headless Chromium against a real stack (sandbox + API on PGlite serving the built
// console); the global setup builds the console once. One file at a time: they share the machine's two cores.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest({
  globalSetup: ["./test/support/build.ts"],
  testTimeout: 120_000,
  hookTimeout: 240_000,
  fileParallelism: false,
})
