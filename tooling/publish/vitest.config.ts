// Publishing tests: one suite that builds, packs and installs the public packages as a consumer would (about a minute).
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
