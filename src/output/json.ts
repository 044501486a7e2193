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
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return pyNumber(value)
  // JSON.stringify escapes exactly what Python does with ensure_ascii=False: " \ \b \f \n \r \t and
  // other C0 controls as lowercase \u00XX; everything else, non-ASCII included, is written raw.
  if (typeof value === 'string') return JSON.stringify(value)
  const inner = `${indent}    `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((v) => inner + dump(v, inner)).join(',\n')}\n${indent}]`
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return '{}'
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${dump(v, inner)}`).join(',\n')}\n${indent}}`
}

/**
 * Numbers as Python prints them: integers as digits; other floats with repr() (shortest round-trip
 * digits, exponent form below 1e-4 or from 1e16 on, e.g. 1e-05, 1e+16); NaN and infinities as
 * json.dumps spells them.
 */
export function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n)
  const [mantissa, expText] = n.toExponential().split('e')
  const exp = Number(expText)
  if (exp < -4 || exp >= 16) {
    const m = mantissa.includes('.') ? mantissa : mantissa
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  return String(n)
}
