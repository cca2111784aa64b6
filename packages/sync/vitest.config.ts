// Sync tests run on every database backend (PGlite always, PostgreSQL when TEST_DATABASE_URL is set).
import { taskbridgeVitest } from "@taskbridge/vitest-config"

export default taskbridgeVitest()
