// The sync suites' cluster tuning: the package's shared test tuning (also used by the api and worker suites).
export { embeddedFast, fast } from "../../src/testing/Tuning.ts"
