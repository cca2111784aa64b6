// Writing a run down: the JSON of every figure (`bench/results/<date>.json`), a Markdown table of the same
// (`bench/results/<date>.md`, with the machine and which targets were met), and SVG charts for docs/performance.md.
// The charts are a few lines and bars drawn as SVG text: two static figures do not justify a charting dependency.
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"

export interface Target {
  readonly name: string
  readonly goal: string
  readonly value: string
  readonly met: boolean
}

export interface Table {
  readonly title: string
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
  readonly note?: string
}

const cell = (value: string | number) => String(value).replace(/\|/g, "\\|")

export const markdown = (
  heading: string,
  intro: ReadonlyArray<string>,
  tables: ReadonlyArray<Table>,
  targets: ReadonlyArray<Target>,
) =>
  [
    `# ${heading}`,
    "",
    ...intro,
    "",
    "## Targets",
    "",
    "| target | goal | measured | met |",
    "| --- | --- | --- | --- |",
    ...targets.map((t) => `| ${cell(t.name)} | ${cell(t.goal)} | ${cell(t.value)} | ${t.met ? "yes" : "**no**"} |`),
    "",
    ...tables.flatMap((t) => [
      `## ${t.title}`,
      "",
      `| ${t.columns.map(cell).join(" | ")} |`,
      `| ${t.columns.map(() => "---").join(" | ")} |`,
      ...t.rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
      ...(t.note === undefined ? [] : ["", t.note]),
      "",
    ]),
  ].join("\n")

export interface Series {
  readonly name: string
  readonly points: ReadonlyArray<readonly [number, number]>
}

const palette = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#57606a"]
const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;")

/** A line chart of `series` (x on a log scale when `logX`), with axis labels and a legend. */
export const lineChart = (options: {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: ReadonlyArray<Series>
  readonly logX?: boolean
}) => {
  const width = 720
  const height = 400
  const m = { left: 72, right: 170, top: 40, bottom: 56 }
  const all = options.series.flatMap((s) => s.points)
  const fx = (x: number) => (options.logX === true ? Math.log10(x) : x)
  const xs = all.map(([x]) => fx(x))
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)]
  const y1 = Math.max(...all.map(([, y]) => y)) * 1.1 || 1
  const px = (x: number) => m.left + ((fx(x) - x0) / Math.max(x1 - x0, 1e-9)) * (width - m.left - m.right)
  const py = (y: number) => height - m.bottom - (y / y1) * (height - m.top - m.bottom)
  const ticks = Array.from({ length: 5 }, (_, i) => (y1 / 4) * i)
  const xTicks = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b)
  const lines = options.series.map((s, i) => {
    const color = palette[i % palette.length]
    const path = s.points.map(([x, y], j) => `${j === 0 ? "M" : "L"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")
    const dots = s.points.map(
      ([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${color}"/>`,
    )
    const legendY = m.top + 18 * i
    return [
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`,
      ...dots,
      `<rect x="${width - m.right + 16}" y="${legendY - 9}" width="12" height="12" fill="${color}"/>`,
      `<text x="${width - m.right + 34}" y="${legendY + 1}" font-size="12">${escapeXml(s.name)}</text>`,
    ].join("\n")
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${m.left}" y="24" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>
${ticks.map((t) => `<line x1="${m.left}" x2="${width - m.right}" y1="${py(t)}" y2="${py(t)}" stroke="#d0d7de"/><text x="${m.left - 8}" y="${py(t) + 4}" font-size="11" text-anchor="end">${Math.round(t).toLocaleString("en-US")}</text>`).join("\n")}
${xTicks.map((x) => `<text x="${px(x)}" y="${height - m.bottom + 18}" font-size="11" text-anchor="middle">${x.toLocaleString("en-US")}</text>`).join("\n")}
<text x="${(m.left + width - m.right) / 2}" y="${height - 14}" font-size="12" text-anchor="middle">${escapeXml(options.xLabel)}</text>
<text x="18" y="${(m.top + height - m.bottom) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 18 ${(m.top + height - m.bottom) / 2})">${escapeXml(options.yLabel)}</text>
${lines.join("\n")}
</svg>
`
}

/** Writes `files` (name → content) under `dir`. */
export const write = (dir: string, files: Readonly<Record<string, string>>) => {
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
}
