// Migration 8: vendor records that could not be read, held per connection with the rule they broke until a later
// pull reads them fine (see QuarantineRepository).
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  // `record_key` is the vendor's id, or a digest of the reason and payload when the record had no readable id, so a
  // record seen broken again is one row counted twice, never a growing pile.
  yield* sql`
    CREATE TABLE quarantined_records (
      connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
      record_key text NOT NULL,
      organization_id text NOT NULL REFERENCES organizations (id),
      record_id text,
      reason text NOT NULL,
      payload jsonb,
      seen integer NOT NULL DEFAULT 1,
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      PRIMARY KEY (connection_id, record_key)
    )`
  yield* sql`CREATE INDEX quarantined_records_org ON quarantined_records (organization_id, last_seen_at DESC)`
})
