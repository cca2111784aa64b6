// Migration 12: room on each `links` page for the pull's update of a link (its merge base, hash and vendor view).
// None of those columns is indexed, so with free space on the page the server can write the new row version beside
// the old one without touching the table's five indexes (a heap-only update). Packed full (fill factor 100), every
// link update wrote a new index entry in each of them. Only pages written from now on keep the room.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`ALTER TABLE links SET (fillfactor = 80)`
})
