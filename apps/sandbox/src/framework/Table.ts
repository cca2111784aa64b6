// Compact, growable column storage (one typed array per field) so an emulator can hold a million records in
// tens of megabytes: a row is an integer index, and string fields are derived from it on demand.

type ColumnCtor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Int16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | Float64ArrayConstructor

export type ColumnSpec = Readonly<Record<string, ColumnCtor>>
export type Columns<S extends ColumnSpec> = { [K in keyof S]: InstanceType<S[K]> }

const allocate = <S extends ColumnSpec>(spec: S, capacity: number, from?: Columns<S>): Columns<S> => {
  const out: Record<string, InstanceType<ColumnCtor>> = {}
  for (const name of Object.keys(spec)) {
    const Ctor = spec[name]
    if (Ctor === undefined) continue
    const column = new Ctor(capacity)
    const previous = from?.[name]
    if (previous !== undefined) column.set(previous)
    out[name] = column
  }
  return out as Columns<S>
}

export class Table<S extends ColumnSpec> {
  readonly #spec: S
  #columns: Columns<S>
  #length = 0

  constructor(spec: S, capacity: number) {
    this.#spec = spec
    this.#columns = allocate(spec, Math.max(16, capacity))
  }

  /** The columns; re-read after `add`, which may replace them when the table grows. */
  get cols(): Columns<S> {
    return this.#columns
  }

  get length(): number {
    return this.#length
  }

  /** Appends a zeroed row and returns its index. */
  add(): number {
    const capacity = this.#capacityOf()
    if (this.#length === capacity) this.#columns = allocate(this.#spec, capacity * 2, this.#columns)
    return this.#length++
  }

  #capacityOf(): number {
    const first = Object.keys(this.#spec)[0]
    return first === undefined ? 0 : (this.#columns[first]?.length ?? 0)
  }
}
