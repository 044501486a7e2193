/**
 * `--output text`: a port of `awscli/text.py` (`format_text`) as used by
 * `formatter.TextFormatter` in AWS CLI v2 (2.9.19, identical in 2.36.7).
 * Values are read as Python sees them (src/python/values.ts).
 */

import { isPyList, isPyDict, isPyScalar, pyDictEntries, pyDictGet, pyTypeName, pyStr, comparePyStrings, pySorted } from '../python/values.js'
import type { PyDictEntries } from '../python/values.js'

/**
 * An exception the AWS CLI's formatter raises for this input. The AWS CLI prints
 * `"\n" + message + "\n"` on stderr and exits 255; whatever the formatter had already
 * written (`partialOutput`) still reaches stdout.
 */
export class OutputFormatError extends Error {
  readonly partialOutput: string

  constructor(message: string, partialOutput = '') {
    super(message)
    this.name = 'OutputFormatError'
    this.partialOutput = partialOutput
  }
}

// ---------------------------------------------------------------------------------------
// format_text
// ---------------------------------------------------------------------------------------

/**
 * The exact stdout of `--output text` for one formatter call.
 *
 * Paginated operations call the text formatter once per page (each page reduced to
 * `{<result key>: ...}`, `--query` applied per page) and once more for
 * `{"NextToken": {"NextToken": <resume token>}}` when truncated; concatenate the results.
 *
 * @throws OutputFormatError when a list mixes dicts with other values
 *   (`'int' object has no attribute 'items'`, captures 03-22, 03-32).
 */
export function formatText(data: unknown): string {
  const out: string[] = []
  try {
    formatItem(data, out, null, null)
  } catch (error) {
    if (error instanceof OutputFormatError) throw new OutputFormatError(error.message, out.join(''))
    throw error
  }
  return out.join('')
}

// _format_text: dict / list / scalar (`str(item) + "\n"`).
function formatItem(item: unknown, out: string[], identifier: string | null, scalarKeys: string[] | null): void {
  if (isPyDict(item)) formatDict(scalarKeys, item, identifier, out)
  else if (isPyList(item)) formatList(item, identifier, out)
  else out.push(`${pyStr(item)}\n`)
}

// _format_list: nothing for []; union of scalar keys when any element is a dict;
// scalars first (one line) then nested lists when any element is a list.
function formatList(items: unknown[], identifier: string | null, out: string[]): void {
  if (items.length === 0) return
  if (items.some(isPyDict)) {
    const allKeys = allScalarKeys(items)
    for (const element of items) formatItem(element, out, identifier, allKeys)
  } else if (items.some(isPyList)) {
    const scalars = items.filter(isPyScalar)
    const nonScalars = items.filter((el) => !isPyScalar(el))
    if (scalars.length > 0) formatScalarList(scalars, identifier, out)
    for (const nonScalar of nonScalars) formatItem(nonScalar, out, identifier, null)
  } else {
    formatScalarList(items, identifier, out)
  }
}

// _format_scalar_list: "LABEL\tvalue" per element, or one tab-joined line.
function formatScalarList(elements: unknown[], identifier: string | null, out: string[]): void {
  if (identifier !== null) {
    for (const item of elements) out.push(`${identifier.toUpperCase()}\t${pyStr(item)}\n`)
  } else {
    out.push(`${elements.map(pyStr).join('\t')}\n`)
  }
}

// _format_dict: one row of scalar values (label first), then each non-scalar under its key.
function formatDict(
  scalarKeys: string[] | null,
  item: Map<unknown, unknown> | Record<string, unknown>,
  identifier: string | null,
  out: string[],
): void {
  const { scalars, nonScalars } = partitionDict(item, scalarKeys)
  if (scalars.length > 0) {
    if (identifier !== null) scalars.unshift(identifier.toUpperCase())
    out.push(`${scalars.join('\t')}\n`)
  }
  for (const [newIdentifier, nonScalar] of nonScalars) formatItem(nonScalar, out, newIdentifier, null)
}

// _all_scalar_keys: `item_dict.items()` on every element — raises for a non-dict element.
function allScalarKeys(listOfDicts: unknown[]): string[] {
  const seen = new Set<string>()
  for (const itemDict of listOfDicts) {
    if (!isPyDict(itemDict)) {
      throw new OutputFormatError(`'${pyTypeName(itemDict)}' object has no attribute 'items'`)
    }
    for (const [key, value] of pyDictEntries(itemDict)) {
      if (isPyScalar(value)) seen.add(key)
    }
  }
  return pySorted(seen)
}

// _partition_dict: sorted(items) when no scalar_keys; else the given columns ('' when
// missing) plus the remaining keys, sorted.
function partitionDict(
  itemDict: Map<unknown, unknown> | Record<string, unknown>,
  scalarKeys: string[] | null,
): { scalars: string[]; nonScalars: PyDictEntries } {
  const scalars: string[] = []
  const nonScalars: PyDictEntries = []
  const entries = pyDictEntries(itemDict)
  if (scalarKeys === null) {
    const sorted = [...entries].sort((a, b) => comparePyStrings(a[0], b[0]))
    for (const [key, value] of sorted) {
      if (isPyScalar(value)) scalars.push(pyStr(value))
      else nonScalars.push([key, value])
    }
  } else {
    for (const key of scalarKeys) {
      const got = pyDictGet(itemDict, key)
      scalars.push(got.found ? pyStr(got.value) : '')
    }
    const keySet = new Set(scalarKeys)
    const remaining = pySorted(entries.map(([k]) => k).filter((k) => !keySet.has(k)))
    for (const key of remaining) nonScalars.push([key, pyDictGet(itemDict, key).value])
  }
  return { scalars, nonScalars }
}
