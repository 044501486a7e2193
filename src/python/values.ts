/**
 * The AWS CLI is Python: its output and messages show values as Python sees them. This is that view of
 * a response or parameter value, shared by the formatters and the parameter checks:
 * - `null` / `undefined` → `None`; booleans → `True`/`False`; strings as is; a Buffer → `bytes`;
 * - `bigint` → `int` (printed exactly); a JS `number` is an `int` when it is integral and a `float`
 *   otherwise; a lossless-json `LosslessNumber` (or any `{ isLosslessNumber: true, value }`) keeps its
 *   lexical kind: `"110.0"` / `"1e-05"` are floats, `"5"` is an int;
 * - arrays → `list`; `Map` and plain objects → `dict` (insertion order kept; object properties whose
 *   value is `undefined` are treated as absent).
 */

import { PyDateTime } from './datetime.js'

/** A dict, seen as its (key, value) entries in insertion order. */
export type PyDictEntries = Array<[string, unknown]>

/** lossless-json's number wrapper (duck-typed so that no import is needed). */
interface LosslessNumberLike {
  isLosslessNumber: true
  value: string
}

function isLosslessNumber(value: unknown): value is LosslessNumberLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { isLosslessNumber?: unknown }).isLosslessNumber === true &&
    typeof (value as { value?: unknown }).value === 'string'
  )
}

const INT_LEXEME = /^-?\d+$/

/** Python `list`. */
export function isPyList(value: unknown): value is unknown[] {
  return Array.isArray(value)
}

/** Python `dict`: a `Map` or any other non-array object that is not a number wrapper. */
export function isPyDict(value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !Buffer.isBuffer(value) &&
    !isLosslessNumber(value) &&
    !(value instanceof PyDateTime)
  )
}

/** `not isinstance(value, (list, dict))` — the formatters' notion of a scalar. */
export function isPyScalar(value: unknown): boolean {
  return !isPyList(value) && !isPyDict(value)
}

/** Entries of a dict in insertion order (keys as strings). */
export function pyDictEntries(value: Map<unknown, unknown> | Record<string, unknown>): PyDictEntries {
  if (value instanceof Map) {
    return Array.from(value.entries(), ([k, v]): [string, unknown] => [String(k), v])
  }
  const entries: PyDictEntries = []
  for (const key of Object.keys(value)) {
    const v = value[key]
    if (v !== undefined) entries.push([key, v])
  }
  return entries
}

/** `dict.get(key, default)` / `key in dict`. */
export function pyDictGet(
  value: Map<unknown, unknown> | Record<string, unknown>,
  key: string,
): { found: boolean; value: unknown } {
  if (value instanceof Map) {
    return value.has(key) ? { found: true, value: value.get(key) } : { found: false, value: undefined }
  }
  if (Object.prototype.hasOwnProperty.call(value, key) && value[key] !== undefined) {
    return { found: true, value: value[key] }
  }
  return { found: false, value: undefined }
}

/**
 * A Python float that stays a float whatever its value (`1.0`, `1e+21`): a number wrapper whose lexeme is
 * float-shaped, which pyNumber and so every formatter read as a float.
 */
export function pyFloat(value: number): LosslessNumberLike {
  const lexeme = Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? pyFloatRepr(value) : String(value)
  return { isLosslessNumber: true, value: lexeme }
}

/** The Python kind of a scalar number, or null when the value is not a number. */
export function pyNumber(value: unknown): { kind: 'int'; digits: string } | { kind: 'float'; value: number } | null {
  if (typeof value === 'bigint') return { kind: 'int', digits: value.toString() }
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return { kind: 'int', digits: BigInt(value).toString() }
    return { kind: 'float', value }
  }
  if (isLosslessNumber(value)) {
    const lexeme = value.value.trim()
    if (INT_LEXEME.test(lexeme)) return { kind: 'int', digits: BigInt(lexeme).toString() }
    return { kind: 'float', value: Number(lexeme) }
  }
  return null
}

/** Python type name, as used in Python error messages. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'string') return 'str'
  if (Buffer.isBuffer(value)) return 'bytes'
  if (value instanceof PyDateTime) return value.typeName
  const num = pyNumber(value)
  if (num !== null) return num.kind
  if (isPyList(value)) return 'list'
  return 'dict'
}

/** Python `bool(value)`. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false
  if (value === true) return true
  if (typeof value === 'string') return value.length > 0
  const num = pyNumber(value)
  if (num !== null) return num.kind === 'int' ? num.digits !== '0' : num.value !== 0
  if (isPyList(value)) return value.length > 0
  if (value instanceof Map) return value.size > 0
  if (isPyDict(value)) return pyDictEntries(value).length > 0
  return true
}

/** `value == {}` in Python: an empty dict. */
export function isEmptyPyDict(value: unknown): boolean {
  return isPyDict(value) && !pyTruthy(value)
}

/**
 * Python `float.__repr__` (== `str()` for floats): shortest round-trip digits, exponent
 * notation when the decimal exponent is < -4 or >= 16, `.0` appended to integral values.
 * JS produces the same shortest round-trip digits; only the layout differs.
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (value === Infinity) return 'inf'
  if (value === -Infinity) return '-inf'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const sign = value < 0 ? '-' : ''
  const [mantissa, expText] = Math.abs(value).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const exp = Number(expText)
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : ''
    const expAbs = String(Math.abs(exp)).padStart(2, '0')
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${expAbs}`
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
  const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0')
  const fracPart = digits.length > exp + 1 ? digits.slice(exp + 1) : '0'
  return `${sign}${intPart}.${fracPart}`
}

// str.isprintable() is false for these general categories (space excepted).
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u

/** Python `repr(str)`. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number
    if (ch === quote || ch === '\\') out += `\\${ch}`
    else if (ch === '\t') out += '\\t'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else if (cp < 0x7f) out += ch
    else if (cp !== 0x20 && NOT_PRINTABLE.test(ch)) {
      if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`
      else out += `\\U${cp.toString(16).padStart(8, '0')}`
    } else out += ch
  }
  return out + quote
}

/** Python `repr(value)`. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return pyStrRepr(value)
  if (Buffer.isBuffer(value)) return `b${pyStrRepr(value.toString('latin1'))}`
  if (value instanceof PyDateTime) return value.repr()
  if (isPyList(value)) return `[${value.map(pyRepr).join(', ')}]`
  if (isPyDict(value)) {
    return `{${pyDictEntries(value)
      .map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`
  }
  return pyStr(value)
}

/** Python `str(value)` (`six.text_type`): `None`, `True`, `110.0`, lists/dicts as repr. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'string') return value
  if (value instanceof PyDateTime) return value.str()
  const num = pyNumber(value)
  if (num !== null) return num.kind === 'int' ? num.digits : pyFloatRepr(num.value)
  return pyRepr(value)
}

/** Python string ordering: by code point (JS `<` compares UTF-16 units). */
export function comparePyStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i)
    const cb = b.charCodeAt(i)
    if (ca === cb) continue
    const surrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff
    if (surrogate(ca) || surrogate(cb)) {
      return (a.codePointAt(i) as number) - (b.codePointAt(i) as number)
    }
    return ca - cb
  }
  return a.length - b.length
}

/** `sorted(keys)` for string keys. */
export function pySorted(keys: Iterable<string>): string[] {
  return Array.from(keys).sort(comparePyStrings)
}

/** How Python prints a value's class: `<class 'str'>` (botocore's validation messages). */
export function pyClass(value: unknown): string {
  return `<class '${pyTypeName(value)}'>`
}

// str.isspace() (JavaScript's \s has U+FEFF, which Python's has not, and lacks U+001C-U+001F and U+0085).
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g')
const PY_LSTRIP = new RegExp(`^[${PY_SPACE}]+`)
const DECIMAL_DIGIT = /\p{Nd}/u

/** Python's str.strip(). */
export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '')
}

/** Python's str.lstrip(): a byte-order mark (U+FEFF) is not whitespace to Python. */
export function pyLstrip(text: string): string {
  return text.replace(PY_LSTRIP, '')
}

/** Unicode decimal digits as ASCII digits, as int() and float() read them (Nd digits come in runs of ten from zero). */
function asciiDigits(text: string): string {
  let out = ''
  for (const ch of text) {
    if ((ch >= '0' && ch <= '9') || !DECIMAL_DIGIT.test(ch)) {
      out += ch
      continue
    }
    const cp = ch.codePointAt(0) as number
    let start = cp
    while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--
    out += String((cp - start) % 10)
  }
  return out
}

const PY_INT = /^[+-]?\d+(?:_\d+)*$/
const PY_FLOAT = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.\d+(?:_\d+)*|\d+(?:_\d+)*\.?)(?:[eE][+-]?\d+(?:_\d+)*)?$/
const PY_FLOAT_WORD = /^[+-]?(?:inf|infinity|nan)$/i

/** Python's int(text) (base 10), or undefined where it raises ValueError. */
export function pyIntOf(text: string): bigint | undefined {
  const t = asciiDigits(pyStrip(text))
  return PY_INT.test(t) ? BigInt(t.replaceAll('_', '')) : undefined
}

/** Python's float(text), or undefined where it raises ValueError. */
export function pyFloatOf(text: string): number | undefined {
  const t = asciiDigits(pyStrip(text))
  if (PY_FLOAT.test(t)) return Number(t.replaceAll('_', ''))
  if (PY_FLOAT_WORD.test(t)) return /nan/i.test(t) ? NaN : t.startsWith('-') ? -Infinity : Infinity
  return undefined
}
