// `GET /api/tasks/v3` query parameters: parsing with Candid's validation (limit 1-999, known enum values, ISO
// dates) and the filters as a row predicate. https://docs.joincandidhealth.com/api-reference/tasks/v-3/get-multi
import { parseIsoDate, parseIsoDateTime } from "../framework/Fake.ts"
import { DEFAULT_SORT, SORT_FIELDS, type SortField, TASK_CATEGORIES, TASK_STATUSES, TASK_TYPES } from "./Enums.ts"

export const LIMIT_MESSAGE = "Limit parameter provided must be greater than 0 and less than 1000"

export interface ListQuery {
  readonly limit: number
  readonly pageToken: string | undefined
  readonly sort: SortField
  readonly descending: boolean
  /** Each entry is one filter; a row must be in every set given (status AND statuses) [I]. */
  readonly statusSets: ReadonlyArray<ReadonlySet<number>>
  readonly typeSets: ReadonlyArray<ReadonlySet<number>>
  readonly categories: ReadonlySet<number> | undefined
  readonly updatedSince: number | undefined
  readonly encounterId: string | undefined
  readonly searchTerm: string | undefined
  readonly assignedToId: string | undefined
  readonly dateOfServiceMin: number | undefined
  readonly dateOfServiceMax: number | undefined
  readonly billingProviderNpi: string | undefined
  /** Canonical text of everything but paging; page tokens carry its hash. */
  readonly canonical: string
}

export class QueryError extends Error {}

/** A CSV parameter, also accepting the repeated form (`statuses=a&statuses=b`). */
const csv = (query: URLSearchParams, name: string): Array<string> | undefined => {
  const raw = query.getAll(name)
  if (raw.length === 0) return undefined
  return raw
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "")
}

const enumSet = (list: ReadonlyArray<string>, values: Array<string> | undefined, name: string) => {
  if (values === undefined) return undefined
  const set = new Set<number>()
  for (const value of values) {
    const index = list.indexOf(value)
    if (index < 0) throw new QueryError(`Invalid ${name}: ${value}`)
    set.add(index)
  }
  return set
}

const one = (query: URLSearchParams, name: string): string | undefined => query.get(name) ?? undefined

const limitOf = (raw: string | undefined): number => {
  if (raw === undefined) return 100
  const limit = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN
  if (!(limit > 0 && limit < 1000)) throw new QueryError(LIMIT_MESSAGE)
  return limit
}

const sortOf = (raw: string | undefined): { sort: SortField; descending: boolean } => {
  const [field, direction] = (raw ?? DEFAULT_SORT).split(":")
  const sort = SORT_FIELDS.find((candidate) => candidate === field)
  if (sort === undefined || (direction !== "asc" && direction !== "desc")) throw new QueryError(`Invalid sort: ${raw}`)
  return { sort, descending: direction === "desc" }
}

const parsed = <T>(raw: string | undefined, parse: (value: string) => T | undefined, name: string) => {
  if (raw === undefined) return undefined
  const value = parse(raw)
  if (value === undefined) throw new QueryError(`Invalid ${name}: ${raw}`)
  return value
}

const sets = (list: ReadonlyArray<string>, query: URLSearchParams, single: string, plural: string) =>
  [enumSet(list, csv(query, single), single), enumSet(list, csv(query, plural), plural)].filter(
    (set): set is Set<number> => set !== undefined,
  )

/** Parses the query string; throws QueryError with the message Candid's 422 carries. */
export const parseListQuery = (query: URLSearchParams): ListQuery => {
  const limit = limitOf(one(query, "limit"))
  const { sort, descending } = sortOf(one(query, "sort"))
  const filters = {
    statusSets: sets(TASK_STATUSES, query, "status", "statuses"),
    typeSets: sets(TASK_TYPES, query, "task_type", "task_types"),
    categories: enumSet(TASK_CATEGORIES, csv(query, "categories"), "categories"),
    updatedSince: parsed(one(query, "updated_since"), parseIsoDateTime, "updated_since"),
    encounterId: one(query, "encounter_id")?.toLowerCase(),
    searchTerm: one(query, "search_term")?.trim(),
    assignedToId: one(query, "assigned_to_id")?.toLowerCase(),
    dateOfServiceMin: parsed(one(query, "date_of_service_min"), parseIsoDate, "date_of_service_min"),
    dateOfServiceMax: parsed(one(query, "date_of_service_max"), parseIsoDate, "date_of_service_max"),
    billingProviderNpi: one(query, "billing_provider_npi"),
  }
  const canonical = JSON.stringify({ sort, descending, ...filters }, (_, value: unknown) =>
    value instanceof Set ? [...value].sort() : value,
  )
  return { limit, pageToken: one(query, "page_token"), sort, descending, ...filters, canonical }
}
