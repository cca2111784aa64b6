// How a run of some suites (`--only`) joins the day's results file: the suites it did not run keep an earlier run's
// figures (same day and profile), each still dated by the run that measured it, so one file can gather suites run one
// at a time on a busy machine. Pulls run on some backends keep the other backends' figures the same way.

/** One run's start and the suites (or `pulls (<backend>)`) whose figures in the file it measured. */
export interface Run {
  readonly date: string
  readonly suites: ReadonlyArray<string>
}

/** The suites' figures; pulls are a list, one entry per backend and size. */
export interface SuiteFigures {
  readonly pulls: ReadonlyArray<{ readonly backend: string }>
  readonly [suite: string]: unknown
}

/** A results file as written: its last run's start, profile, figures and runs. */
export interface ResultsFile<F extends SuiteFigures> {
  readonly date: string
  readonly profile: string
  readonly figures: Partial<F>
  readonly runs?: ReadonlyArray<Run> | undefined
}

/**
 * This run's figures (`ran`: the suites it ran, started at `started`) with what it keeps of `earlier`, and the runs
 * that measured each part. A file of another profile keeps nothing.
 */
export const joinEarlier = <F extends SuiteFigures>(
  figures: F,
  ran: ReadonlyArray<string>,
  started: string,
  profile: string,
  earlier: ResultsFile<F> | null,
): { readonly figures: F; readonly runs: ReadonlyArray<Run> } => {
  const runs: Array<Run> = [{ date: started, suites: ran }]
  if (earlier === null || earlier.profile !== profile) return { figures, runs }
  const joined: Record<string, unknown> = { ...figures }
  const kept = Object.keys(figures).filter(
    (suite) => !ran.includes(suite) && earlier.figures[suite] !== undefined && earlier.figures[suite] !== null,
  )
  for (const suite of kept) joined[suite] = earlier.figures[suite]
  const earlierRuns = earlier.runs ?? [{ date: earlier.date, suites: kept }]
  for (const run of earlierRuns) {
    const suites = run.suites.filter((suite) => kept.includes(suite))
    if (suites.length > 0) runs.push({ date: run.date, suites })
  }
  if (ran.includes("pulls")) {
    const measured = new Set(figures.pulls.map((p) => p.backend))
    const others = (earlier.figures.pulls ?? []).filter((p) => !measured.has(p.backend))
    joined.pulls = [...figures.pulls, ...others]
    // Each backend keeps the date of the run that measured it: one that named it (it kept it before), else the one
    // that ran the pulls. Not the earlier file's own date, which is its last run's, whatever that run measured.
    const measuredAt = (backend: string) =>
      earlierRuns.find((run) => run.suites.includes(`pulls (${backend})`))?.date ??
      earlierRuns.find((run) => run.suites.includes("pulls"))?.date ??
      earlier.date
    for (const backend of new Set(others.map((p) => p.backend)))
      runs.push({ date: measuredAt(backend), suites: [`pulls (${backend})`] })
  }
  return { figures: joined as F, runs }
}
