import { pyFloat } from '../python/values.js'

/**
 * JSON parsing with Python's json.loads rules and error messages, because the AWS CLI reports invalid
 * JSON parameter values with them: "Expecting value: line 1 column 19 (char 18)".
 * Accepts NaN/Infinity like Python; integers beyond 2^53 come back as bigint.
 */
export function parsePythonJson(text: string, options: PythonJsonOptions = {}): unknown {
  const parser = new PythonJsonParser(text, options)
  return parser.parseDocument()
}

export interface PythonJsonOptions {
  /**
   * Return an object that has an integer-like key ("10") as a Map, which keeps the document's key order;
   * a plain JavaScript object would list such keys first. Python (and so the AWS CLI) keeps the order.
   */
  orderedIntegerKeys?: boolean
  /** Keep a float a float (`1.0` stays `1.0`, see pyFloat) rather than a JavaScript number. */
  pythonFloats?: boolean
}

const INTEGER_KEY = /^(0|[1-9]\d*)$/

class PythonJsonError extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y
const WHITESPACE = /[ \t\n\r]*/y

class PythonJsonParser {
  private pos = 0
  constructor(
    private readonly doc: string,
    private readonly options: PythonJsonOptions,
  ) {}

  parseDocument(): unknown {
    this.skipWhitespace()
    const value = this.value()
    this.skipWhitespace()
    if (this.pos !== this.doc.length) this.fail('Extra data', this.pos)
    return value
  }

  private fail(message: string, at: number): never {
    const line = this.doc.slice(0, at).split('\n').length
    const lastNewline = this.doc.lastIndexOf('\n', at - 1)
    const column = lastNewline === -1 ? at + 1 : at - lastNewline
    throw new PythonJsonError(`${message}: line ${line} column ${column} (char ${at})`)
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos
    WHITESPACE.exec(this.doc)
    this.pos = WHITESPACE.lastIndex
  }

  private value(): unknown {
    const c = this.doc[this.pos]
    if (c === '"') return this.string()
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    for (const [literal, result] of [['null', null], ['true', true], ['false', false], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (this.doc.startsWith(literal, this.pos)) {
        this.pos += literal.length
        return typeof result === 'number' && this.options.pythonFloats ? pyFloat(result) : result
      }
    }
    NUMBER.lastIndex = this.pos
    const m = NUMBER.exec(this.doc)
    if (m) {
      this.pos = NUMBER.lastIndex
      if (m[1] || m[2]) return this.options.pythonFloats ? pyFloat(Number(m[0])) : Number(m[0])
      const n = Number(m[0])
      return Number.isSafeInteger(n) ? n : BigInt(m[0])
    }
    return this.fail('Expecting value', this.pos)
  }

  private string(): string {
    const start = this.pos
    this.pos++
    let out = ''
    for (;;) {
      if (this.pos >= this.doc.length) this.fail('Unterminated string starting at', start)
      const c = this.doc[this.pos]
      if (c === '"') {
        this.pos++
        return out
      }
      if (c === '\\') {
        const e = this.doc[this.pos + 1]
        if (e === undefined) this.fail('Unterminated string starting at', start)
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
        if (e in simple) {
          out += simple[e]
          this.pos += 2
        } else if (e === 'u') {
          const hex = this.doc.slice(this.pos + 2, this.pos + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', this.pos + 1)
          out += String.fromCharCode(parseInt(hex, 16))
          this.pos += 6
        } else {
          // CPython's C scanner (the one json.loads uses) names no character: "Invalid \escape: line 1 ...".
          this.fail('Invalid \\escape', this.pos)
        }
        continue
      }
      if (c < ' ') this.fail('Invalid control character at', this.pos)
      out += c
      this.pos++
    }
  }

  private object(): Record<string, unknown> | Map<string, unknown> {
    const entries: [string, unknown][] = []
    this.pos++
    this.skipWhitespace()
    if (this.doc[this.pos] === '}') {
      this.pos++
      return {}
    }
    for (;;) {
      if (this.doc[this.pos] !== '"') this.fail('Expecting property name enclosed in double quotes', this.pos)
      const key = this.string()
      this.skipWhitespace()
      if (this.doc[this.pos] !== ':') this.fail("Expecting ':' delimiter", this.pos)
      this.pos++
      this.skipWhitespace()
      entries.push([key, this.value()])
      this.skipWhitespace()
      const c = this.doc[this.pos]
      this.pos++
      if (c === '}') return this.build(entries)
      if (c !== ',') this.fail("Expecting ',' delimiter", this.pos - 1)
      this.skipWhitespace()
    }
  }

  /** Later duplicates win, as in Python's dict. */
  private build(entries: [string, unknown][]): Record<string, unknown> | Map<string, unknown> {
    if (this.options.orderedIntegerKeys && entries.some(([k]) => INTEGER_KEY.test(k))) return new Map(entries)
    const out: Record<string, unknown> = {}
    // defineProperty, so that a "__proto__" key is data like any other (Python keeps it).
    for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
    return out
  }

  private array(): unknown[] {
    const out: unknown[] = []
    this.pos++
    this.skipWhitespace()
    if (this.doc[this.pos] === ']') {
      this.pos++
      return out
    }
    for (;;) {
      out.push(this.value())
      this.skipWhitespace()
      const c = this.doc[this.pos]
      this.pos++
      if (c === ']') return out
      if (c !== ',') this.fail("Expecting ',' delimiter", this.pos - 1)
      this.skipWhitespace()
    }
  }
}
