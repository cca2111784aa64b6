// The database backends every sync suite runs on (PGlite always, PostgreSQL when TEST_DATABASE_URL is set): the db
// package's shared test support, so sync, api and worker suites create and drop databases the same way.
export * from "@taskbridge/db/testing/Backends"
