// Headless Chromium for the console's tests (Debian's /usr/bin/chromium through playwright-core): one fresh profile
// per context, a screenshot helper writing to test-artifacts/, and the axe-core scan (serious and critical only).
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { type BrowserContext, chromium, type Page } from "playwright-core"

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]

export const artifacts = resolve(import.meta.dirname, "../../test-artifacts")

/** A browser with its own empty profile (no cookies from any other test), at a 1280 × 800 laptop's size. */
export const freshContext = (): Promise<BrowserContext> =>
  chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "taskbridge-chromium-")), {
    executablePath,
    args,
    headless: true,
    viewport: { width: 1280, height: 800 },
  })

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(artifacts, { recursive: true })
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false })
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: ReadonlyArray<{ readonly target: ReadonlyArray<string>; readonly html: string }>
}

/** The serious and critical axe-core violations of the page as it is now (WCAG 2 A/AA rules). */
export const axe = async (page: Page): Promise<ReadonlyArray<AxeViolation>> => {
  // Transitions end at once: a scan taken mid-fade (a toast, a chart appearing) measures the colours half-way and
  // reports a contrast the settled page does not have — seen once on a loaded CI machine.
  await page.addStyleTag({
    content: "*, *::before, *::after { transition: none !important; animation: none !important; }",
  })
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  // Evaluated over the DevTools protocol, which the console's CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: Array<AxeViolation> }> } }
    ).axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }))
  })
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical")
}
