// Fails fast when a pnpm script is not running on the repo's pinned Node 24 (see ARCHITECTURE.md, "Node pin").
const major = Number(process.versions.node.split(".")[0])
if (major < 24) {
  console.error(
    `taskbridge scripts need Node 24, but ${process.execPath} is Node ${process.versions.node}.\n` +
      "Run them through pnpm (which puts the pinned node_modules/.bin/node first on PATH), e.g. `npx pnpm@10.34.8 test`.",
  )
  process.exit(1)
}
