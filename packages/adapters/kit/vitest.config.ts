// Adapter-kit tests: pure effects under the TestClock.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
