/**
 * Building the sections of a table: a port of `formatter.TableFormatter._build_table`
 * and of the bookkeeping half of `awscli/table.py` (`MultiTable`, `Section`).
 * Rendering is in `render.ts`.
 */
import { awsTextWidth } from '../east-asian-width.js'
import { comparePyStrings, isPyDict, isPyList, isPyScalar, pyDictEntries, pyDictGet, pyNumber, pyRepr, pyStr, pyTruthy, pyTypeName } from '../../python/values.js'
import { OutputFormatError } from '../text.js'

/** `table.Section`. */
export class Section {
  /** `None` for the untitled sections of nested lists of dicts (rendered without title). */
  title: string | null = ''
  headers: string[] = []
  rows: string[][] = []
  indentLevel = 0
  private numCols: number | null = null
  maxWidths: number[] = []

  addHeader(headers: unknown[]): void {
    const formatted = headers.map(pyStr)
    this.updateMaxWidths(formatted)
    if (this.numCols === null) this.numCols = formatted.length
    this.headers = formatted
  }

  addRow(row: unknown[]): void {
    if (this.numCols === null) this.numCols = row.length
    if (row.length !== this.numCols) {
      throw new OutputFormatError(`Row should have ${this.numCols} elements, instead it has ${row.length}`)
    }
    const formatted = row.map(pyStr)
    this.rows.push(formatted)
    this.updateMaxWidths(formatted)
  }

  private updateMaxWidths(row: string[]): void {
    if (this.maxWidths.length === 0) {
      this.maxWidths = row.map(awsTextWidth)
      return
    }
    row.forEach((el, i) => {
      if (i >= this.maxWidths.length) throw new OutputFormatError('list index out of range')
      this.maxWidths[i] = Math.max(awsTextWidth(el), this.maxWidths[i])
    })
  }

  /**
   * `calculate_column_widths(padding, max_width)`: widths + padding scaled to fill
   * `maxWidth` with Python `round` (half to even), then fixed up one column at a time
   * (too wide: subtract left to right; too narrow: add right to left).
   */
  calculateColumnWidths(padding: number, maxWidth?: number): number[] {
    const unscaled = this.maxWidths.map((w) => w + padding)
    if (maxWidth === undefined || unscaled.length === 0) return unscaled
    const total = unscaled.reduce((a, b) => a + b, 0)
    const scaleFactor = maxWidth / total
    const scaled = unscaled.map((w) => roundHalfEven(scaleFactor * w))
    let offBy = scaled.reduce((a, b) => a + b, 0) - maxWidth
    while (offBy !== 0) {
      const order = scaled.map((_, i) => i)
      if (offBy < 0) order.reverse()
      for (const i of order) {
        if (offBy > 0) {
          scaled[i] -= 1
          offBy -= 1
        } else {
          scaled[i] += 1
          offBy += 1
        }
        if (offBy === 0) break
      }
    }
    return scaled
  }

  /** `total_width(padding=4, with_border=True, outer_padding=indent_level)`. */
  totalWidth(): number {
    const padding = 4
    const borderPadding = 2
    const outer = this.indentLevel
    let total = 0
    for (const w of this.calculateColumnWidths(0)) total += w + padding
    total += borderPadding + outer + outer
    // get_text_length(self.title): str(None) is 'None'.
    return Math.max(awsTextWidth(pyStr(this.title)) + borderPadding + outer + outer, total)
  }
}

/** Python `round(x)` for a float: ties go to the even integer. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x)
  const diff = x - floor
  if (diff > 0.5) return floor + 1
  if (diff < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}

/**
 * `convert_to_vertical_table`: every section with exactly one row and a header row
 * becomes a 2-column `header | value` section.
 */
export function convertToVerticalTable(sections: Section[]): void {
  sections.forEach((section, i) => {
    if (section.rows.length === 1 && section.headers.length > 0) {
      const vertical = new Section()
      vertical.title = section.title
      vertical.indentLevel = section.indentLevel
      const row = section.rows[0]
      const n = Math.min(section.headers.length, row.length)
      for (let k = 0; k < n; k++) vertical.addRow([section.headers[k], row[k]])
      sections[i] = vertical
    }
  })
}

// --- Python semantics needed by _build_table on arbitrary (post --query) data ---------

/** `for el in value` in Python. */
function pyIter(value: unknown): unknown[] {
  if (isPyList(value)) return value
  if (isPyDict(value)) return pyDictEntries(value).map(([k]) => k)
  if (typeof value === 'string') return Array.from(value)
  throw new OutputFormatError(`'${pyTypeName(value)}' object is not iterable`)
}

/** `value[key]` in Python. */
function pyGetItem(value: unknown, key: unknown): unknown {
  if (isPyDict(value)) {
    const got = pyDictGet(value, String(key))
    if (typeof key !== 'string' || !got.found) throw new OutputFormatError(pyRepr(key))
    return got.value
  }
  const index = typeof key === 'boolean' ? { kind: 'int' as const, digits: key ? '1' : '0' } : pyNumber(key)
  if (isPyList(value) || typeof value === 'string') {
    if (index === null || index.kind !== 'int') {
      throw new OutputFormatError(
        isPyList(value)
          ? `list indices must be integers or slices, not ${pyTypeName(key)}`
          : `string indices must be integers, not '${pyTypeName(key)}'`,
      )
    }
    const seq = isPyList(value) ? value : Array.from(value)
    let i = Number(index.digits)
    if (i < 0) i += seq.length
    if (i < 0 || i >= seq.length) {
      throw new OutputFormatError(isPyList(value) ? 'list index out of range' : 'string index out of range')
    }
    return seq[i]
  }
  throw new OutputFormatError(`'${pyTypeName(value)}' object is not subscriptable`)
}

/**
 * `sorted()` of header keys: strings in code-point order. Keys are only non-strings for
 * absurd `--query` results (items of a list element taken as "keys"); mixing them with
 * strings raises like Python (the operand order in Python's message depends on set
 * iteration order, so it is not reproducible anyway).
 */
function pySortedKeys(keys: unknown[]): unknown[] {
  const strings = keys.filter((k): k is string => typeof k === 'string')
  const others = keys.filter((k) => typeof k !== 'string')
  if (strings.length > 0 && others.length > 0) {
    throw new OutputFormatError(`'<' not supported between instances of 'str' and '${pyTypeName(others[0])}'`)
  }
  if (others.length > 0) return others.slice().sort((a, b) => pyNumericValue(a) - pyNumericValue(b))
  return strings.sort(comparePyStrings)
}

function pyNumericValue(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0
  const num = pyNumber(value)
  if (num === null) return NaN
  return num.kind === 'int' ? Number(num.digits) : num.value
}

// ---------------------------------------------------------------------------------------
// TableFormatter._build_table
// ---------------------------------------------------------------------------------------

/** Builds the `MultiTable` sections for a response (`initial_section=False`). */
export class TableBuilder {
  readonly sections: Section[] = []
  private current: Section | null = null

  private newSection(title: string | null, indentLevel: number): void {
    const section = new Section()
    section.title = title
    section.indentLevel = indentLevel
    this.sections.push(section)
    this.current = section
  }

  private section(): Section {
    if (this.current === null) throw new OutputFormatError("'NoneType' object has no attribute 'add_row'")
    return this.current
  }

  /** `_build_table`: returns false (print nothing) for a falsy value. */
  build(title: unknown, current: unknown, indentLevel = 0): boolean {
    if (!pyTruthy(current)) return false
    if (title !== null) this.newSection(typeof title === 'string' ? title : pyStr(title), indentLevel)
    if (isPyList(current)) {
      if (isPyDict(current[0])) {
        this.subTableFromList(current, indentLevel, title)
      } else {
        for (const item of current) {
          if (isPyScalar(item)) this.section().addRow([item])
          else if (pyIter(item).every(isPyScalar)) this.section().addRow(pyIter(item))
          else this.build(null, item)
        }
      }
    }
    if (isPyDict(current)) this.subTableFromDict(current, indentLevel)
    return true
  }

  // _build_sub_table_from_dict: one scalar → a 2-column row; several → header + row;
  // then every non-scalar as a nested section one level deeper.
  private subTableFromDict(current: Map<unknown, unknown> | Record<string, unknown>, indentLevel: number): void {
    const { headers, more } = groupScalarKeys(current)
    if (headers.length === 1) {
      this.section().addRow([headers[0], pyGetItem(current, headers[0])])
    } else if (headers.length > 0) {
      this.section().addHeader(headers)
      this.section().addRow(headers.map((k) => pyGetItem(current, k)))
    }
    for (const remaining of more) this.build(remaining, pyGetItem(current, remaining), indentLevel + 1)
  }

  // _build_sub_table_from_list: union of scalar keys as header; a new titled section
  // (title + header repeated) per element when elements have nested values.
  private subTableFromList(current: unknown[], indentLevel: number, title: unknown): void {
    const { headers, more } = groupScalarKeysFromList(current)
    this.section().addHeader(headers)
    let first = true
    for (const element of current) {
      if (!first && more.length > 0) {
        this.newSection(title === null || typeof title === 'string' ? title : pyStr(title), indentLevel)
        this.section().addHeader(headers)
      }
      first = false
      this.section().addRow(headers.map((h) => dictGetOrEmpty(element, h)))
      for (const remaining of more) {
        if (pyContains(element, remaining)) this.build(remaining, pyGetItem(element, remaining), indentLevel + 1)
      }
    }
  }
}

// `element.get(header, '')` — element must be a dict.
function dictGetOrEmpty(element: unknown, key: unknown): unknown {
  if (!isPyDict(element)) throw new OutputFormatError(`'${pyTypeName(element)}' object has no attribute 'get'`)
  if (typeof key !== 'string') return ''
  const got = pyDictGet(element, key)
  return got.found ? got.value : ''
}

// `remaining in element`
function pyContains(container: unknown, key: unknown): boolean {
  if (isPyDict(container)) return typeof key === 'string' && pyDictGet(container, key).found
  if (isPyList(container)) return container.some((el) => el === key)
  if (typeof container === 'string') {
    if (typeof key !== 'string') {
      throw new OutputFormatError(`'in <string>' requires string as left operand, not ${pyTypeName(key)}`)
    }
    return container.includes(key)
  }
  throw new OutputFormatError(`argument of type '${pyTypeName(container)}' is not iterable`)
}

// _group_scalar_keys: keys whose value is scalar / not, each sorted.
function groupScalarKeys(current: unknown): { headers: unknown[]; more: unknown[] } {
  const headers: unknown[] = []
  const more: unknown[] = []
  for (const element of pyIter(current)) {
    if (isPyScalar(pyGetItem(current, element))) headers.push(element)
    else more.push(element)
  }
  return { headers: pySortedKeys(headers), more: pySortedKeys(more) }
}

// _group_scalar_keys_from_list: union over all elements (a set), sorted.
function groupScalarKeysFromList(listOfDicts: unknown[]): { headers: unknown[]; more: unknown[] } {
  const headers = new Set<unknown>()
  const more = new Set<unknown>()
  for (const item of listOfDicts) {
    const grouped = groupScalarKeys(item)
    grouped.headers.forEach((h) => headers.add(h))
    grouped.more.forEach((m) => more.add(m))
  }
  return { headers: pySortedKeys([...headers]), more: pySortedKeys([...more]) }
}
