// `pnpm bench`: the benchmark suite, each figure beside a raw baseline measured in the same run, written to
// bench/results/<date>.json and .md, with the charts docs/performance.md shows. Profiles: `quick` (one small size, a
// harness check), `standard` (the default), `large` (adds the 1,000,000-task backfill). `--only pulls,api,push,...`;
// `--push-rate N`: the push benchmark's offered edits per second (default 200).
//   BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres): the server whose
//   scratch databases the suite creates and drops. BENCH_CPU_PROF=<dir>: CPU profiles of the measured children.
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { pglite, postgres } from "@taskbridge/db/testing/Backends"
import { type ApiFigures, apiBenchmark } from "./Api.ts"
import { machine } from "./Machine.ts"
import { type PropagationFigures, propagationBenchmark } from "./Propagation.ts"
import { type PullFigures, pullBenchmark } from "./Pulls.ts"
import { type PushFigures, pushBenchmark } from "./Push.ts"
import { barChart, lineChart, markdown, type Table, type Target, write } from "./Report.ts"
import { joinEarlier, type ResultsFile } from "./Results.ts"

const argv = process.argv.slice(2)
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    profile: { type: "string", default: "standard" },
    only: { type: "string" },
    "push-rate": { type: "string", default: "200" },
    "push-workers": { type: "string", default: "0" },
    backends: { type: "string" },
    sizes: { type: "string" },
  },
})
const profile = values.profile as "quick" | "standard" | "large"
const only = values.only?.split(",")
const wanted = (suite: string) => only === undefined || only.includes(suite)

const root = resolve(import.meta.dirname, "../../..")
const postgresUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const server = postgres(postgresUrl)

// The Candid emulator's first organization holds about 62.5% of its tasks: these sizes pull ≈ 20,000, 100,000 and
// 1,000,000 records.
const emulatorSizes = { quick: [32_000], standard: [32_000, 160_000], large: [32_000, 160_000, 1_600_000] }[profile]

const started = new Date()
const figures: {
  pulls: Array<PullFigures>
  api: ApiFigures | null
  push: PushFigures | null
  propagation: PropagationFigures | null
} = { pulls: [], api: null, push: null, propagation: null }
const log = (line: string) => console.log(`bench: ${line}`)

if (wanted("pulls")) {
  // --backends postgres / --sizes 1600000: part of the pulls suite (a long size on one backend, say).
  const backends = [server, pglite].filter(
    (b) => values.backends === undefined || values.backends.split(",").includes(b.name),
  )
  const sizes = values.sizes === undefined ? emulatorSizes : values.sizes.split(",").map(Number)
  for (const backend of backends) {
    for (const size of sizes) {
      log(`pulls on ${backend.name}, emulator size ${size}`)
      const result = await pullBenchmark(backend, size, profile === "quick" ? 1 : 3)
      log(
        `  backfill ${result.backfill.engine.records} records: engine ${result.backfill.engine.recordsPerSecond}/s, raw ${result.backfill.raw.recordsPerSecond}/s (${result.backfill.ratio})`,
      )
      figures.pulls.push(result)
      // Each size's figures as soon as they exist: a long run that fails later still leaves them in its log.
      log(`  figures: ${JSON.stringify(result)}`)
    }
  }
}
if (wanted("api")) {
  const tasks = profile === "quick" ? 100_000 : 1_000_000
  log(`api on postgres at ${tasks} work items`)
  figures.api = await apiBenchmark(server, { concurrency: 32, seconds: profile === "quick" ? 5 : 15, tasks })
  log(`  tasks.list p99 ${figures.api.list.api.p99} ms (sql ${figures.api.list.sql.p99} ms)`)
}

if (wanted("push")) {
  const ratePerSecond = Number(values["push-rate"])
  const seconds = profile === "quick" ? 10 : 60
  log(`push: ${ratePerSecond} edits/s through the API for ${seconds} s, every vendor`)
  const workers = Number(values["push-workers"])
  figures.push = await pushBenchmark(server, { ratePerSecond, seconds, emulatorSize: 1_000, workers })
  const p = figures.push
  log(
    `  engine ${p.engine.writesPerSecond} writes/s (p99 ${p.engine.p99} ms), raw ${p.raw.writesPerSecond}/s (${p.ratio}); raw capacity ${p.raw.capacity.perSecond}/s`,
  )
  for (const v of p.vendors)
    log(`  ${v.vendor}: p50 ${v.engine.p50} ms, p99 ${v.engine.p99} ms, ${v.unmatched} unmatched`)
}

if (wanted("propagation")) {
  log("propagation: vendor edit → visible in the API")
  figures.propagation = await propagationBenchmark(server, {
    samples: profile === "quick" ? 8 : 40,
    pollIntervalSeconds: 2,
  })
  for (const v of figures.propagation.vendors)
    log(`  ${v.vendor} (${v.via}): p50 ${v.latency.p50} ms, p99 ${v.latency.p99} ms`)
}

// --- targets and report -------------------------------------------------------------------------------------------

// A run of some suites (`--only`) keeps the figures of the others from an earlier run of the same day and profile, so
// one results file can gather suites run one at a time on a busy machine; `runs` says which run measured what.
const date = started.toISOString().slice(0, 10)
const resultsFile = join(root, "bench", "results", `${date}.json`)
const ran = (Object.keys(figures) as Array<keyof typeof figures>).filter((suite) => wanted(suite))
const earlier =
  only !== undefined && existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, "utf8")) as ResultsFile<typeof figures>)
    : null
const joined = joinEarlier(figures, ran, started.toISOString(), profile, earlier)
Object.assign(figures, joined.figures)
const runs = joined.runs

const targets: Array<Target> = []
const percent = (r: number) => `${Math.round(r * 100)}%`
for (const backend of ["postgres", "pglite"] as const) {
  const runs = figures.pulls.filter((p) => p.backend === backend)
  if (runs.length === 0) continue
  const worst = Math.min(...runs.map((r) => r.backfill.ratio))
  targets.push({
    name: `backfill vs raw (${backend})`,
    goal: "≥ 50% at every size",
    value: runs.map((r) => `${r.backfill.engine.records}: ${percent(r.backfill.ratio)}`).join(", "),
    met: worst >= 0.5,
  })
  const first = runs[0]
  const last = runs.at(-1)
  if (first !== undefined && last !== undefined && last !== first) {
    const change = last.backfill.engine.recordsPerSecond / Math.max(first.backfill.engine.recordsPerSecond, 1)
    targets.push({
      name: `backfill linearity (${backend})`,
      goal: `records/s at ${last.backfill.engine.records} within 15% of ${first.backfill.engine.records}`,
      value: `${percent(change)} of the small size's rate`,
      met: change >= 0.85,
    })
    targets.push({
      name: `backfill peak RSS (${backend})`,
      goal: "≤ 400 MB at the largest size",
      value: `${last.backfill.engine.peakRssMB} MB at ${last.backfill.engine.records}`,
      met: last.backfill.engine.peakRssMB <= 400,
    })
  }
  targets.push({
    name: `incremental vs raw (${backend})`,
    goal: "≥ 50%",
    value: `${runs.map((r) => percent(r.incremental.ratio)).join(", ")}${
      runs.some((r) => r.incremental.ratioUpdatedSinceOnly !== undefined)
        ? ` (against the updated_since listing alone: ${runs
            .map((r) =>
              r.incremental.ratioUpdatedSinceOnly === undefined ? "–" : percent(r.incremental.ratioUpdatedSinceOnly),
            )
            .join(", ")})`
        : ""
    }`,
    met: Math.min(...runs.map((r) => r.incremental.ratio)) >= 0.5,
  })
}
if (figures.api !== null) {
  const a = figures.api
  targets.push({
    name: `tasks.list p99 at ${a.tasks} (postgres)`,
    goal: "≤ 1.5 × plain SQL and ≤ 25 ms",
    value: `${a.list.api.p99} ms (${a.list.p99Ratio} × ${a.list.sql.p99} ms)`,
    met: a.list.p99Ratio <= 1.5 && a.list.api.p99 <= 25,
  })
}

if (figures.push !== null) {
  const p = figures.push
  targets.push({
    name: "push write throughput vs raw",
    goal: "≥ 50% of raw writes/s",
    value: `${p.engine.writesPerSecond}/s vs ${p.raw.writesPerSecond}/s at ${p.ratePerSecond} offered (${percent(p.ratio)}); raw back to back at concurrency ${p.raw.concurrency}: ${p.raw.capacity.perSecond}/s (${percent(p.capacityRatio)})`,
    met: p.ratio >= 0.5,
  })
  const undelivered = p.vendors.reduce((n, v) => n + v.unmatched, 0)
  targets.push({
    name: `push p99 edit → vendor at ${p.ratePerSecond} edits/s`,
    goal: "≤ 250 ms at 200 edits/s, every edit delivered",
    value: `${p.engine.p99} ms (${p.vendors.map((v) => `${v.vendor} ${v.engine.p99}`).join(", ")}); ${undelivered} undelivered`,
    met: p.ratePerSecond >= 200 && p.engine.p99 <= 250 && undelivered === 0,
  })
}

if (figures.propagation !== null) {
  const hooked = figures.propagation.vendors.filter((v) => v.via === "webhook")
  const worst = Math.max(0, ...hooked.map((v) => v.latency.p99))
  targets.push({
    name: "webhook-driven propagation p99",
    goal: "≤ 1 s",
    value: hooked.map((v) => `${v.vendor} ${v.latency.p99} ms`).join(", "),
    met: hooked.length > 0 && worst <= 1000 && hooked.every((v) => v.timedOut === 0),
  })
}

const tables: Array<Table> = []
if (figures.pulls.length > 0) {
  tables.push({
    title: "Backfill (Candid, from empty)",
    columns: [
      "backend",
      "records",
      "engine rec/s",
      "raw rec/s",
      "ratio",
      "engine s",
      "raw s",
      "engine CPU ms",
      "raw CPU ms",
      "engine peak RSS MB",
    ],
    rows: figures.pulls.map((p) => [
      p.backend,
      p.backfill.engine.records,
      p.backfill.engine.recordsPerSecond,
      p.backfill.raw.recordsPerSecond,
      p.backfill.ratio,
      p.backfill.engine.seconds,
      p.backfill.raw.seconds,
      p.backfill.engine.cpuMillis,
      p.backfill.raw.cpuMillis,
      p.backfill.engine.peakRssMB,
    ]),
    note: "Raw: the same pages (same size and order) fetched one after another, each written with one batched INSERT of id and body, no mapping.",
  })
  tables.push({
    title: "Incremental pull (after 1% of the vendor's records changed)",
    columns: [
      "backend",
      "of",
      "changed (raw)",
      "engine records",
      "engine s",
      "raw s",
      "ratio (raw time / engine time)",
      "ratio, raw's updated_since listing alone",
      "rounds (ratio each)",
    ],
    rows: figures.pulls.map((p) => [
      p.backend,
      p.backfill.engine.records,
      p.incremental.changed,
      p.incremental.engine.records,
      p.incremental.engine.seconds,
      p.incremental.raw.seconds,
      p.incremental.ratio,
      p.incremental.ratioUpdatedSinceOnly ?? "–",
      p.incremental.rounds?.map((r) => r.ratio).join(", ") ?? "1",
    ]),
    note: "Raw: the tasks updated since its last pass, then newest agg_updated_at first down to its last pass's newest (the note-only changes), upserted; no overlap. The median of the rounds, each after the vendor's clock moved 6 minutes (past the adapter's overlap) and 1% of its tasks changed.",
  })
}
if (figures.api !== null) {
  const a = figures.api
  const row = (name: string, l: typeof a.list.api) => [name, l.count, l.perSecond, l.p50, l.p95, l.p99, l.max]
  tables.push({
    title: `API at ${a.tasks} work items, ${a.concurrency} concurrent clients, ${a.seconds} s each`,
    columns: ["call", "calls", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
    rows: [
      row("tasks.list (HTTP, tRPC)", a.list.api),
      row("the same rows, plain SQL", a.list.sql),
      row("tasks.update (HTTP, tRPC)", a.update.api),
      row("the same row write, plain SQL", a.update.sql),
    ],
    note: [
      `tasks.update failures: ${a.update.errors}. Updates are validated, stored with history and queued (connections paused).`,
      // A file written before the sides alternated has no blocks.
      ...(a.blocks === undefined || a.list.blockP99s === undefined || a.update.blockP99s === undefined
        ? []
        : [
            `Each side ran in ${a.blocks} blocks, alternating API and plain SQL; p99 of each block in order (ms): tasks.list ${a.list.blockP99s.api.join(", ")} against ${a.list.blockP99s.sql.join(", ")}; tasks.update ${a.update.blockP99s.api.join(", ")} against ${a.update.blockP99s.sql.join(", ")}.`,
          ]),
    ].join(" "),
  })
}

if (figures.push !== null) {
  const p = figures.push
  tables.push({
    title: `Push: ${p.ratePerSecond} edits/s offered through tasks.update for ${p.seconds} s, every vendor`,
    columns: ["side", "vendor writes", "writes/s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
    rows: [
      [
        "engine (edit accepted → vendor received)",
        p.engine.writes,
        p.engine.writesPerSecond,
        p.engine.p50,
        p.engine.p95,
        p.engine.p99,
        p.engine.max,
      ],
      ["raw, same offered rate (sent → answered)", p.raw.writes, p.raw.writesPerSecond, "", "", "", ""],
      [
        `raw back to back at concurrency ${p.raw.concurrency}`,
        p.raw.capacity.count,
        p.raw.capacity.perSecond,
        p.raw.capacity.p50,
        p.raw.capacity.p95,
        p.raw.capacity.p99,
        p.raw.capacity.max,
      ],
    ],
    note: `Ratio (engine writes/s ÷ raw writes/s at the same offered rate and in-flight cap of ${p.maxInFlight}): ${p.ratio}; against the raw back-to-back rate: ${p.capacityRatio}. ${p.engine.late} edits left the load process more than 50 ms late.${p.cpuPerEdit === null || p.cpuPerEdit === undefined ? "" : ` CPU per edit, from the load's start until the last write arrived: the engine's processes ${p.cpuPerEdit.engine} ms, PostgreSQL ${p.cpuPerEdit.postgres} ms.`} Emulators: ${p.emulatorSize} records each, rate limits and added latency off.${p.skipped.length === 0 ? "" : ` Not measured: ${p.skipped.map((s) => `${s.vendor} (${s.reason})`).join(", ")}.`}`,
  })
  tables.push({
    title: "Push per vendor",
    columns: [
      "vendor",
      "field",
      "accepted",
      "superseded",
      "undelivered",
      "engine reads",
      "engine p50 ms",
      "engine p95 ms",
      "engine p99 ms",
      "tasks.update p50 ms",
      "tasks.update p99 ms",
      "raw p50 ms",
      "raw p99 ms",
    ],
    rows: p.vendors.map((v) => [
      v.vendor,
      v.field,
      v.accepted,
      v.superseded,
      v.unmatched,
      v.reads,
      v.engine.p50,
      v.engine.p95,
      v.engine.p99,
      v.accept.p50,
      v.accept.p99,
      v.raw.p50,
      v.raw.p99,
    ]),
    note: "Superseded: a later edit of the same task was pushed before this one was, carrying both (its latency is to that write). Undelivered: not at the vendor 30 s after the last edit. Engine reads: the GETs the engine made of that vendor meanwhile (look-before-write and pulls).",
  })
}

if (figures.propagation !== null) {
  const p = figures.propagation
  tables.push({
    title: "Propagation: a vendor-side edit until the API shows it",
    columns: ["vendor", "via", "samples", "p50 ms", "p99 ms", "max ms", "timed out"],
    rows: p.vendors.map((v) => [
      v.vendor,
      v.via,
      v.latency.count,
      v.latency.p50,
      v.latency.p99,
      v.latency.max,
      v.timedOut,
    ]),
    note: `Poll-driven vendors are pulled every ${p.pollIntervalSeconds} s in this run (30 s by default), so their figures are about the interval.`,
  })
}

const box = machine(postgresUrl)
const results = { date: started.toISOString(), profile, machine: box, runs, targets, figures }
write(join(root, "bench", "results"), {
  [`${date}.json`]: `${JSON.stringify(results, null, 2)}\n`,
  [`${date}.md`]: markdown(
    `Benchmarks, ${started.toISOString()} (${profile})`,
    [
      `${box.cores} cores (${box.cpu}), ${box.memoryGiB} GiB, Node ${box.node}, PostgreSQL ${box.postgres ?? "n/a"}; load average at start ${box.loadAverage.join(" / ")}.`,
      "Every ratio compares to a baseline measured in the same run; absolute figures on a shared machine vary run to run.",
      ...(runs.length > 1
        ? [`Suites by run: ${runs.map((r) => `${r.suites.join(", ")} at ${r.date}`).join("; ")}.`]
        : []),
    ],
    tables,
    targets,
  ),
})
const backfillSeries = (["postgres", "pglite"] as const).flatMap((backend) => {
  const runs = figures.pulls.filter((p) => p.backend === backend)
  return runs.length === 0
    ? []
    : [
        {
          name: `engine, ${backend}`,
          points: runs.map((r) => [r.backfill.engine.records, r.backfill.engine.recordsPerSecond] as const),
        },
        {
          name: `raw, ${backend}`,
          points: runs.map((r) => [r.backfill.raw.records, r.backfill.raw.recordsPerSecond] as const),
        },
      ]
})
if (backfillSeries.length > 0) {
  write(join(root, "docs", "performance"), {
    "backfill.svg": lineChart({
      title: "Backfill: records per second against size",
      xLabel: "records pulled (log scale)",
      yLabel: "records / s",
      series: backfillSeries,
      logX: true,
    }),
  })
}
if (figures.push !== null) {
  const p = figures.push
  const pick = (key: "p50" | "p95" | "p99", side: "engine" | "raw") => ({
    name: `${side} ${key}`,
    values: p.vendors.map((v) => v[side][key]),
  })
  write(join(root, "docs", "performance"), {
    "push-latency.svg": barChart({
      title: `Push latency at ${p.ratePerSecond} edits/s: engine (accepted → vendor) vs raw (sent → answered)`,
      yLabel: "ms (log scale)",
      categories: p.vendors.map((v) => v.vendor),
      series: [
        pick("p50", "engine"),
        pick("p95", "engine"),
        pick("p99", "engine"),
        pick("p50", "raw"),
        pick("p95", "raw"),
        pick("p99", "raw"),
      ],
      logY: true,
    }),
  })
}
for (const t of targets) log(`${t.met ? "met    " : "MISSED "} ${t.name}: ${t.value} (goal ${t.goal})`)
log(`results in bench/results/${date}.json and .md`)
// A suite's cleanup that ran out of time (see Push.ts) may leave a handle open; the run is over.
process.exit(0)
