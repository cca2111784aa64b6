// Serving the admin console: the built single-page app from `apps/admin/dist` (found from this file, so it works
// whatever the working directory), its files with their content types, `index.html` for every other GET path the
// API does not own (client-side routes), security headers on every answer, and a 503 page that says how to build
// the console when there is nothing built yet.
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"
import type { IncomingMessage, ServerResponse } from "node:http"
import { extname, join, normalize, resolve, sep } from "node:path"

/** Where `vite build` in apps/admin writes the console. */
export const defaultConsoleDir = resolve(import.meta.dirname, "../../admin/dist")

const types: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
}

/**
 * The console loads only its own scripts and talks only to this origin. Inline styles are allowed because component
 * libraries set `style` attributes; inline and foreign scripts are not (the sign-in page's one script is allowed by
 * its hash). No framing (clickjacking), no <base> rewriting, forms post only here.
 */
export const contentSecurityPolicy = (scriptHashes: ReadonlyArray<string> = []) =>
  [
    "default-src 'self'",
    `script-src 'self'${scriptHashes.map((h) => ` '${h}'`).join("")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ")

/** Headers every page and asset the console is served with. */
export const securityHeaders = (scriptHashes: ReadonlyArray<string> = []): Record<string, string> => ({
  "content-security-policy": contentSecurityPolicy(scriptHashes),
  "x-content-type-options": "nosniff",
  // The sign-in link's code lives in the fragment, which is never sent; no-referrer also keeps paths to ourselves.
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
})

const notBuilt = (dir: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>taskbridge console not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The taskbridge console is not built yet</h1>
<p>This API serves the console from <code>${escapeHtml(dir)}</code>, which holds no <code>index.html</code>.</p>
<p>Build it with <code>pnpm --filter @taskbridge/admin build</code> (or run <code>pnpm start</code>, which builds it
first), then reload this page. The API itself is up at <code>/trpc</code>.</p>
</body></html>`

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

const isFile = async (path: string) => (await stat(path).catch(() => null))?.isFile() === true

/**
 * Answers a GET or HEAD for the console: a file under `dir` when one matches the path (never outside it), else
 * `index.html` (the app's own router reads the path), else the 503 page.
 */
export const serveConsole = async (
  dir: string,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): Promise<void> => {
  const root = resolve(dir)
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    decoded = "/"
  }
  const candidate = normalize(join(root, decoded))
  const inside = candidate === root || candidate.startsWith(root + sep)
  const index = join(root, "index.html")
  const file = inside && !decoded.includes("\0") && (await isFile(candidate)) ? candidate : index
  if (!(await isFile(file))) {
    response.writeHead(503, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...securityHeaders(),
    })
    return void response.end(notBuilt(root))
  }
  const type = types[extname(file).toLowerCase()] ?? "application/octet-stream"
  // Vite names built assets by content hash, so they never change; the page itself must always be fetched fresh.
  const immutable = file !== index && decoded.startsWith("/assets/")
  response.writeHead(200, {
    "content-type": type,
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    ...securityHeaders(),
  })
  if (request.method === "HEAD") return void response.end()
  createReadStream(file)
    .on("error", () => response.destroy())
    .pipe(response)
}
