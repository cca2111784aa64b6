// All of persistence as one layer for apps: the configured database (migrated), Secrets, the Transactor and every
// repository. `layerRepositories` alone needs only a PgClient and Secrets, so tests can put it on any backend.
import { Layer } from "effect"
import * as CheckpointRepository from "./CheckpointRepository.ts"
import * as ConflictRepository from "./ConflictRepository.ts"
import * as ConnectionRepository from "./ConnectionRepository.ts"
import * as Database from "./Database.ts"
import * as HealthHistory from "./HealthHistory.ts"
import * as HeldDeletionRepository from "./HeldDeletionRepository.ts"
import * as HistoryRepository from "./HistoryRepository.ts"
import * as LinkRepository from "./LinkRepository.ts"
import * as OrganizationRepository from "./OrganizationRepository.ts"
import * as OutboxRepository from "./OutboxRepository.ts"
import * as QuarantineRepository from "./QuarantineRepository.ts"
import * as RateBudgetRepository from "./RateBudgetRepository.ts"
import * as Secrets from "./Secrets.ts"
import * as SessionRepository from "./SessionRepository.ts"
import * as SyncRunRepository from "./SyncRunRepository.ts"
import * as TaskQuery from "./TaskQuery.ts"
import * as TaskRepository from "./TaskRepository.ts"
import * as Transactor from "./Transactor.ts"
import * as Views from "./Views.ts"

export const layerRepositories = Layer.mergeAll(
  Transactor.layer,
  TaskRepository.layer,
  TaskQuery.layer,
  HeldDeletionRepository.layer,
  QuarantineRepository.layer,
  LinkRepository.layer,
  CheckpointRepository.layer,
  OutboxRepository.layer,
  ConflictRepository.layer,
  HistoryRepository.layer,
  SyncRunRepository.layer,
  ConnectionRepository.layer,
  OrganizationRepository.layer,
  SessionRepository.layer,
  RateBudgetRepository.layer,
  Views.layer,
  HealthHistory.layer,
)

/** Reads DATABASE_URL / TASKBRIDGE_DATA_DIR / TASKBRIDGE_SECRET_KEY, migrates, and provides every repository. */
export const layer = layerRepositories.pipe(Layer.provideMerge(Secrets.layer), Layer.provideMerge(Database.layer))
