// Migration 10: a link names its connection and organization through one composite foreign key instead of two. The
// server checks a foreign key once per inserted row, and a backfill inserts a link per record: one check fewer per
// record, and a link can no longer name a connection of another organization.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`ALTER TABLE connections ADD CONSTRAINT connections_id_organization UNIQUE (id, organization_id)`
  yield* sql`
    ALTER TABLE links
      DROP CONSTRAINT links_organization_id_fkey,
      DROP CONSTRAINT links_connection_id_fkey,
      ADD CONSTRAINT links_connection_organization_fkey FOREIGN KEY (connection_id, organization_id)
        REFERENCES connections (id, organization_id)`
})
