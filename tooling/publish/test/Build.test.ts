// The build's pure parts: the published exports derived from the workspace ones, the manifest checks, the `.ts` →
// `.js` rewrite of declaration specifiers, and the erasure of a tRPC router's request context.
import ts from "typescript"
import { describe, expect, it } from "vitest"
import { eraseRouterContext } from "../src/BundleTypes.ts"
import { relativeToJs, rewriteDeclarationSpecifiers } from "../src/Compile.ts"
import { manifestProblems, publishedExports } from "../src/Verify.ts"
import type { Manifest } from "../src/Workspace.ts"

const transform = (source: string, transformer: ts.TransformerFactory<ts.SourceFile | ts.Bundle>) => {
  const file = ts.createSourceFile("x.d.ts", source, ts.ScriptTarget.ES2023, true)
  const [out] = ts.transform(file, [transformer]).transformed
  return ts.createPrinter().printFile(out as ts.SourceFile)
}

const domain: Manifest = {
  name: "@taskbridge/domain",
  version: "0.1.0",
  exports: { "./*": "./src/*.ts" },
  files: ["dist", "CHANGELOG.md"],
  scripts: { build: "taskbridge-build", prepublishOnly: "taskbridge-build" },
  publishConfig: { exports: { "./*": { types: "./dist/*.d.ts", import: "./dist/*.js" } } },
}

describe("the published manifest", () => {
  it("maps every workspace export onto dist/ with types before import", () => {
    expect(publishedExports({ ...domain, exports: { ".": "./src/index.ts", "./events": "./src/Events.ts" } })).toEqual({
      ".": { types: "./dist/index.d.ts", import: "./dist/index.js" },
      "./events": { types: "./dist/Events.d.ts", import: "./dist/Events.js" },
    })
  })

  it("accepts a manifest whose publishConfig mirrors its exports", () => {
    expect(manifestProblems(domain)).toEqual([])
  })

  it("refuses a new export without its published twin, sources in files, and a missing build", () => {
    const drifted = { ...domain, exports: { ...domain.exports, "./extra": "./src/Extra.ts" } }
    expect(manifestProblems(drifted)).toEqual([
      expect.stringContaining(`"./extra":{"types":"./dist/Extra.d.ts","import":"./dist/Extra.js"}`),
    ])
    expect(manifestProblems({ ...domain, files: ["dist", "src"] })).toEqual([`files must be ["dist","CHANGELOG.md"]`])
    expect(manifestProblems({ ...domain, scripts: { build: "taskbridge-build" } })).toEqual([
      `scripts.prepublishOnly must be "taskbridge-build"`,
    ])
  })
})

describe("declaration rewriting", () => {
  it("turns relative .ts specifiers into .js and leaves packages alone", () => {
    expect(relativeToJs("./Due.ts")).toBe("./Due.js")
    expect(relativeToJs("../ports/Repositories.ts")).toBe("../ports/Repositories.js")
    expect(relativeToJs("effect/Schema")).toBe("effect/Schema")
    const out = transform(
      `import { Due } from "./Due.ts";\nexport { Ids } from "./Ids.ts";\nexport declare const c: import("./Due.ts").DueCodec<string>;`,
      rewriteDeclarationSpecifiers,
    )
    expect(out).toContain(`from "./Due.js"`)
    expect(out).toContain(`from "./Ids.js"`)
    expect(out).toContain(`import("./Due.js").DueCodec<string>`)
    expect(out).not.toContain('.ts"')
  })

  it("erases the request context of tRPC types, named or imported inline, and nothing else", () => {
    const out = transform(
      [
        `import type { TRPCBuiltRouter } from "@trpc/server";`,
        `export declare const a: TRPCBuiltRouter<{ ctx: ApiContext; meta: object }, {}>;`,
        `export declare const b: import("@trpc/server").TRPCRouterCaller<{ ctx: ApiContext; meta: object }, {}>;`,
        `export declare const c: Other<{ ctx: ApiContext }>;`,
      ].join("\n"),
      eraseRouterContext,
    )
    expect(out).toContain("TRPCBuiltRouter<{\n    ctx: object;")
    expect(out).toContain(`import("@trpc/server").TRPCRouterCaller<{\n    ctx: object;`)
    expect(out).toContain("Other<{\n    ctx: ApiContext;")
  })
})
