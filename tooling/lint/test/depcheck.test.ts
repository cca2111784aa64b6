// The dependency check must catch each forbidden edge in a real workspace on disk and pass a clean one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { checkWorkspace } from "../src/rules.ts"
import { importsOf, scanWorkspace } from "../src/scan.ts"

const roots: Array<string> = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

type Files = Record<string, string>

const workspace = (files: Files) => {
  const root = mkdtempSync(join(tmpdir(), "depcheck-"))
  roots.push(root)
  const base: Files = {
    "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n  - packages/adapters/*\n",
    "packages/domain/package.json": JSON.stringify({ name: "@taskbridge/domain", dependencies: { effect: "1" } }),
    "packages/domain/src/Task.ts": 'import { Schema } from "effect"\nimport { X } from "./X.ts"\n',
    "packages/domain/test/Task.test.ts": 'import { it } from "@effect/vitest"\n',
    "packages/db/package.json": JSON.stringify({ name: "@taskbridge/db" }),
    "packages/adapters/candid/package.json": JSON.stringify({ name: "@taskbridge/adapter-candid" }),
    "packages/adapters/candid/src/Client.ts": 'import type { Task } from "@taskbridge/domain/Task"\n',
    "packages/adapters/vambe/package.json": JSON.stringify({ name: "@taskbridge/adapter-vambe" }),
    "apps/api/package.json": JSON.stringify({ name: "@taskbridge/api" }),
    "apps/api/src/router.ts": 'import { definitions } from "@taskbridge/vendors/Definitions"\n',
    "packages/vendors/package.json": JSON.stringify({ name: "@taskbridge/vendors" }),
    "packages/vendors/src/Definitions.ts": 'import { definition } from "@taskbridge/adapter-candid/Definition"\n',
    "packages/sync/package.json": JSON.stringify({ name: "@taskbridge/sync" }),
    "packages/sync/test/Engine.test.ts": 'import { definition } from "@taskbridge/adapter-candid/Definition"\n',
    "apps/admin/package.json": JSON.stringify({ name: "@taskbridge/admin" }),
    "packages/client/package.json": JSON.stringify({ name: "@taskbridge/client" }),
    "apps/admin/src/client.ts": 'import type { AppRouter } from "@taskbridge/api/router"\n',
    "apps/sandbox/package.json": JSON.stringify({ name: "@taskbridge/sandbox" }),
  }
  for (const [path, content] of Object.entries({ ...base, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  return checkWorkspace(scanWorkspace(root)).map((v) => `${v.rule} ${v.file}:${v.line}`)
}

describe("dependency check", () => {
  it("passes a workspace whose edges all point inward", () => {
    expect(workspace({})).toEqual([])
  })

  it("fails when the engine, the db or the api import an adapter outside their tests", () => {
    const found = workspace({
      "packages/sync/src/Pull.ts": 'import { toRecord } from "@taskbridge/adapter-candid/Mapping"\n',
      "packages/db/src/Links.ts": 'import type { Task } from "@taskbridge/adapter-vambe/Schema"\n',
      "apps/api/src/Webhooks.ts": 'import { verify } from "@taskbridge/adapter-candid/Definition"\n',
    })
    expect(found).toEqual([
      "engine-vendor-neutral apps/api/src/Webhooks.ts:1",
      "engine-vendor-neutral packages/db/src/Links.ts:1",
      "engine-vendor-neutral packages/sync/src/Pull.ts:1",
    ])
  })

  it("fails when domain source imports anything but effect", () => {
    const found = workspace({
      "packages/domain/src/Task.ts": 'import { Schema } from "effect"\nimport { z } from "zod"\n',
    })
    expect(found).toEqual(["domain-imports-effect-only packages/domain/src/Task.ts:2"])
  })

  it("fails when domain source imports a node built-in or another workspace package", () => {
    const found = workspace({
      "packages/domain/src/Clock.ts": 'import { readFileSync } from "node:fs"\nexport * from "@taskbridge/db"\n',
    })
    expect(found).toEqual([
      "domain-imports-effect-only packages/domain/src/Clock.ts:1",
      "domain-imports-effect-only packages/domain/src/Clock.ts:2",
    ])
  })

  it("fails when domain declares a dependency other than effect", () => {
    const found = workspace({
      "packages/domain/package.json": JSON.stringify({
        name: "@taskbridge/domain",
        dependencies: { effect: "1", zod: "3" },
      }),
    })
    expect(found).toEqual(["domain-imports-effect-only package.json:0"])
  })

  it("fails when an adapter imports another adapter or the db package", () => {
    const found = workspace({
      "packages/adapters/vambe/src/Mapping.ts":
        'import { toStatus } from "@taskbridge/adapter-candid/Mapping"\nconst db = await import("@taskbridge/db/Sql")\n',
    })
    expect(found).toEqual([
      "adapters-independent packages/adapters/vambe/src/Mapping.ts:1",
      "adapters-no-db packages/adapters/vambe/src/Mapping.ts:2",
    ])
  })

  it("fails when a package imports an app, but lets package tests start the sandbox", () => {
    const found = workspace({
      "packages/db/src/Repo.ts": 'import { router } from "@taskbridge/api/router"\n',
      "packages/db/test/Repo.test.ts": 'import { startCandid } from "@taskbridge/sandbox/candid"\n',
    })
    expect(found).toEqual(["packages-no-apps packages/db/src/Repo.ts:1"])
  })

  it("fails when the admin app imports the api at run time", () => {
    const found = workspace({ "apps/admin/src/client.ts": 'import { type AppRouter } from "@taskbridge/api/router"\n' })
    expect(found).toEqual(["api-type-only apps/admin/src/client.ts:1"])
  })

  it("lets the client package import the api's types, and nothing else of it", () => {
    const found = workspace({
      "packages/client/src/index.ts": 'import type { AppRouter } from "@taskbridge/api/Router"\n',
      "packages/client/src/events.ts": 'import { appRouter } from "@taskbridge/api/Router"\n',
    })
    expect(found).toEqual([
      "packages-no-apps packages/client/src/events.ts:1",
      "api-type-only packages/client/src/events.ts:1",
    ])
  })
})

describe("import scanning", () => {
  it("finds multi-line, type-only, re-exported and dynamic imports but not commented ones", () => {
    const source = [
      'import {\n  a,\n  b,\n} from "one"',
      'import type { T } from "two"',
      'export * from "three"',
      'const m = await import("four")',
      '// import { x } from "commented"',
      '/* import { y } from "block" */',
      'import "side-effect"',
    ].join("\n")
    expect(importsOf(source).map((i) => `${i.specifier}:${i.typeOnly}:${i.line}`)).toEqual([
      "one:false:1",
      "two:true:5",
      "three:false:6",
      "side-effect:false:10",
      "four:false:7",
    ])
  })
})
