// apps/api tests (database suites run on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set).
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
