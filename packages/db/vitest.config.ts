// Database tests run every suite on embedded PGlite and, when TEST_DATABASE_URL is set, on real PostgreSQL.
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
