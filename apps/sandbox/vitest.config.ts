// Sandbox tests: real HTTP against emulators started in-process on port 0; the shared defaults suffice.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
