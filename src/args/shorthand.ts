import { loadParamfile } from './paramfile.js'

/**
 * The AWS CLI "shorthand" syntax (`awscli/shorthand.py`, class ShorthandParser):
 *
 *   --attributes A=1,B=2
 *   --dns-config 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}]'
 *
 * This module is purely syntactic: every scalar comes back as a string. Type conversion against the
 * model (int(), wrapping a scalar given for a list member) is the BackCompatVisitor's job (unpack.ts).
 *
 * Positions are counted in code points, as Python's str does, so the caret of an error message and
 * the "received" character match the AWS CLI even after an emoji.
 */

export type ShorthandValue = string | ShorthandValue[] | { [key: string]: ShorthandValue }

/**
 * Which AWS CLI's parser to mirror. The two differ in three places only:
 * - `key@=value` (read `file://` / `fileb://` values) exists in 2.36.7, is a syntax error in 2.9.19;
 * - the quoted-string pattern: 2.9.19 has an extra `\\` alternative, dropped by aws-cli PR #8992
 *   (against catastrophic backtracking; its v1 port is in the awscli 1.45.11 on this machine, the
 *   2.36.7 source is not). Only `\\` right before a closing quote that is followed later by another
 *   quote parses differently: `A='a\\',B='c'`;
 * - the text of a syntax error in 2.36.7 has a space before the echoed input (see messageFor()).
 */
export type ShorthandDialect = '2.9.19' | '2.36.7'

export interface ShorthandOptions {
  /** default '2.36.7' */
  dialect?: ShorthandDialect
}

/**
 * Base of every shorthand error. `message` is exactly the text the AWS CLI prints after
 * `Error parsing parameter '--x': ` (2.9.19 wording; messageFor('2.36.7') gives the 2.36.7 one).
 */
export class ShorthandParseError extends Error {
  /** the whole shorthand value being parsed */
  readonly input: string
  /** code-point offset the caret points at */
  readonly index: number

  constructor(message: string, input: string, index: number) {
    super(message)
    this.name = 'ShorthandParseError'
    this.input = input
    this.index = index
  }

  /** The message as the given AWS CLI version words it. */
  messageFor(_dialect: ShorthandDialect): string {
    return this.message
  }
}

/** ShorthandParseSyntaxError: `Expected: '<expected>', received: '<actual>' for input:` + location. */
export class ShorthandSyntaxError extends ShorthandParseError {
  /** a character, or `<second>` / `<singled quoted>` / `<double quoted>` for a pattern that matched nothing */
  readonly expected: string
  /** the character found, `EOF`, or `<none>` when a pattern matched nothing */
  readonly actual: string

  constructor(input: string, expected: string, actual: string, index: number) {
    super(`Expected: '${expected}', received: '${actual}' for input:\n${errorLocation(input, index)}`, input, index)
    this.name = 'ShorthandSyntaxError'
    this.expected = expected
    this.actual = actual
  }

  /**
   * 2.36.7 prints one space between "for input:\n" and the echoed input, without shifting the caret
   * line (capture 09-16-bad-shorthand.latest.txt). Inferred from captures, the 2.36.7 source being
   * unavailable: its multi-line "Invalid JSON" errors get no such space, so the space belongs to this
   * message, not to the error printer.
   */
  override messageFor(dialect: ShorthandDialect): string {
    if (dialect === '2.9.19') return this.message
    return `Expected: '${this.expected}', received: '${this.actual}' for input:\n ${errorLocation(this.input, this.index)}`
  }
}

/** DuplicateKeyInObjectError: a top-level key given twice (`A=1,A=2`). */
export class ShorthandDuplicateKeyError extends ShorthandParseError {
  readonly key: string

  constructor(input: string, key: string, index: number) {
    super(
      `Second instance of key "${key}" encountered for input:\n${errorLocation(input, index)}\n` +
        'This is often because there is a preceding "," instead of a space.',
      input,
      index,
    )
    this.name = 'ShorthandDuplicateKeyError'
    this.key = key
  }
}

/**
 * Parse one shorthand argument value. Returns an object (key order = input order, except that
 * JavaScript itself lists integer-like keys such as "1" first).
 *
 * @param readFile used by `key@=file://…` / `key@=fileb://…` (2.36.7): receives the value as
 *   written, prefix included (`file://desc.txt`), and returns the content. The default is
 *   loadParamfile() (`~`/`$VAR` expansion, AWS error texts); for `fileb://` it yields a Buffer, as
 *   Python yields bytes, so validation can report it like botocore does. Its errors propagate
 *   unchanged (in the AWS CLI a ResourceLoadingError, not a ShorthandParseError).
 * @throws ShorthandParseError (ShorthandSyntaxError or ShorthandDuplicateKeyError)
 *
 * @example parseShorthand('A=1,2,B=3')  // { A: ['1', '2'], B: '3' }
 */
export function parseShorthand(
  input: string,
  readFile: (path: string) => string = defaultReadFile,
  options: ShorthandOptions = {},
): { [key: string]: ShorthandValue } {
  try {
    return new ShorthandParser(input, readFile, options.dialect ?? '2.36.7').parse()
  } catch (error) {
    if (error instanceof SyntaxFailure) throw new ShorthandSyntaxError(input, error.expected, error.actual, error.index)
    throw error
  }
}

function defaultReadFile(path: string): string {
  // Only called for file:// and fileb:// values, so never undefined; a Buffer stands for Python bytes.
  return loadParamfile(path) as string
}

// ---------------------------------------------------------------------------------------------------
// Character classes of the unquoted-value patterns, as inclusive code-point ranges. Python matches
// them per code point and stops at U+FFFF, so astral characters (emoji) never match: they must be
// quoted. `\s` is Python's Unicode whitespace; its non-ASCII members fall inside the ranges anyway.

type Ranges = readonly (readonly [number, number])[]

/** first character of any unquoted value: not space/control, " ' , = [ { */
const START: Ranges = [[0x21, 0x21], [0x23, 0x26], [0x28, 0x2b], [0x2d, 0x3c], [0x3e, 0x5a], [0x5c, 0x7a], [0x7c, 0xffff]]
/** rest of a value right after `key=` or inside [..] / {..}: also \s, = [ {; not " ' , ] } */
const FOLLOW_FIRST: Ranges = [[0x09, 0x0d], [0x1c, 0x21], [0x23, 0x26], [0x28, 0x2b], [0x2d, 0x5c], [0x5e, 0x7c], [0x7e, 0xffff]]
/** rest of the 2nd, 3rd… item of a csv list: also \s [ ] { }; not " ' , = (so `B=3` ends the list) */
const FOLLOW_SECOND: Ranges = [[0x09, 0x0d], [0x1c, 0x21], [0x23, 0x26], [0x28, 0x2b], [0x2d, 0x3c], [0x3e, 0xffff]]

function inRanges(ch: string, ranges: Ranges): boolean {
  const cp = ch.codePointAt(0) ?? -1
  return ranges.some(([lo, hi]) => cp >= lo && cp <= hi)
}

const KEY_CHAR = /^[A-Za-z0-9_.#/:-]$/

/** string.whitespace: what the parser skips between tokens (ASCII only). */
const SKIPPED_WHITESPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f'])

/** str.isspace(): what str.rstrip() removes from an unquoted value (not JavaScript's trimEnd set). */
const PYTHON_SPACE = new Set(
  [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]
    .concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i))
    .map((cp) => String.fromCodePoint(cp)),
)

function pythonRstrip(text: string): string {
  let end = text.length
  while (end > 0 && PYTHON_SPACE.has(text[end - 1])) end--
  return text.slice(0, end)
}

/**
 * ShorthandParseError._error_location: the input up to the end of the line holding the error, a
 * caret line indented by the code points since the last newline, then the rest of the input.
 */
function errorLocation(input: string, index: number): string {
  const cs = Array.from(input)
  const lastNewline = cs.lastIndexOf('\n', index - 1)
  const spaces = index > 0 && lastNewline >= 0 ? index - lastNewline - 1 : index
  const nextNewline = cs.indexOf('\n', index)
  const cut = nextNewline >= 0 ? nextNewline : cs.length
  return `${cs.slice(0, cut).join('')}\n${' '.repeat(spaces)}^${cs.slice(cut).join('')}`
}

/** Own enumerable property, safe for keys such as `__proto__`; re-setting keeps the first position. */
function setKey(target: { [key: string]: ShorthandValue }, key: string, value: ShorthandValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

// ---------------------------------------------------------------------------------------------------

/**
 * A syntax error inside the parser. Kept cheap (no message, no stack) because the csv-list rule
 * fails and backtracks once per `key=` that follows a comma; parseShorthand() turns the one that
 * escapes into a ShorthandSyntaxError.
 */
class SyntaxFailure {
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly index: number,
  ) {}
}

class ShorthandParser {
  private readonly cs: string[]
  private pos = 0
  /** set by `@=` for the values that follow, reset at the next key (also a key inside {..}) */
  private resolveParamfiles = false
  /** last position of each quote character, for matchQuoted() */
  private readonly lastIndexes = new Map<string, number>()

  constructor(
    private readonly input: string,
    private readonly readFile: (path: string) => string,
    private readonly dialect: ShorthandDialect,
  ) {
    this.cs = Array.from(input)
  }

  parse(): { [key: string]: ShorthandValue } {
    return this.parameter()
  }

  // parameter = keyval *("," keyval)
  // A top-level key seen twice is an error, the caret one past the end of the previous keyval.
  private parameter(): { [key: string]: ShorthandValue } {
    const params: { [key: string]: ShorthandValue } = {}
    let [key, value] = this.keyval()
    setKey(params, key, value)
    let previousEnd = this.pos
    while (this.pos < this.cs.length) {
      this.expect(',', true)
      ;[key, value] = this.keyval()
      if (Object.hasOwn(params, key)) throw new ShorthandDuplicateKeyError(this.input, key, previousEnd + 1)
      setKey(params, key, value)
      previousEnd = this.pos
    }
    return params
  }

  // keyval = key "=" [values]
  //        / key "@=" [values]        ; 2.36.7: file:// and fileb:// values are replaced by the file
  private keyval(): [string, ShorthandValue] {
    const key = this.key()
    this.optionalAtSign()
    this.expect('=', true)
    return [key, this.values()]
  }

  // key = *(ALPHA / DIGIT / "-" / "_" / "." / "#" / "/" / ":")   ; may be empty: "=1" -> {"": "1"}
  private key(): string {
    const start = this.pos
    while (!this.atEof() && KEY_CHAR.test(this.cs[this.pos])) this.pos++
    return this.cs.slice(start, this.pos).join('')
  }

  // at-sign = *WSP "@" *WSP   (2.36.7 only; whitespace before it is skipped even when it is absent)
  private optionalAtSign(): void {
    if (this.dialect === '2.9.19') return
    this.resolveParamfiles = false
    this.skipWhitespace()
    if (this.current() === '@') {
      this.pos++
      this.skipWhitespace()
      this.resolveParamfiles = true
    }
  }

  // values = "" (end of input) / explicit-list / hash-literal / csv-value
  private values(): ShorthandValue {
    if (this.atEof()) return ''
    if (this.current() === '[') return this.explicitList()
    if (this.current() === '{') return this.hashLiteral()
    return this.csvValue()
  }

  // csv-value = first-value *("," second-value)
  // One item stays a scalar. The list ends at the first item that fails to parse or is not followed
  // by "," or the end: the parser then backs up to the last comma before the failure, so
  // "A=1,2,B=3" gives A: ["1","2"] and hands ",B=3" back to parameter. A failure at the very end
  // of the input is an error ("A=1," -> Expected '<second>').
  private csvValue(): ShorthandValue {
    const first = this.firstValue()
    this.skipWhitespace()
    if (this.atEof() || this.cs[this.pos] !== ',') return first
    this.expect(',', true)
    const items: string[] = [first]
    for (;;) {
      try {
        const item = this.secondValue()
        this.skipWhitespace()
        if (this.atEof()) {
          items.push(item)
          break
        }
        this.expect(',', true)
        items.push(item)
      } catch (error) {
        if (!(error instanceof SyntaxFailure) || this.atEof()) throw error
        this.backtrackTo(',')
        break
      }
    }
    return items.length === 1 ? first : items
  }

  // explicit-list = "[" [explicit-value *("," explicit-value) [","]] "]"   ; whitespace allowed inside
  private explicitList(): ShorthandValue[] {
    this.expect('[', true)
    const items: ShorthandValue[] = []
    while (this.current() !== ']') {
      items.push(this.explicitValue())
      this.skipWhitespace()
      if (this.current() !== ']') {
        this.expect(',')
        this.skipWhitespace()
      }
    }
    this.expect(']')
    return items
  }

  // explicit-value = explicit-list / hash-literal / first-value   ; no csv lists inside [..] / {..}
  private explicitValue(): ShorthandValue {
    if (this.current() === '[') return this.explicitList()
    if (this.current() === '{') return this.hashLiteral()
    return this.firstValue()
  }

  // hash-literal = "{" [key "=" explicit-value *("," key "=" explicit-value) [","]] "}"
  // A repeated key here is not an error: the later value wins.
  private hashLiteral(): { [key: string]: ShorthandValue } {
    this.expect('{', true)
    const object: { [key: string]: ShorthandValue } = {}
    while (this.current() !== '}') {
      const key = this.key()
      this.optionalAtSign()
      this.expect('=', true)
      const value = this.explicitValue()
      this.skipWhitespace()
      if (this.current() !== '}') {
        this.expect(',')
        this.skipWhitespace()
      }
      setKey(object, key, value)
    }
    this.expect('}')
    return object
  }

  // first-value = single-quoted / double-quoted / unquoted-first
  // unquoted-first = ("\," / START) *("\," / FOLLOW_FIRST)   ; matching nothing gives ""
  private firstValue(): string {
    const c = this.current()
    if (c === "'" || c === '"') return this.quotedValue(c)
    const text = this.scanUnquoted(FOLLOW_FIRST)
    return text === undefined ? '' : this.resolve(text)
  }

  // second-value = single-quoted / double-quoted / unquoted-second
  // unquoted-second = ("\," / START) *("\," / FOLLOW_SECOND)   ; matching nothing is an error
  private secondValue(): string {
    const c = this.current()
    if (c === "'" || c === '"') return this.quotedValue(c)
    const text = this.scanUnquoted(FOLLOW_SECOND)
    if (text === undefined) throw this.syntaxError('<second>', '<none>')
    return this.resolve(text)
  }

  /** Greedy match of an unquoted value (no backtracking needed: nothing follows the repetition). */
  private scanUnquoted(follow: Ranges): string | undefined {
    const start = this.pos
    let step = this.unquotedStep(this.pos, START)
    if (step === 0) return undefined
    let p = start + step
    while ((step = this.unquotedStep(p, follow)) > 0) p += step
    this.pos = p
    // "\," stands for a comma; trailing whitespace is dropped (str.rstrip)
    return pythonRstrip(this.cs.slice(start, p).join('').replaceAll('\\,', ','))
  }

  /** Length matched at p by ("\," / class), the escaped comma tried first. */
  private unquotedStep(p: number, ranges: Ranges): number {
    if (this.cs[p] === '\\' && this.cs[p + 1] === ',') return 2
    return p < this.cs.length && inRanges(this.cs[p], ranges) ? 1 : 0
  }

  // single-quoted = "'" *( "\'" / not-"'" ) "'"       ; 2.9.19 also has "\\" as first alternative
  // double-quoted = DQUOTE *( "\" DQUOTE / not-DQUOTE ) DQUOTE
  // Then \<quote> becomes <quote> and \\ becomes \ (in that order). Commas, brackets, "=", emoji
  // and newlines are literal.
  private quotedValue(quote: "'" | '"'): string {
    const end = this.matchQuoted(quote)
    if (end === undefined) throw this.syntaxError(quote === "'" ? '<singled quoted>' : '<double quoted>', '<none>')
    const body = this.cs.slice(this.pos + 1, end - 1).join('')
    this.pos = end
    return this.resolve(body.replaceAll(`\\${quote}`, quote).replaceAll('\\\\', '\\'))
  }

  /**
   * End (exclusive) of the match Python's backtracking regex engine returns for the quoted pattern
   * at this.pos, or undefined. Plain characters can step over anything but the quote, so from any
   * position the pattern can still succeed exactly when a quote lies at or after it. The engine
   * tries the two-character escape first and keeps it when a quote remains beyond it; otherwise it
   * takes the backslash alone. The first quote reached this way closes the string.
   */
  private matchQuoted(quote: string): number | undefined {
    const cs = this.cs
    const lastQuote = this.lastIndexOf(quote)
    let p = this.pos + 1
    if (lastQuote < p) return undefined
    const escapeTakesTwo = (at: number): boolean =>
      cs[at] === '\\' && (cs[at + 1] === quote || (this.dialect === '2.9.19' && cs[at + 1] === '\\'))
    while (cs[p] !== quote) p += escapeTakesTwo(p) && lastQuote >= p + 2 ? 2 : 1
    return p + 1
  }

  private lastIndexOf(char: string): number {
    let index = this.lastIndexes.get(char)
    if (index === undefined) this.lastIndexes.set(char, (index = this.cs.lastIndexOf(char)))
    return index
  }

  /** `@=` values: file:// and fileb:// are replaced by the file (awscli.paramfile.get_paramfile). */
  private resolve(value: string): string {
    if (this.resolveParamfiles && (value.startsWith('file://') || value.startsWith('fileb://'))) return this.readFile(value)
    return value
  }

  /** Skip optional whitespace, require `char` (else a syntax error at that point), optionally skip again. */
  private expect(char: string, skipWhitespace = false): void {
    if (skipWhitespace) this.skipWhitespace()
    if (this.atEof()) throw this.syntaxError(char, 'EOF')
    const actual = this.cs[this.pos]
    if (actual !== char) throw this.syntaxError(char, actual)
    this.pos++
    if (skipWhitespace) this.skipWhitespace()
  }

  private backtrackTo(char: string): void {
    while (this.pos >= 0 && this.cs[this.pos] !== char) this.pos--
  }

  private skipWhitespace(): void {
    while (!this.atEof() && SKIPPED_WHITESPACE.has(this.cs[this.pos])) this.pos++
  }

  private current(): string | undefined {
    return this.cs[this.pos]
  }

  private atEof(): boolean {
    return this.pos >= this.cs.length
  }

  private syntaxError(expected: string, actual: string): SyntaxFailure {
    return new SyntaxFailure(expected, actual, this.pos)
  }
}
