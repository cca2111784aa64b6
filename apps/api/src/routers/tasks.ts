// `tasks.*`: every work item of every kind and vendor (tasks, escalations, waitlist requests) — list (the inbox:
// filters incl. kind, sort, keyset cursor), get, create (optionally at a vendor connection, as the kind it holds),
// update with optimistic concurrency, restore (after a vendor-side deletion), history, and editability (what the
// console's edit form may offer, per field, and why not). Every call is scoped to the caller's organization; writes
// hand their queued outbox rows to the Dispatcher once their transaction committed.
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { type InboxFacts, maxPageSize, TaskListFilter, TaskQuery, TaskSort } from "@taskbridge/db/TaskQuery"
import { Assignee } from "@taskbridge/domain/Assignment"
import { recordUrl } from "@taskbridge/domain/Capabilities"
import { InputDue, none } from "@taskbridge/domain/Due"
import { Editability, editability } from "@taskbridge/domain/Editability"
import { VendorExtension } from "@taskbridge/domain/Extension"
import { ConnectionId, TaskId } from "@taskbridge/domain/Ids"
import { TaskPatch } from "@taskbridge/domain/Patch"
import { Priority } from "@taskbridge/domain/Priority"
import { HistoryRecord, HistoryRepository, TaskRepository } from "@taskbridge/domain/ports/Repositories"
import { CanonicalStatus } from "@taskbridge/domain/Status"
import { Subjects, Tag, Task, Title } from "@taskbridge/domain/Task"
import { List, limits, Text } from "@taskbridge/domain/Text"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { SyncEngine } from "@taskbridge/sync/Engine"
import { linkedVendors } from "@taskbridge/sync/Local"
import { VendorDefinitions } from "@taskbridge/sync/Registry"
import { Effect, Schema } from "effect"
import { input, output, procedure, router, run, type Wire } from "../Trpc.ts"

const PageLimit = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: maxPageSize })))

export const TaskListInput = Schema.Struct({
  filter: Schema.optionalKey(TaskListFilter),
  sort: Schema.optionalKey(TaskSort),
  cursor: Schema.optionalKey(Text(limits.cursor)),
  limit: Schema.optionalKey(PageLimit),
})

export const TaskCreateInput = Schema.Struct({
  title: Title,
  description: Schema.optionalKey(Schema.NullOr(Text(limits.description))),
  status: Schema.optionalKey(CanonicalStatus),
  priority: Schema.optionalKey(Priority),
  due: Schema.optionalKey(InputDue),
  assignees: Schema.optionalKey(List(Assignee)),
  tags: Schema.optionalKey(List(Tag)),
  subjects: Schema.optionalKey(Subjects),
  /** Also create it at this vendor connection (the engine pushes the create). */
  connectionId: Schema.optionalKey(ConnectionId),
  /** The vendor's own fields for the create (e.g. Candid's task type). */
  extension: Schema.optionalKey(VendorExtension),
})

export const TaskUpdateInput = Schema.Struct({
  id: TaskId,
  expectedVersion: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  patch: TaskPatch,
})

const ById = Schema.Struct({ id: TaskId })

export const TaskRestoreInput = Schema.Struct({
  id: TaskId,
  expectedVersion: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
})

const encodeTask = output(Task)
/** A page as the client receives it: each task's JSON with the inbox's facts about it (flags, last change). */
type WirePage = Wire<{
  readonly items: ReadonlyArray<Task & { readonly inbox: InboxFacts }>
  readonly nextCursor: string | null
}>
const encodeHistory = output(Schema.Array(HistoryRecord))
const encodeEditability = output(Editability)

/** A task as `tasks.get` answers: each link also carries `recordUrl`, the vendor record's address (or null). */
type WireTaskWithUrls = Wire<Task> & {
  readonly links: ReadonlyArray<Wire<Task>["links"][number] & { readonly recordUrl: string | null }>
}

/** Each link's vendor record address, from its vendor's manifest and its connection's base URL. */
const withRecordUrls = (task: Task) =>
  Effect.gen(function* () {
    const definitions = yield* VendorDefinitions
    const connections = yield* (yield* ConnectionRepository).list(task.organizationId)
    const encoded = encodeTask(task)
    const links = encoded.links.map((link, index) => {
      const source = task.links[index]
      const connection = connections.find((c) => c.id === link.connectionId)
      const definition = definitions.find((d) => d.vendor === link.vendor)
      const url =
        source === undefined || connection === undefined || definition === undefined
          ? null
          : recordUrl(definition.manifest, { baseUrl: connection.baseUrl, id: source.recordId, parent: source.parent })
      return { ...link, recordUrl: url }
    })
    return { ...encoded, links } as WireTaskWithUrls
  })

export const tasksRouter = router({
  list: procedure("viewer")
    .input(input(TaskListInput))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          // Already the tasks' JSON form, straight from the query (decoding 50 tasks to encode them again would
          // cost more than the query).
          const page = yield* (yield* TaskQuery).listEncoded({
            organizationId: ctx.identity.organizationId,
            filter: input.filter ?? {},
            ...(input.sort === undefined ? {} : { sort: input.sort }),
            ...(input.cursor === undefined ? {} : { cursor: input.cursor }),
            ...(input.limit === undefined ? {} : { limit: input.limit }),
          })
          return page as unknown as WirePage
        }),
      ),
    ),

  get: procedure("viewer")
    .input(input(ById))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.flatMap(
          TaskRepository.use((tasks) => tasks.get(ctx.identity.organizationId, input.id)),
          withRecordUrls,
        ),
      ),
    ),

  /** Per field: editable or not and why; which canonical and vendor statuses are reachable; what values fit. */
  editability: procedure("viewer")
    .input(input(ById))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const task = yield* (yield* TaskRepository).get(ctx.identity.organizationId, input.id)
          return encodeEditability(editability(task, yield* linkedVendors(task)))
        }),
      ),
    ),

  create: procedure("operator")
    .input(input(TaskCreateInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const org = ctx.identity.organizationId
          // Another organization's connection behaves as not found.
          if (input.connectionId !== undefined) yield* (yield* ConnectionRepository).get(org, input.connectionId)
          const { task, queued } = yield* (yield* SyncEngine).create({
            organizationId: org,
            fields: {
              title: input.title,
              description: input.description ?? null,
              status: input.status ?? "open",
              priority: input.priority ?? "none",
              due: input.due ?? none,
              assignees: input.assignees ?? [],
              tags: input.tags ?? [],
            },
            subjects: input.subjects ?? {},
            connectionId: input.connectionId,
            extension: input.extension ?? null,
            actor: ctx.identity.name,
          })
          yield* (yield* Dispatcher).push(queued)
          return encodeTask(task)
        }),
      ),
    ),

  update: procedure("operator")
    .input(input(TaskUpdateInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const { task, queued } = yield* (yield* SyncEngine).update({
            organizationId: ctx.identity.organizationId,
            id: input.id,
            expectedVersion: input.expectedVersion,
            patch: input.patch,
            actor: ctx.identity.name,
            origin: "api",
          })
          yield* (yield* Dispatcher).push(queued)
          return encodeTask(task)
        }),
      ),
    ),

  restore: procedure("operator")
    .input(input(TaskRestoreInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          SyncEngine.use((engine) =>
            engine.restore({
              organizationId: ctx.identity.organizationId,
              id: input.id,
              expectedVersion: input.expectedVersion,
              actor: ctx.identity.name,
            }),
          ),
          encodeTask,
        ),
      ),
    ),

  history: procedure("viewer")
    .input(input(ById))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const org = ctx.identity.organizationId
          const task = yield* (yield* TaskRepository).get(org, input.id)
          return encodeHistory(yield* (yield* HistoryRepository).list(org, task.id))
        }),
      ),
    ),
})
