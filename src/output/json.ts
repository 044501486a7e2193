import { pyFloatRepr, pyNumber } from '../python/values.js'

/**
 * `--output json`: Python's json.dumps(data, indent=4, ensure_ascii=False) plus a newline, and nothing
 * at all when the value is exactly {} (how empty responses print nothing: awscli/formatter.py).
 */
export function formatJson(data: unknown): string {
  if (isEmptyObject(data)) return ''
  return `${dump(data, '')}\n`
}

function isEmptyObject(data: unknown): boolean {
  if (data instanceof Map) return data.size === 0
  return typeof data === 'object' && data !== null && !Array.isArray(data) && Object.keys(data).length === 0
}

function dump(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const number = pyNumber(value)
  if (number !== null) return number.kind === 'int' ? number.digits : jsonFloat(number.value)
  // JSON.stringify escapes exactly what Python does with ensure_ascii=False: " \ \b \f \n \r \t and
  // other C0 controls as lowercase \u00XX; everything else, non-ASCII included, is written raw.
  if (typeof value === 'string') return JSON.stringify(value)
  const inner = `${indent}    `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((v) => inner + dump(v, inner)).join(',\n')}\n${indent}]`
  }
  const entries = (value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>)).filter(([, v]) => v !== undefined)
  if (entries.length === 0) return '{}'
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${dump(v, inner)}`).join(',\n')}\n${indent}}`
}

/** json.dumps of a float: repr(), except that NaN and the infinities keep their JavaScript names. */
function jsonFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  return pyFloatRepr(n)
}
