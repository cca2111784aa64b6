// The schema's migrations, in order, run by the effect/sql Migrator: each runs once, all pending ones in one
// transaction, recorded in `taskbridge_migrations`; concurrent starters wait on the migrator's table lock.
import { Layer } from "effect"
import * as Migrator from "effect/sql/Migrator"
import organizations from "./migrations/0001_organizations.ts"
import tasks from "./migrations/0002_tasks.ts"
import sync from "./migrations/0003_sync.ts"
import history from "./migrations/0004_history.ts"
import rateBudgets from "./migrations/0005_rate_budgets.ts"
import apiViews from "./migrations/0006_api_views.ts"
import workItems from "./migrations/0007_work_items.ts"
import quarantine from "./migrations/0008_quarantine.ts"
import console_ from "./migrations/0009_console.ts"
import linkKeys from "./migrations/0010_link_keys.ts"
import taskAssignees from "./migrations/0011_task_assignees.ts"
import linksFillfactor from "./migrations/0012_links_fillfactor.ts"

// Static imports rather than a glob: the package ships TypeScript source with no bundler to expand one.
/** Every migration by name, in order; exported so a test can stop at an older schema and check a data move. */
export const migrations = {
  "0001_organizations": organizations,
  "0002_tasks": tasks,
  "0003_sync": sync,
  "0004_history": history,
  "0005_rate_budgets": rateBudgets,
  "0006_api_views": apiViews,
  "0007_work_items": workItems,
  "0008_quarantine": quarantine,
  "0009_console": console_,
  "0010_link_keys": linkKeys,
  "0011_task_assignees": taskAssignees,
  "0012_links_fillfactor": linksFillfactor,
}

const loader = Migrator.fromRecord(migrations)

/** Applies pending migrations; returns the ids and names it ran (empty when the schema is current). */
export const run = Migrator.make({})({ loader, table: "taskbridge_migrations" })

export const layer = Layer.effectDiscard(run)
