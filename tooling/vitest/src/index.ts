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
        // Property tests and real-HTTP tests need more than the 5 s default on a loaded 2-core CI machine.
        testTimeout: 30_000,
        hookTimeout: 60_000,
        reporters: reporters(),
      },
    }),
    defineConfig({ test: overrides }),
  )
