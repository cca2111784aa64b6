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
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" role="img">
<title>${escapeXml(options.title)}</title>
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

/**
 * Grouped bars: one group per category, one bar per series, on a log scale when `logY` (latencies that differ by
 * orders of magnitude between the engine and the raw baseline stay readable side by side).
 */
export const barChart = (options: {
  readonly title: string
  readonly yLabel: string
  readonly categories: ReadonlyArray<string>
  readonly series: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<number> }>
  readonly logY?: boolean
}) => {
  const width = 760
  const height = 400
  const m = { left: 72, right: 190, top: 40, bottom: 56 }
  const values = options.series.flatMap((s) => s.values)
  const log = options.logY === true
  const floor = log ? 10 ** Math.floor(Math.log10(Math.max(Math.min(...values.filter((v) => v > 0)), 0.1))) : 0
  const top = log ? 10 ** Math.ceil(Math.log10(Math.max(...values, floor * 10))) : Math.max(...values) * 1.1 || 1
  const fy = (v: number) =>
    log ? (Math.log10(Math.max(v, floor)) - Math.log10(floor)) / (Math.log10(top) - Math.log10(floor)) : v / top
  const py = (v: number) => height - m.bottom - fy(v) * (height - m.top - m.bottom)
  const group = (width - m.left - m.right) / Math.max(options.categories.length, 1)
  const bar = (group * 0.8) / Math.max(options.series.length, 1)
  const ticks = log
    ? Array.from({ length: Math.round(Math.log10(top / floor)) + 1 }, (_, i) => floor * 10 ** i)
    : Array.from({ length: 5 }, (_, i) => (top / 4) * i)
  const bars = options.categories.flatMap((category, c) =>
    options.series.map((s, i) => {
      const v = s.values[c] ?? 0
      const x = m.left + c * group + group * 0.1 + i * bar
      return `<rect x="${x.toFixed(1)}" y="${py(v).toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${(height - m.bottom - py(v)).toFixed(1)}" fill="${palette[i % palette.length]}"><title>${escapeXml(`${category} ${s.name}: ${v}`)}</title></rect>`
    }),
  )
  const legend = options.series.map((s, i) => {
    const y = m.top + 18 * i
    return `<rect x="${width - m.right + 16}" y="${y - 9}" width="12" height="12" fill="${palette[i % palette.length]}"/><text x="${width - m.right + 34}" y="${y + 1}" font-size="12">${escapeXml(s.name)}</text>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" role="img">
<title>${escapeXml(options.title)}</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${m.left}" y="24" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>
${ticks.map((t) => `<line x1="${m.left}" x2="${width - m.right}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#d0d7de"/><text x="${m.left - 8}" y="${(py(t) + 4).toFixed(1)}" font-size="11" text-anchor="end">${t.toLocaleString("en-US", { maximumFractionDigits: 1 })}</text>`).join("\n")}
${options.categories.map((c, i) => `<text x="${(m.left + (i + 0.5) * group).toFixed(1)}" y="${height - m.bottom + 18}" font-size="12" text-anchor="middle">${escapeXml(c)}</text>`).join("\n")}
<text x="18" y="${(m.top + height - m.bottom) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 18 ${(m.top + height - m.bottom) / 2})">${escapeXml(options.yLabel)}</text>
${bars.join("\n")}
${legend.join("\n")}
</svg>
`
}

/** Writes `files` (name → content) under `dir`. */
export const write = (dir: string, files: Readonly<Record<string, string>>) => {
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
}
