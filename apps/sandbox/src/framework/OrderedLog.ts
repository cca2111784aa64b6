// An append-mostly index of record ids ordered by a timestamp key (e.g. updated_at), for O(log n + page)
// listing at a million rows. An edit appends the row at the end (keys only grow) and tombstones its old slot;
// ties are broken by an append sequence number, so (key, seq) is a total order a page cursor can point into.
import type { SortedView } from "./Paging.ts"

/** Where each id currently sits in the log; the owner keeps it in a compact column. */
export interface Positions {
  readonly get: (id: number) => number
  readonly set: (id: number, position: number) => void
}

export class OrderedLog implements SortedView {
  #keys: Float64Array
  #ids: Int32Array
  #seqs: Float64Array
  #length = 0
  #dead = 0
  #nextSeq = 0
  readonly #positions: Positions

  constructor(positions: Positions, capacity = 1024) {
    this.#positions = positions
    this.#keys = new Float64Array(capacity)
    this.#ids = new Int32Array(capacity)
    this.#seqs = new Float64Array(capacity)
  }

  /** Builds the log for existing rows, ordered by (key, id). */
  static build(ids: Uint32Array, keyOf: (id: number) => number, positions: Positions): OrderedLog {
    const log = new OrderedLog(positions, Math.max(1024, Math.ceil(ids.length * 1.25)))
    const keys = new Float64Array(ids.length)
    for (let i = 0; i < ids.length; i++) keys[i] = keyOf(ids[i] ?? 0)
    const order = new Uint32Array(ids.length)
    for (let i = 0; i < order.length; i++) order[i] = i
    order.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || (ids[a] ?? 0) - (ids[b] ?? 0))
    for (const i of order) log.append(ids[i] ?? 0, keys[i] ?? 0)
    return log
  }

  get length(): number {
    return this.#length
  }

  get live(): number {
    return this.#length - this.#dead
  }

  key(position: number): number {
    return this.#keys[position] ?? Number.NaN
  }

  tie(position: number): number {
    return this.#seqs[position] ?? Number.NaN
  }

  id(position: number): number {
    return this.#ids[position] ?? -1
  }

  get lastKey(): number {
    return this.#length === 0 ? Number.NEGATIVE_INFINITY : this.key(this.#length - 1)
  }

  /** Adds a row at the end; its key must not be smaller than the last one (callers stamp monotonically). */
  append(id: number, key: number): void {
    if (key < this.lastKey) throw new RangeError(`OrderedLog keys must not decrease (${key} < ${this.lastKey})`)
    if (this.#length === this.#ids.length) this.#grow()
    const position = this.#length++
    this.#keys[position] = key
    this.#ids[position] = id
    this.#seqs[position] = this.#nextSeq++
    this.#positions.set(id, position)
  }

  /** Re-keys a row that is already in the log: tombstone its slot, append it anew. */
  move(id: number, key: number): void {
    const position = this.#positions.get(id)
    if (this.#ids[position] === id) {
      this.#ids[position] = -1
      this.#dead++
    }
    this.append(id, key)
    if (this.#dead > 4096 && this.#dead > this.live) this.#compact()
  }

  /** First position whose (key, tie) is >= the given pair. */
  lowerBound(key: number, tie: number): number {
    let lo = 0
    let hi = this.#length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const k = this.key(mid)
      if (k < key || (k === key && this.tie(mid) < tie)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  #grow(): void {
    const capacity = this.#ids.length * 2
    const keys = new Float64Array(capacity)
    const ids = new Int32Array(capacity)
    const seqs = new Float64Array(capacity)
    keys.set(this.#keys)
    ids.set(this.#ids)
    seqs.set(this.#seqs)
    this.#keys = keys
    this.#ids = ids
    this.#seqs = seqs
  }

  /** Drops tombstones; keys and seqs are kept, so cursors issued before compaction stay valid. */
  #compact(): void {
    let write = 0
    for (let read = 0; read < this.#length; read++) {
      const id = this.#ids[read] ?? -1
      if (id < 0) continue
      this.#keys[write] = this.#keys[read] ?? 0
      this.#seqs[write] = this.#seqs[read] ?? 0
      this.#ids[write] = id
      this.#positions.set(id, write)
      write++
    }
    this.#length = write
    this.#dead = 0
  }
}
