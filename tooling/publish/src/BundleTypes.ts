// Stand-alone types for an entry whose declarations import a workspace package its consumers will not have (the
// client's `@taskbridge/api` router): declarations are emitted for every workspace module the entry reaches, tRPC
// types lose the server's request context, and rollup-plugin-dts inlines every workspace module into one `.d.ts`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { type Plugin, rollup } from "rollup"
import { dts } from "rollup-plugin-dts"
import ts from "typescript"
import { type Compiled, failOn } from "./Compile.ts"
import { installedWith, type Manifest, packageOf } from "./Workspace.ts"

const bareImports = (text: string) =>
  ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => !s.startsWith("."))

/** Workspace packages an emitted declaration imports that a consumer would not get installed with this package. */
export const unreachableImports = (
  declaration: string,
  manifest: Manifest,
  workspaceNames: ReadonlySet<string>,
): ReadonlyArray<string> => {
  const installed = installedWith(manifest)
  return bareImports(readFileSync(declaration, "utf8")).filter(
    (s) => workspaceNames.has(packageOf(s)) && !installed.has(packageOf(s)),
  )
}

const rightmost = (name: ts.EntityName): string => (ts.isIdentifier(name) ? name.text : name.right.text)

/**
 * tRPC routers carry the server's request context (`ctx`) in their type; a client never uses it, and here it reaches
 * the whole server (runtime, repositories, database drivers). It becomes `object`, so none of that is bundled.
 */
export const eraseRouterContext: ts.TransformerFactory<ts.SourceFile | ts.Bundle> = (context) => {
  const f = context.factory
  return (file) => {
    if (!ts.isSourceFile(file)) return file
    const fromTrpc = new Set<string>()
    for (const statement of file.statements) {
      const spec = ts.isImportDeclaration(statement) ? statement.moduleSpecifier : undefined
      const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined
      if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith("@trpc/")) continue
      if (bindings !== undefined && ts.isNamedImports(bindings))
        for (const b of bindings.elements) fromTrpc.add(b.name.text)
    }
    const isTrpcType = (node: ts.Node): node is ts.TypeReferenceNode | ts.ImportTypeNode =>
      (ts.isTypeReferenceNode(node) && fromTrpc.has(rightmost(node.typeName))) ||
      (ts.isImportTypeNode(node) &&
        ts.isLiteralTypeNode(node.argument) &&
        ts.isStringLiteral(node.argument.literal) &&
        node.argument.literal.text.startsWith("@trpc/"))
    const withoutContext = (literal: ts.TypeLiteralNode) =>
      f.updateTypeLiteralNode(
        literal,
        f.createNodeArray(
          literal.members.map((m) =>
            ts.isPropertySignature(m) && ts.isIdentifier(m.name) && m.name.text === "ctx"
              ? f.updatePropertySignature(
                  m,
                  m.modifiers,
                  m.name,
                  m.questionToken,
                  f.createKeywordTypeNode(ts.SyntaxKind.ObjectKeyword),
                )
              : m,
          ),
        ),
      )
    const visit = (node: ts.Node): ts.Node => {
      const visited = ts.visitEachChild(node, visit, context)
      if (!isTrpcType(visited)) return visited
      const [first, ...rest] = visited.typeArguments ?? []
      if (first === undefined || !ts.isTypeLiteralNode(first)) return visited
      const args = [withoutContext(first), ...rest]
      return ts.isTypeReferenceNode(visited)
        ? f.updateTypeReferenceNode(visited, visited.typeName, f.createNodeArray(args))
        : f.updateImportTypeNode(
            visited,
            visited.argument,
            visited.attributes,
            visited.qualifier,
            args,
            visited.isTypeOf,
          )
    }
    return ts.visitEachChild(file, visit, context)
  }
}

interface Declarations {
  readonly dir: string
  /** Emitted declaration → the source it came from, for resolving its imports as the source resolved them. */
  readonly sourceOf: ReadonlyMap<string, string>
  readonly declarationOf: ReadonlyMap<string, string>
}

/** Declarations of every workspace source file the package's program reached, in a temporary folder. */
const emitReachedDeclarations = (root: string, compiled: Compiled): Declarations => {
  const reached = compiled.program
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => f.startsWith(`${root}/`) && !f.includes("/node_modules/") && !f.endsWith(".d.ts"))
  const dir = mkdtempSync(join(tmpdir(), "taskbridge-dts-"))
  const options = {
    ...compiled.options,
    outDir: dir,
    rootDir: root,
    emitDeclarationOnly: true,
    sourceMap: false,
    inlineSources: false,
  }
  const program = ts.createProgram({ rootNames: reached, options })
  const sourceOf = new Map<string, string>()
  const declarationOf = new Map<string, string>()
  const record = (file: string, sources: ReadonlyArray<ts.SourceFile> | undefined) => {
    const source = sources?.[0]?.fileName
    if (source === undefined) return
    sourceOf.set(file, source)
    declarationOf.set(source, file)
  }
  try {
    const result = program.emit(
      undefined,
      (file, text, bom, _onError, sources) => {
        ts.sys.writeFile(file, text, bom)
        record(file, sources)
      },
      undefined,
      true,
      { afterDeclarations: [eraseRouterContext] },
    )
    failOn(result.diagnostics, "declarations of the modules the package's types reach")
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return { dir, sourceOf, declarationOf }
}

/** Bundles each entry's types into `dist/<entry>.d.ts`; what stays external is checked afterwards (Verify.ts). */
export const bundleTypes = async (
  root: string,
  packageDir: string,
  compiled: Compiled,
  entries: ReadonlyArray<string>,
): Promise<void> => {
  const declarations = emitReachedDeclarations(root, compiled)
  const workspaceModules: Plugin = {
    name: "taskbridge-workspace-declarations",
    resolveId(specifier, importer) {
      const source = importer === undefined ? undefined : declarations.sourceOf.get(importer)
      if (source === undefined) return null
      const resolved = ts.resolveModuleName(specifier, source, compiled.options, ts.sys).resolvedModule
      const declaration = resolved && declarations.declarationOf.get(resolved.resolvedFileName)
      return declaration ?? { id: specifier, external: true }
    },
  }
  try {
    for (const entry of entries) {
      const input = declarations.declarationOf.get(join(packageDir, "src", `${entry}.ts`))
      if (input === undefined) throw new Error(`no declaration was emitted for ${entry}`)
      const bundle = await rollup({ input, plugins: [workspaceModules, dts()], logLevel: "warn" })
      await bundle.write({ file: join(packageDir, "dist", `${entry}.d.ts`), format: "es" })
      await bundle.close()
    }
  } finally {
    rmSync(declarations.dir, { recursive: true, force: true })
  }
}

export const entryOf = (packageDir: string, declaration: string): string =>
  relative(join(packageDir, "dist"), declaration).replace(/\.d\.ts$/, "")
