// Compiles one package's `src/` to `dist/` with the package's own compiler options: ES modules whose relative
// imports end in `.js`, a `.d.ts` per module (relative imports rewritten to `.js` too) and source maps that carry
// their sources, since `src/` is not shipped.
import { join, relative } from "node:path"
import ts from "typescript"

export interface Compiled {
  /** The program over the package's shipped modules; its other source files are what those modules import. */
  readonly program: ts.Program
  readonly options: ts.CompilerOptions
}

const isShipped = (dir: string, file: string) => {
  const rel = relative(join(dir, "src"), file)
  return !rel.startsWith("..") && !/\.(test|bench)\.tsx?$/.test(rel)
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => "\n",
}

export const failOn = (diagnostics: ReadonlyArray<ts.Diagnostic>, what: string): void => {
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error)
  if (errors.length > 0) throw new Error(`${what}:\n${ts.formatDiagnosticsWithColorAndContext(errors, formatHost)}`)
}

/** The package's tsconfig options (strictness, target, module) with what a build needs on top. */
export const compilerOptions = (dir: string): { options: ts.CompilerOptions; fileNames: ReadonlyArray<string> } => {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => failOn([d], "tsconfig.json"),
  })
  if (parsed === undefined) throw new Error(`cannot read ${join(dir, "tsconfig.json")}`)
  failOn(parsed.errors, "tsconfig.json")
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    noEmitOnError: true,
    outDir: join(dir, "dist"),
    rootDir: join(dir, "src"),
    declaration: true,
    // Declaration maps would point into src/, which is not shipped; the JS maps inline their sources instead.
    declarationMap: false,
    sourceMap: true,
    inlineSources: true,
    incremental: false,
  }
  delete options.tsBuildInfoFile
  return { options, fileNames: parsed.fileNames.filter((f) => isShipped(dir, f)) }
}

const isRelative = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../")

/** `./Due.ts` → `./Due.js`: tsc rewrites emitted JS (`rewriteRelativeImportExtensions`) but not declarations. */
export const relativeToJs = (specifier: string): string =>
  isRelative(specifier) ? specifier.replace(/\.([mc]?)tsx?$/, ".$1js") : specifier

export const rewriteDeclarationSpecifiers: ts.TransformerFactory<ts.SourceFile | ts.Bundle> = (context) => {
  const f = context.factory
  const literal = (node: ts.Expression) =>
    ts.isStringLiteral(node) && relativeToJs(node.text) !== node.text
      ? f.createStringLiteral(relativeToJs(node.text))
      : node
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node)) {
      return f.updateImportDeclaration(
        node,
        node.modifiers,
        node.importClause,
        literal(node.moduleSpecifier),
        node.attributes,
      )
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const spec = literal(node.moduleSpecifier)
      return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, spec, node.attributes)
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const argument = f.updateLiteralTypeNode(
        node.argument,
        literal(node.argument.literal as ts.StringLiteral) as ts.StringLiteral,
      )
      const rest = ts.visitEachChild(node, visit, context)
      return f.updateImportTypeNode(rest, argument, rest.attributes, rest.qualifier, rest.typeArguments, rest.isTypeOf)
    }
    return ts.visitEachChild(node, visit, context)
  }
  return (node) => (ts.isSourceFile(node) ? (ts.visitEachChild(node, visit, context) as ts.SourceFile) : node)
}

export const compile = (dir: string): Compiled => {
  const { options, fileNames } = compilerOptions(dir)
  const program = ts.createProgram({ rootNames: fileNames, options })
  failOn(ts.getPreEmitDiagnostics(program), `type errors in ${dir}`)
  const result = program.emit(undefined, undefined, undefined, false, {
    afterDeclarations: [rewriteDeclarationSpecifiers],
  })
  failOn(result.diagnostics, `emit failed in ${dir}`)
  return { program, options }
}
