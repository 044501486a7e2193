/**
 * Python's str() of a parameter value, as botocore's validation messages print it
 * (`value: 60`, `value: ['1', '2']`, `value: b'...'`).
 */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value
  return pyRepr(value)
}

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'string') return quote(value)
  if (Buffer.isBuffer(value)) return `b${quote(value.toString('latin1'))}`
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${quote(k)}: ${pyRepr(v)}`).join(', ')}}`
  }
  return String(value)
}

/** repr() of a str: single quotes unless the text holds a ' and no ". */
function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  const body = s.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c).replaceAll(q, `\\${q}`)
  return `${q}${body}${q}`
}

/** Python's type name as printed in `type: <class 'str'>`. */
export function pyTypeName(value: unknown): string {
  if (typeof value === 'string') return "<class 'str'>"
  if (typeof value === 'boolean') return "<class 'bool'>"
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isInteger(Number(value)) ? "<class 'int'>" : "<class 'float'>"
  if (value === null || value === undefined) return "<class 'NoneType'>"
  if (Buffer.isBuffer(value)) return "<class 'bytes'>"
  if (Array.isArray(value)) return "<class 'list'>"
  return "<class 'dict'>"
}
