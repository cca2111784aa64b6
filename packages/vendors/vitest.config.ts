// The vendor list's tests: pure checks of the definitions (no emulator, no database).
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
