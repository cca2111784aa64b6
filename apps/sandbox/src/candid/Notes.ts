// Seeded task notes, derived on demand from the task row (count and last note time are stored, text and
// authors come from hashes), so a million tasks carry their notes without storing note objects.
import { uuidOf } from "../framework/Ids.ts"
import { hash32 } from "../framework/Prng.ts"
import { type Note, NS } from "./Model.ts"
import type { CandidStore } from "./Store.ts"
import { CANDID_STAFF, NOTE_TEXTS } from "./Text.ts"

export const derivedNotes = (store: CandidStore, i: number): Array<Note> => {
  const c = store.tasks.cols
  const count = c.seededNotes[i] ?? 0
  const created = c.createdAt[i] ?? 0
  const last = c.lastSeededNoteAt[i] ?? 0
  const org = store.org(i)
  const notes: Array<Note> = []
  for (let k = 0; k < count; k++) {
    const h = hash32(store.seed, NS.note, i, k)
    // Candid's own billing staff write some notes, the customer's users the rest.
    const byCandid = h % 3 === 0
    notes.push({
      task_note_id: uuidOf(NS.note, store.seed, i, k),
      text: NOTE_TEXTS[h % NOTE_TEXTS.length] ?? "",
      created_at: Math.floor((created + ((last - created) * (k + 1)) / count) / 1000) * 1000,
      author_name: byCandid
        ? (CANDID_STAFF[h % CANDID_STAFF.length] ?? "")
        : (org.users[h % org.users.length]?.name ?? ""),
      author_organization_name: byCandid ? "Candid Health" : org.name,
    })
  }
  return notes
}
