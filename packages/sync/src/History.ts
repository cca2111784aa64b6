// A change made here (an API call, a create, a restore, a conflict's resolution) as a history entry: who made it and
// which fields moved; vendor-side changes are recorded by the pipeline with their connection instead.
import type { FieldChange, HistoryOrigin } from "@taskbridge/domain/ports/Repositories"
import { HistoryRepository } from "@taskbridge/domain/ports/Repositories"
import type { Task } from "@taskbridge/domain/Task"

/** Recorded even when no field moved: a resolution that keeps the local value still says who decided. */
export const recordLocal = (
  task: Pick<Task, "organizationId" | "id">,
  actor: string,
  origin: Extract<HistoryOrigin, "api" | "conflict-resolution">,
  changes: ReadonlyArray<FieldChange>,
) =>
  HistoryRepository.use((history) =>
    history.append({
      organizationId: task.organizationId,
      taskId: task.id,
      origin,
      actor,
      connectionId: null,
      changes,
    }),
  )
