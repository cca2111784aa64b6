// The request log: a bounded ring buffer of every vendor-route request (never /_sandbox/ ones), so tests can
// assert exactly what an adapter sent and how the emulator answered, credentials excepted (Redaction.ts).
import type { IncomingHttpHeaders } from "node:http"

export interface RequestLogEntry {
  /** Increases by one per request for the emulator's lifetime; survives `clear` so `since` stays valid. */
  readonly seq: number
  /** Controllable-clock time the request arrived, ISO 8601. */
  readonly at: string
  readonly method: string
  /** Path including the query string, exactly as received. */
  readonly path: string
  /** As received, except credential headers, which read "[redacted]" (or "Bearer [redacted]"). */
  readonly headers: IncomingHttpHeaders
  /** Parsed JSON or form body (secret-named fields redacted); the raw text when it did not parse; null when empty. */
  readonly body: unknown
  /** Response status; null while in flight or when a fault dropped or held the connection. */
  status: number | null
  /** The injected fault kind that answered this request, if any. */
  fault: string | null
  durationMs: number | null
}

export type NewEntry = Omit<RequestLogEntry, "seq" | "status" | "fault" | "durationMs">

export class RequestLog {
  readonly #capacity: number
  #entries: Array<RequestLogEntry> = []
  #head = 0
  #nextSeq = 1

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity)
  }

  record(entry: NewEntry): RequestLogEntry {
    const full: RequestLogEntry = { seq: this.#nextSeq++, ...entry, status: null, fault: null, durationMs: null }
    if (this.#entries.length < this.#capacity) this.#entries.push(full)
    else {
      this.#entries[this.#head] = full
      this.#head = (this.#head + 1) % this.#capacity
    }
    return full
  }

  /** Entries with `seq > since`, oldest first, at most `limit`. */
  since(since = 0, limit = Number.POSITIVE_INFINITY): Array<RequestLogEntry> {
    const ordered = [...this.#entries.slice(this.#head), ...this.#entries.slice(0, this.#head)]
    return ordered.filter((entry) => entry.seq > since).slice(0, limit)
  }

  /** The seq the next request will get; pass `nextSeq - 1` as `since` to see only what follows. */
  get nextSeq(): number {
    return this.#nextSeq
  }

  clear(): void {
    this.#entries = []
    this.#head = 0
  }
}
