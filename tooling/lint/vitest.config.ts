// Lint tooling tests: pure functions plus a scan of throwaway workspaces on disk.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
