// Spry adapter tests: pure schema decoding, so the shared defaults suffice.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
