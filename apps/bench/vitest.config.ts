// apps/bench tests: the statistics and the report writer the benchmark suite relies on.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
