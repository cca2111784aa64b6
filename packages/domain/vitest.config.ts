// Domain tests: pure, so the shared defaults suffice.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
