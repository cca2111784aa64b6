// Shared vitest settings: one place decides test discovery, timeouts and reporters for every package.
// When TASKBRIDGE_TEST_REPORT_DIR is set (root `pnpm test`), each package also writes a JSON report there so the
// root script can print one closing "N passed, N failed" line for the whole tree.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { defineConfig, mergeConfig, type TestUserConfig } from "vitest/config"

const packageName = () => {
  const manifest = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { name: string }
  return manifest.name.replace(/[@/]/g, "_")
}

const reporters = (): NonNullable<TestUserConfig["reporters"]> => {
  const dir = process.env.TASKBRIDGE_TEST_REPORT_DIR
  return dir === undefined ? ["default"] : ["default", ["json", { outputFile: join(dir, `${packageName()}.json`) }]]
}

/** The base config a package's `vitest.config.ts` passes through, optionally with overrides. */
export const taskbridgeVitest = (overrides: TestUserConfig = {}) =>
  mergeConfig(
    defineConfig({
      test: {
        include: ["test/**/*.test.ts", "src/**/*.test.ts"],
        // Property tests and real-HTTP tests need more than the 5 s default on a loaded 2-core CI machine; and a test
        // waiting with `eventually` (30 s by default) must outlive it, so the wait's own message names what is late.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        reporters: reporters(),
      },
    }),
    defineConfig({ test: overrides }),
  )

/**
 * The soak profile (`pnpm test:soak`): only `*.soak.ts` files, anywhere in the package, which the base config's
 * `include` never matches, so `pnpm test` stays fast. Not merged with the base: vitest concatenates `include` arrays.
 */
export const taskbridgeSoak = (overrides: TestUserConfig = {}) =>
  mergeConfig(
    defineConfig({
      test: {
        include: ["**/*.soak.ts"],
        exclude: ["**/node_modules/**", "**/dist/**"],
        // A soak runs minutes of kills and outages; one file at a time, so two soaks never share the 2 cores.
        testTimeout: 30 * 60_000,
        hookTimeout: 5 * 60_000,
        fileParallelism: false,
        reporters: reporters(),
      },
    }),
    defineConfig({ test: overrides }),
  )
