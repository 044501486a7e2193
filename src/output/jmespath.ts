import { parsePythonJson } from '../args/python-json.js'
import { comparePyStrings, isPyDict, isPyList, pyDictEntries, pyDictGet, pyFloat, pyFloatOf, pyIntOf, pyNumber, pyRepr, pyStr, pyTruthy } from '../python/values.js'

/**
 * JMESPath as the AWS CLI evaluates --query: a port of jmespath.py 1.0.1 (lexer.py, parser.py,
 * visitor.py's TreeInterpreter, functions.py, exceptions.py), the version the AWS CLI v2 ships with.
 * jmespath.js differs from it where the output shows: numbers (Python's int and float, `1.0` stays
 * `1.0`, integers are exact at any size), strings (lengths, order and reversal by code point), the
 * legacy raw-string reading of a backtick literal that is not JSON, and every error message.
 * Values are those of src/python/values.ts: int as number or bigint, float as pyFloat, dict as object or Map.
 */

export class JmesPathError extends Error {
  /** true: the expression does not compile (the AWS CLI refuses it before calling the service). */
  constructor(
    message: string,
    readonly compileTime: boolean,
  ) {
    super(message)
  }
}

// ---------------------------------------------------------------------------------------------------
// Lexer (lexer.py). Positions count code points, as Python's list(expression) does.

interface Token {
  type: string
  value: unknown
  start: number
}

const START_IDENTIFIER = /[A-Za-z_]/
const VALID_IDENTIFIER = /[A-Za-z0-9_]/
const DIGIT = /[0-9]/
const SIMPLE_TOKENS: Record<string, string> = { '.': 'dot', '*': 'star', ']': 'rbracket', ',': 'comma', ':': 'colon', '@': 'current', '(': 'lparen', ')': 'rparen', '{': 'lbrace', '}': 'rbrace' }

class LexerError extends Error {
  constructor(
    readonly position: number,
    readonly lexerMessage: string,
  ) {
    super(lexerMessage)
  }
}

class ParseError extends Error {
  constructor(
    readonly position: number,
    readonly tokenValue: unknown,
    readonly tokenType: string,
    readonly parseMessage: string,
  ) {
    super(parseMessage)
  }
}

class IncompleteExpressionError extends Error {}

function tokenize(expression: string): Token[] {
  const chars = [...expression]
  const length = chars.length
  let position = 0
  let current: string | undefined = chars[0]
  const next = (): string | undefined => {
    if (position === length - 1) current = undefined
    else current = chars[++position]
    return current
  }
  const consumeUntil = (delimiter: string): string => {
    const start = position
    let buff = ''
    next()
    while (current !== delimiter) {
      if (current === '\\') {
        buff += '\\'
        next()
      }
      if (current === undefined) throw new LexerError(start, `Unclosed ${delimiter} delimiter`)
      buff += current
      next()
    }
    next()
    return buff
  }
  const matchOrElse = (expected: string, matchType: string, elseType: string): Token => {
    const start = position
    const first = current as string
    if (next() === expected) {
      next()
      return { type: matchType, value: first + expected, start }
    }
    return { type: elseType, value: first, start }
  }
  const consumeNumber = (): string => {
    let buff = current as string
    while (next() !== undefined && DIGIT.test(current as string)) buff += current
    return buff
  }
  const tokens: Token[] = []
  while (current !== undefined) {
    const c: string = current
    const start = position
    if (c in SIMPLE_TOKENS) {
      tokens.push({ type: SIMPLE_TOKENS[c], value: c, start })
      next()
    } else if (START_IDENTIFIER.test(c)) {
      let buff = c
      while (next() !== undefined && VALID_IDENTIFIER.test(current as string)) buff += current
      tokens.push({ type: 'unquoted_identifier', value: buff, start })
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      next()
    } else if (c === '[') {
      const n = next()
      if (n === ']') {
        next()
        tokens.push({ type: 'flatten', value: '[]', start })
      } else if (n === '?') {
        next()
        tokens.push({ type: 'filter', value: '[?', start })
      } else tokens.push({ type: 'lbracket', value: '[', start })
    } else if (c === "'") {
      // A raw string literal: only \' is an escape.
      tokens.push({ type: 'literal', value: consumeUntil("'").replaceAll("\\'", "'"), start })
    } else if (c === '|') {
      tokens.push(matchOrElse('|', 'or', 'pipe'))
    } else if (c === '&') {
      tokens.push(matchOrElse('&', 'and', 'expref'))
    } else if (c === '`') {
      const lexeme = consumeUntil('`').replaceAll('\\`', '`')
      tokens.push({ type: 'literal', value: backtickLiteral(lexeme, start), start })
    } else if (DIGIT.test(c)) {
      tokens.push({ type: 'number', value: BigInt(consumeNumber()), start })
    } else if (c === '-') {
      const buff = consumeNumber()
      if (buff.length === 1) throw new LexerError(start, `Unknown token '${buff}'`)
      tokens.push({ type: 'number', value: BigInt(buff), start })
    } else if (c === '"') {
      const lexeme = `"${consumeUntil('"')}"`
      try {
        tokens.push({ type: 'quoted_identifier', value: parsePythonJson(lexeme), start })
      } catch (error) {
        throw new LexerError(start, (error as Error).message.split(':')[0])
      }
    } else if (c === '<') {
      tokens.push(matchOrElse('=', 'lte', 'lt'))
    } else if (c === '>') {
      tokens.push(matchOrElse('=', 'gte', 'gt'))
    } else if (c === '!') {
      tokens.push(matchOrElse('=', 'ne', 'not'))
    } else if (c === '=') {
      if (next() === '=') {
        tokens.push({ type: 'eq', value: '==', start: position - 1 })
        next()
      } else {
        throw new LexerError(current === undefined ? position : position - 1, "Unknown token '='")
      }
    } else {
      throw new LexerError(position, `Unknown token ${c}`)
    }
  }
  tokens.push({ type: 'eof', value: '', start: length })
  return tokens
}

/**
 * A backtick literal: JSON if it is JSON, else (JEP-12's deprecated form, still read) the text as a
 * JSON string after its leading whitespace.
 */
function backtickLiteral(lexeme: string, start: number): unknown {
  try {
    return parsePythonJson(lexeme, { pythonFloats: true, orderedIntegerKeys: true })
  } catch {
    try {
      return parsePythonJson(`"${lexeme.replace(/^[\s\x1c-\x1f\x85]+/u, '')}"`)
    } catch {
      throw new LexerError(start, `Bad token ${lexeme}`)
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Parser (parser.py): Pratt parser, two tokens of lookahead.

interface Node {
  type: string
  children: Node[]
  value?: unknown
}

const BINDING_POWER: Record<string, number> = {
  eof: 0, unquoted_identifier: 0, quoted_identifier: 0, literal: 0, rbracket: 0, rparen: 0, comma: 0, rbrace: 0, number: 0, current: 0, expref: 0, colon: 0,
  pipe: 1, or: 2, and: 3, eq: 5, gt: 5, lt: 5, gte: 5, lte: 5, ne: 5, flatten: 9, star: 20, filter: 21, dot: 40, not: 45, lbrace: 50, lbracket: 55, lparen: 60,
}
const PROJECTION_STOP = 10

const node = (type: string, children: Node[] = [], value?: unknown): Node => (value === undefined ? { type, children } : { type, children, value })

class Parser {
  private index = 0
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const parsed = this.expression(0)
    if (this.current() !== 'eof') {
      const t = this.token(0)
      throw new ParseError(t.start, t.value, t.type, `Unexpected token: ${pyStr(t.value)}`)
    }
    return parsed
  }

  private current(): string {
    return this.tokens[this.index].type
  }
  private lookahead(n: number): string {
    return this.tokens[this.index + n].type
  }
  private token(n: number): Token {
    return this.tokens[this.index + n]
  }
  private advance(): void {
    this.index++
  }

  private expression(bindingPower = 0): Node {
    const leftToken = this.token(0)
    this.advance()
    let left = this.nud(leftToken)
    let current = this.current()
    while (bindingPower < BINDING_POWER[current]) {
      this.advance()
      left = this.led(current, left)
      current = this.current()
    }
    return left
  }

  private nud(token: Token): Node {
    switch (token.type) {
      case 'literal':
        return node('literal', [], token.value)
      case 'unquoted_identifier':
        return node('field', [], token.value)
      case 'quoted_identifier': {
        if (this.current() === 'lparen') {
          const t = this.token(0)
          throw new ParseError(0, t.value, t.type, 'Quoted identifier not allowed for function names.')
        }
        return node('field', [], token.value)
      }
      case 'star': {
        const right = this.current() === 'rbracket' ? node('identity') : this.projectionRhs(BINDING_POWER.star)
        return node('value_projection', [node('identity'), right])
      }
      case 'filter':
        return this.ledFilter(node('identity'))
      case 'lbrace':
        return this.multiSelectHash()
      case 'lparen': {
        const expression = this.expression()
        this.match('rparen')
        return expression
      }
      case 'flatten':
        return node('projection', [node('flatten', [node('identity')]), this.projectionRhs(BINDING_POWER.flatten)])
      case 'not':
        return node('not_expression', [this.expression(BINDING_POWER.not)])
      case 'lbracket': {
        if (this.current() === 'number' || this.current() === 'colon') return this.projectIfSlice(node('identity'), this.indexExpression())
        if (this.current() === 'star' && this.lookahead(1) === 'rbracket') {
          this.advance()
          this.advance()
          return node('projection', [node('identity'), this.projectionRhs(BINDING_POWER.star)])
        }
        return this.multiSelectList()
      }
      case 'current':
        return node('current')
      case 'expref':
        return node('expref', [this.expression(BINDING_POWER.expref)])
      case 'eof':
        throw new IncompleteExpressionError()
      default:
        throw new ParseError(token.start, token.value, token.type, 'invalid token')
    }
  }

  private led(type: string, left: Node): Node {
    switch (type) {
      case 'dot': {
        if (this.current() !== 'star') {
          const right = this.dotRhs(BINDING_POWER.dot)
          if (left.type === 'subexpression') {
            left.children.push(right)
            return left
          }
          return node('subexpression', [left, right])
        }
        this.advance()
        return node('value_projection', [left, this.projectionRhs(BINDING_POWER.dot)])
      }
      case 'pipe':
        return node('pipe', [left, this.expression(BINDING_POWER.pipe)])
      case 'or':
        return node('or_expression', [left, this.expression(BINDING_POWER.or)])
      case 'and':
        return node('and_expression', [left, this.expression(BINDING_POWER.and)])
      case 'lparen': {
        if (left.type !== 'field') {
          const prev = this.token(-2)
          throw new ParseError(prev.start, prev.value, prev.type, `Invalid function name '${pyStr(prev.value)}'`)
        }
        const args: Node[] = []
        while (this.current() !== 'rparen') {
          const expression = this.expression()
          if (this.current() === 'comma') this.match('comma')
          args.push(expression)
        }
        this.match('rparen')
        return node('function_expression', args, left.value)
      }
      case 'filter':
        return this.ledFilter(left)
      case 'eq':
      case 'ne':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return node('comparator', [left, this.expression(BINDING_POWER[type])], type)
      case 'flatten':
        return node('projection', [node('flatten', [left]), this.projectionRhs(BINDING_POWER.flatten)])
      case 'lbracket': {
        const token = this.token(0)
        if (token.type === 'number' || token.type === 'colon') {
          const right = this.indexExpression()
          if (left.type === 'index_expression') {
            left.children.push(right)
            return left
          }
          return this.projectIfSlice(left, right)
        }
        this.match('star')
        this.match('rbracket')
        return node('projection', [left, this.projectionRhs(BINDING_POWER.star)])
      }
      default: {
        // A token with binding power but no led (parser.py's _error_led_token): reported at the token.
        const t = this.token(-1)
        throw new ParseError(t.start, t.value, t.type, 'invalid token')
      }
    }
  }

  private ledFilter(left: Node): Node {
    const condition = this.expression(0)
    this.match('rbracket')
    const right = this.current() === 'flatten' ? node('identity') : this.projectionRhs(BINDING_POWER.filter)
    return node('filter_projection', [left, right, condition])
  }

  private indexExpression(): Node {
    if (this.lookahead(0) === 'colon' || this.lookahead(1) === 'colon') return this.sliceExpression()
    const index = node('index', [], this.token(0).value)
    this.advance()
    this.match('rbracket')
    return index
  }

  private sliceExpression(): Node {
    const parts: (bigint | null)[] = [null, null, null]
    let index = 0
    let current = this.current()
    while (current !== 'rbracket' && index < 3) {
      if (current === 'colon') {
        index++
        if (index === 3) this.parseErrorFor(this.token(0), 'syntax error')
        this.advance()
      } else if (current === 'number') {
        parts[index] = this.token(0).value as bigint
        this.advance()
      } else {
        this.parseErrorFor(this.token(0), 'syntax error')
      }
      current = this.current()
    }
    this.match('rbracket')
    return node('slice', [], parts)
  }

  private projectIfSlice(left: Node, right: Node): Node {
    const indexExpression = node('index_expression', [left, right])
    if (right.type === 'slice') return node('projection', [indexExpression, this.projectionRhs(BINDING_POWER.star)])
    return indexExpression
  }

  private multiSelectList(): Node {
    const expressions: Node[] = []
    for (;;) {
      expressions.push(this.expression())
      if (this.current() === 'rbracket') break
      this.match('comma')
    }
    this.match('rbracket')
    return node('multi_select_list', expressions)
  }

  private multiSelectHash(): Node {
    const pairs: Node[] = []
    for (;;) {
      const keyToken = this.token(0)
      this.matchMultiple(['quoted_identifier', 'unquoted_identifier'])
      this.match('colon')
      pairs.push(node('key_val_pair', [this.expression(0)], keyToken.value))
      if (this.current() === 'comma') this.match('comma')
      else if (this.current() === 'rbrace') {
        this.match('rbrace')
        break
      }
    }
    return node('multi_select_dict', pairs)
  }

  private projectionRhs(bindingPower: number): Node {
    const current = this.current()
    if (BINDING_POWER[current] < PROJECTION_STOP) return node('identity')
    if (current === 'lbracket' || current === 'filter') return this.expression(bindingPower)
    if (current === 'dot') {
      this.match('dot')
      return this.dotRhs(bindingPower)
    }
    return this.parseErrorFor(this.token(0), 'syntax error')
  }

  private dotRhs(bindingPower: number): Node {
    const lookahead = this.current()
    if (lookahead === 'quoted_identifier' || lookahead === 'unquoted_identifier' || lookahead === 'star') return this.expression(bindingPower)
    if (lookahead === 'lbracket') {
      this.match('lbracket')
      return this.multiSelectList()
    }
    if (lookahead === 'lbrace') {
      this.match('lbrace')
      return this.multiSelectHash()
    }
    const t = this.token(0)
    return this.parseErrorFor(t, `Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: ${t.type}`)
  }

  private match(type: string): void {
    if (this.current() === type) this.advance()
    else this.parseErrorMaybeEof(`'${type}'`, this.token(0))
  }

  private matchMultiple(types: string[]): void {
    if (!types.includes(this.current())) this.parseErrorMaybeEof(pyRepr(types), this.token(0))
    this.advance()
  }

  private parseErrorFor(token: Token, reason: string): never {
    throw new ParseError(token.start, token.value, token.type, reason)
  }

  /** parser.py formats the expected type with %s: a name bare, a list as its repr. */
  private parseErrorMaybeEof(expected: string, token: Token): never {
    if (token.type === 'eof') throw new IncompleteExpressionError()
    throw new ParseError(token.start, token.value, token.type, `Expecting: ${expected.startsWith("'") ? expected.slice(1, -1) : expected}, got: ${token.type}`)
  }
}

/** Compile an expression; errors in jmespath.py's words (str() of its exceptions). */
export function compile(expression: string): Node {
  if (expression === '') throw new JmesPathError('Invalid JMESPath expression: cannot be empty.', true)
  try {
    return new Parser(tokenize(expression)).parse()
  } catch (error) {
    if (error instanceof LexerError) {
      throw new JmesPathError(`Bad jmespath expression: ${error.lexerMessage}:\n${expression}\n${' '.repeat(error.position)}^`, true)
    }
    if (error instanceof IncompleteExpressionError) {
      throw new JmesPathError(`Invalid jmespath expression: Incomplete expression:\n"${expression}"\n${' '.repeat([...expression].length + 1)}^`, true)
    }
    if (error instanceof ParseError) {
      const value = error.tokenValue
      throw new JmesPathError(
        `${error.parseMessage}: Parse error at column ${error.position}, token "${pyStr(value)}" (${error.tokenType.toUpperCase()}), for expression:\n"${expression}"\n${' '.repeat(error.position + 1)}^`,
        true,
      )
    }
    throw error
  }
}

export function search(expression: string, data: unknown): unknown {
  return visit(compile(expression), data)
}

// ---------------------------------------------------------------------------------------------------
// Python values: kinds, numbers, equality and order.

class Expref {
  constructor(readonly expression: Node) {}
}

type Kind = 'null' | 'bool' | 'str' | 'int' | 'float' | 'list' | 'dict' | '_Expression' | 'unknown'

function kind(value: unknown): Kind {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'string') return 'str'
  if (value instanceof Expref) return '_Expression'
  const n = pyNumber(value)
  if (n !== null) return n.kind
  if (isPyList(value)) return 'list'
  if (isPyDict(value)) return 'dict'
  return 'unknown'
}

/** Python's type(value).__name__, for messages. */
function typeName(value: unknown): string {
  const k = kind(value)
  return k === 'null' ? 'NoneType' : k
}

const JMESPATH_TYPE: Record<string, string> = { bool: 'boolean', list: 'array', dict: 'object', NoneType: 'null', str: 'string', float: 'number', int: 'number', _Expression: 'expref' }
const jmespathType = (pyType: string): string => JMESPATH_TYPE[pyType] ?? 'unknown'

type Num = { int: bigint } | { float: number }

function num(value: unknown): Num | undefined {
  if (typeof value === 'boolean') return { int: value ? 1n : 0n }
  const n = pyNumber(value)
  if (n === null) return undefined
  return n.kind === 'int' ? { int: BigInt(n.digits) } : { float: n.value }
}

const isActualNumber = (value: unknown): boolean => typeof value !== 'boolean' && pyNumber(value) !== null

function fromNum(n: Num): unknown {
  if ('float' in n) return pyFloat(n.float)
  return n.int >= BigInt(Number.MIN_SAFE_INTEGER) && n.int <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n.int) : n.int
}

const toFloat = (n: Num): number => ('float' in n ? n.float : Number(n.int))

/** Python's a < b (a > b ...) between numbers: exact between ints. */
function compareNums(a: Num, b: Num): number {
  if ('int' in a && 'int' in b) return a.int < b.int ? -1 : a.int > b.int ? 1 : 0
  const x = toFloat(a)
  const y = toFloat(b)
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN
}

/** Python ==, deep (True == 1 inside containers, as Python has it). */
function pyEquals(a: unknown, b: unknown): boolean {
  const na = num(a)
  const nb = num(b)
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && compareNums(na, nb) === 0
  const ka = kind(a)
  if (ka !== kind(b)) return false
  if (ka === 'null') return true
  if (ka === 'str') return a === b
  if (ka === 'list') {
    const x = a as unknown[]
    const y = b as unknown[]
    return x.length === y.length && x.every((v, i) => pyEquals(v, y[i]))
  }
  if (ka === 'dict') {
    const x = pyDictEntries(a as Record<string, unknown>)
    const y = b as Record<string, unknown>
    if (x.length !== pyDictEntries(y).length) return false
    return x.every(([k, v]) => {
      const other = pyDictGet(y, k)
      return other.found && pyEquals(v, other.value)
    })
  }
  return a === b
}

/** visitor.py's _equals: 0 and 1 never equal a boolean at the top level. */
function jmesEquals(x: unknown, y: unknown): boolean {
  const special = (n: unknown, other: unknown) => isActualNumber(n) && (pyEquals(n, 0) || pyEquals(n, 1)) && typeof other === 'boolean'
  if (special(x, y) || special(y, x)) return false
  return pyEquals(x, y)
}

/** Python's ordering of two numbers or two strings; anything else is Python's TypeError. */
function pyCompare(a: unknown, b: unknown, operator: string): number {
  const na = isActualNumber(a) ? num(a) : undefined
  const nb = isActualNumber(b) ? num(b) : undefined
  if (na !== undefined && nb !== undefined) return compareNums(na, nb)
  if (typeof a === 'string' && typeof b === 'string') return comparePyStrings(a, b)
  throw new JmesPathError(`'${operator}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`, false)
}

function isFalse(value: unknown): boolean {
  return value === '' || value === null || value === undefined || value === false || (isPyList(value) && value.length === 0) || (isPyDict(value) && pyDictEntries(value).length === 0)
}

function dictOf(entries: [string, unknown][]): Record<string, unknown> | Map<string, unknown> {
  // Integer-like keys would move to the front of a plain object: a Map keeps Python's order.
  if (entries.some(([k]) => /^(0|[1-9]\d*)$/.test(k))) return new Map(entries)
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  return out
}

// ---------------------------------------------------------------------------------------------------
// TreeInterpreter (visitor.py).

const COMPARATOR_SYMBOL: Record<string, string> = { lt: '<', gt: '>', lte: '<=', gte: '>=' }

function visit(n: Node, value: unknown): unknown {
  switch (n.type) {
    case 'subexpression':
    case 'index_expression':
    case 'pipe': {
      let result = value
      for (const child of n.children) result = visit(child, result)
      return result
    }
    case 'field':
      return isPyDict(value) ? (pyDictGet(value, n.value as string).value ?? null) : null
    case 'comparator': {
      const left = visit(n.children[0], value)
      const right = visit(n.children[1], value)
      if (n.value === 'eq') return jmesEquals(left, right)
      if (n.value === 'ne') return !jmesEquals(left, right)
      const comparable = (v: unknown) => isActualNumber(v) || typeof v === 'string'
      if (!comparable(left) || !comparable(right)) return null
      const order = pyCompare(left, right, COMPARATOR_SYMBOL[n.value as string])
      if (Number.isNaN(order)) return false
      return { lt: order < 0, gt: order > 0, lte: order <= 0, gte: order >= 0 }[n.value as 'lt' | 'gt' | 'lte' | 'gte']
    }
    case 'current':
    case 'identity':
      return value
    case 'expref':
      return new Expref(n.children[0])
    case 'function_expression':
      return callFunction(n.value as string, n.children.map((child) => visit(child, value)))
    case 'filter_projection': {
      const base = visit(n.children[0], value)
      if (!isPyList(base)) return null
      const collected: unknown[] = []
      for (const element of base) {
        if (!isFalse(visit(n.children[2], element))) {
          const current = visit(n.children[1], element)
          if (current !== null && current !== undefined) collected.push(current)
        }
      }
      return collected
    }
    case 'flatten': {
      const base = visit(n.children[0], value)
      if (!isPyList(base)) return null
      return base.flatMap((element) => (isPyList(element) ? element : [element]))
    }
    case 'index': {
      if (!isPyList(value)) return null
      const i = n.value as bigint
      const index = i < 0n ? BigInt(value.length) + i : i
      return index >= 0n && index < BigInt(value.length) ? (value[Number(index)] ?? null) : null
    }
    case 'slice':
      return isPyList(value) ? pySlice(value, n.value as (bigint | null)[]) : null
    case 'key_val_pair':
      return visit(n.children[0], value)
    case 'literal':
      return n.value
    case 'multi_select_dict':
      if (value === null || value === undefined) return null
      return dictOf(n.children.map((child) => [child.value as string, visit(child, value)]))
    case 'multi_select_list':
      if (value === null || value === undefined) return null
      return n.children.map((child) => visit(child, value))
    case 'or_expression': {
      const matched = visit(n.children[0], value)
      return isFalse(matched) ? visit(n.children[1], value) : matched
    }
    case 'and_expression': {
      const matched = visit(n.children[0], value)
      return isFalse(matched) ? matched : visit(n.children[1], value)
    }
    case 'not_expression': {
      const original = visit(n.children[0], value)
      if (isActualNumber(original) && pyEquals(original, 0)) return false
      return !pyTruthy(original)
    }
    case 'projection': {
      const base = visit(n.children[0], value)
      if (!isPyList(base)) return null
      return project(base, n.children[1])
    }
    case 'value_projection': {
      const base = visit(n.children[0], value)
      if (!isPyDict(base)) return null
      return project(
        pyDictEntries(base).map(([, v]) => v),
        n.children[1],
      )
    }
    default:
      throw new Error(`unknown node ${n.type}`)
  }
}

function project(elements: unknown[], right: Node): unknown[] {
  const collected: unknown[] = []
  for (const element of elements) {
    const current = visit(right, element)
    if (current !== null && current !== undefined) collected.push(current)
  }
  return collected
}

/** list[start:stop:step], Python's slice.indices rules. */
function pySlice(list: unknown[], parts: (bigint | null)[]): unknown[] {
  const length = list.length
  const [startPart, stopPart, stepPart] = parts.map((p) => (p === null ? null : Number(p)))
  const step = stepPart ?? 1
  if (step === 0) throw new JmesPathError('slice step cannot be zero', false)
  const clamp = (v: number | null, fallback: number, low: number, high: number): number => {
    if (v === null) return fallback
    const x = v < 0 ? v + length : v
    return Math.min(Math.max(x, low), high)
  }
  const out: unknown[] = []
  if (step > 0) {
    const start = clamp(startPart, 0, 0, length)
    const stop = clamp(stopPart, length, 0, length)
    for (let i = start; i < stop; i += step) out.push(list[i])
  } else {
    const start = clamp(startPart, length - 1, -1, length - 1)
    const stop = clamp(stopPart, -1, -1, length - 1)
    for (let i = start; i > stop; i += step) out.push(list[i])
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// Functions (functions.py).

interface Signature {
  types: string[]
  variadic?: boolean
}

const REVERSE_TYPES: Record<string, string[]> = { boolean: ['bool'], array: ['list'], object: ['dict'], null: ['NoneType'], string: ['str'], number: ['float', 'int'], expref: ['_Expression'] }

function typeError(fn: string, value: unknown, actualType: string, expected: string[]): JmesPathError {
  // Python shows an expression's object with its memory address, which has no equivalent here.
  const shown = value instanceof Expref ? '<jmespath.visitor._Expression object>' : pyStr(value)
  return new JmesPathError(`In function ${fn}(), invalid type for value: ${shown}, expected one of: ${pyRepr(expected)}, received: "${actualType}"`, false)
}

function typeCheck(fn: string, value: unknown, types: string[]): void {
  const allowed: string[] = []
  const subtypes: string[][] = []
  for (const t of types) {
    const [type, subtype] = t.split('-', 2)
    if (subtype !== undefined) subtypes.push(REVERSE_TYPES[subtype])
    allowed.push(...REVERSE_TYPES[type])
  }
  const actual = typeName(value)
  if (!allowed.includes(actual)) throw typeError(fn, value, jmespathType(actual), types)
  if (subtypes.length === 0) return
  const list = value as unknown[]
  // functions.py's _subtype_check reports the Python type name here, not the JMESPath one.
  if (subtypes.length === 1) {
    for (const element of list) if (!subtypes[0].includes(typeName(element))) throw typeError(fn, element, typeName(element), types)
  } else if (list.length > 0) {
    const first = typeName(list[0])
    const chosen = subtypes.find((s) => s.includes(first))
    if (chosen === undefined) throw typeError(fn, list[0], first, types)
    for (const element of list) if (!chosen.includes(typeName(element))) throw typeError(fn, element, typeName(element), types)
  }
}

function keyFunction(expref: Expref, allowed: string[], fn: string): (x: unknown) => unknown {
  return (x) => {
    const result = visit(expref.expression, x)
    const type = jmespathType(typeName(result))
    if (!allowed.includes(type)) throw typeError(fn, result, type, allowed)
    return result
  }
}

/** Python's sorted(): stable, by < between keys. */
function pySorted<T>(items: T[], key: (x: T) => unknown = (x) => x): T[] {
  const keyed = items.map((item) => ({ item, key: key(item) }))
  return keyed.sort((a, b) => pyCompare(a.key, b.key, '<')).map((k) => k.item)
}

/** Python's max()/min(): the first of the greatest (least); the new item compared to the best so far. */
function pyExtreme<T>(items: T[], direction: 'max' | 'min', key: (x: T) => unknown = (x) => x): T {
  let best = items[0]
  let bestKey = key(best)
  for (const item of items.slice(1)) {
    const k = key(item)
    const order = pyCompare(k, bestKey, direction === 'max' ? '>' : '<')
    if (direction === 'max' ? order > 0 : order < 0) {
      best = item
      bestKey = k
    }
  }
  return best
}

function sumOf(values: unknown[]): Num {
  let total: Num = { int: 0n }
  for (const v of values) {
    const n = num(v) as Num
    total = 'int' in total && 'int' in n ? { int: total.int + n.int } : { float: toFloat(total) + toFloat(n) }
  }
  return total
}

/** math.ceil / math.floor: an int, or Python's error for inf and nan. */
function integral(n: Num, round: (x: number) => number): unknown {
  if ('int' in n) return fromNum(n)
  if (Number.isNaN(n.float)) throw new JmesPathError('cannot convert float NaN to integer', false)
  if (!Number.isFinite(n.float)) throw new JmesPathError('cannot convert float infinity to integer', false)
  const r = round(n.float)
  return fromNum({ int: BigInt(r) })
}

const FUNCTIONS: Record<string, { signature: Signature[]; call: (...args: unknown[]) => unknown }> = {
  abs: {
    signature: [{ types: ['number'] }],
    call: (arg) => {
      const n = num(arg) as Num
      return fromNum('int' in n ? { int: n.int < 0n ? -n.int : n.int } : { float: Math.abs(n.float) })
    },
  },
  avg: {
    signature: [{ types: ['array-number'] }],
    call: (arg) => ((arg as unknown[]).length > 0 ? pyFloat(toFloat(sumOf(arg as unknown[])) / (arg as unknown[]).length) : null),
  },
  ceil: { signature: [{ types: ['number'] }], call: (arg) => integral(num(arg) as Num, Math.ceil) },
  contains: {
    signature: [{ types: ['array', 'string'] }, { types: [] }],
    call: (subject, search) => {
      if (typeof subject === 'string') {
        if (typeof search !== 'string') throw new JmesPathError(`'in <string>' requires string as left operand, not ${typeName(search)}`, false)
        return subject.includes(search)
      }
      return (subject as unknown[]).some((element) => pyEquals(element, search))
    },
  },
  ends_with: { signature: [{ types: ['string'] }, { types: ['string'] }], call: (s, suffix) => (s as string).endsWith(suffix as string) },
  floor: { signature: [{ types: ['number'] }], call: (arg) => integral(num(arg) as Num, Math.floor) },
  join: { signature: [{ types: ['string'] }, { types: ['array-string'] }], call: (separator, array) => (array as string[]).join(separator as string) },
  keys: { signature: [{ types: ['object'] }], call: (arg) => pyDictEntries(arg as Record<string, unknown>).map(([k]) => k) },
  length: {
    signature: [{ types: ['string', 'array', 'object'] }],
    call: (arg) => (typeof arg === 'string' ? [...arg].length : isPyList(arg) ? arg.length : pyDictEntries(arg as Record<string, unknown>).length),
  },
  map: { signature: [{ types: ['expref'] }, { types: ['array'] }], call: (expref, arg) => (arg as unknown[]).map((element) => visit((expref as Expref).expression, element)) },
  max: { signature: [{ types: ['array-number', 'array-string'] }], call: (arg) => ((arg as unknown[]).length > 0 ? pyExtreme(arg as unknown[], 'max') : null) },
  max_by: {
    signature: [{ types: ['array'] }, { types: ['expref'] }],
    call: (array, expref) => ((array as unknown[]).length > 0 ? pyExtreme(array as unknown[], 'max', keyFunction(expref as Expref, ['number', 'string'], 'max_by')) : null),
  },
  merge: {
    signature: [{ types: ['object'], variadic: true }],
    call: (...args) => {
      const merged = new Map<string, unknown>()
      for (const arg of args) for (const [k, v] of pyDictEntries(arg as Record<string, unknown>)) merged.set(k, v)
      return dictOf([...merged.entries()])
    },
  },
  min: { signature: [{ types: ['array-number', 'array-string'] }], call: (arg) => ((arg as unknown[]).length > 0 ? pyExtreme(arg as unknown[], 'min') : null) },
  min_by: {
    signature: [{ types: ['array'] }, { types: ['expref'] }],
    call: (array, expref) => ((array as unknown[]).length > 0 ? pyExtreme(array as unknown[], 'min', keyFunction(expref as Expref, ['number', 'string'], 'min_by')) : null),
  },
  not_null: { signature: [{ types: [], variadic: true }], call: (...args) => args.find((a) => a !== null && a !== undefined) ?? null },
  reverse: {
    signature: [{ types: ['array', 'string'] }],
    call: (arg) => (typeof arg === 'string' ? [...arg].reverse().join('') : [...(arg as unknown[])].reverse()),
  },
  sort: { signature: [{ types: ['array-string', 'array-number'] }], call: (arg) => pySorted(arg as unknown[]) },
  sort_by: {
    signature: [{ types: ['array'] }, { types: ['expref'] }],
    call: (array, expref) => {
      const list = array as unknown[]
      if (list.length === 0) return list
      const e = expref as Expref
      const required = jmespathType(typeName(visit(e.expression, list[0])))
      if (required !== 'number' && required !== 'string') throw typeError('sort_by', list[0], required, ['string', 'number'])
      return pySorted(list, keyFunction(e, [required], 'sort_by'))
    },
  },
  starts_with: { signature: [{ types: ['string'] }, { types: ['string'] }], call: (s, prefix) => (s as string).startsWith(prefix as string) },
  sum: { signature: [{ types: ['array-number'] }], call: (arg) => fromNum(sumOf(arg as unknown[])) },
  to_array: { signature: [{ types: [] }], call: (arg) => (isPyList(arg) ? arg : [arg]) },
  to_number: { signature: [{ types: [] }], call: (arg) => toNumber(arg) },
  to_string: { signature: [{ types: [] }], call: (arg) => (typeof arg === 'string' ? arg : compactJson(arg)) },
  type: {
    signature: [{ types: [] }],
    call: (arg) => ({ str: 'string', bool: 'boolean', list: 'array', dict: 'object', int: 'number', float: 'number', null: 'null' })[kind(arg) as string] ?? null,
  },
  values: { signature: [{ types: ['object'] }], call: (arg) => pyDictEntries(arg as Record<string, unknown>).map(([, v]) => v) },
}

function callFunction(name: string, args: unknown[]): unknown {
  const spec = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined
  if (spec === undefined) throw new JmesPathError(`Unknown function: ${name}()`, false)
  const { signature } = spec
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments')
  if (signature.length > 0 && signature[signature.length - 1].variadic) {
    if (args.length < signature.length) {
      throw new JmesPathError(`Expected at least ${signature.length} ${plural(signature.length)} for function ${name}(), received ${args.length}`, false)
    }
  } else if (args.length !== signature.length) {
    throw new JmesPathError(`Expected ${signature.length} ${plural(signature.length)} for function ${name}(), received ${args.length}`, false)
  }
  signature.forEach((s, i) => {
    if (s.types.length > 0) typeCheck(name, args[i], s.types)
  })
  return spec.call(...args)
}

// ---------------------------------------------------------------------------------------------------
// to_number: Python's int(str), then float(str).

function toNumber(arg: unknown): unknown {
  const k = kind(arg)
  if (k === 'list' || k === 'dict' || k === 'bool' || k === 'null') return null
  if (k === 'int' || k === 'float') return arg
  if (typeof arg !== 'string') throw new JmesPathError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(arg)}'`, false)
  const int = pyIntOf(arg)
  if (int !== undefined) return fromNum({ int })
  const float = pyFloatOf(arg)
  return float === undefined ? null : pyFloat(float)
}

// ---------------------------------------------------------------------------------------------------
// to_string: json.dumps(value, separators=(',', ':'), default=str) — ensure_ascii on.

function compactJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value === true) return 'true'
  if (value === false) return 'false'
  if (typeof value === 'string') return asciiJsonString(value)
  const n = pyNumber(value)
  if (n !== null) {
    if (n.kind === 'int') return n.digits
    if (Number.isNaN(n.value)) return 'NaN'
    if (!Number.isFinite(n.value)) return n.value > 0 ? 'Infinity' : '-Infinity'
    return pyStr(value)
  }
  if (isPyList(value)) return `[${value.map(compactJson).join(',')}]`
  if (isPyDict(value)) return `{${pyDictEntries(value).map(([k, v]) => `${asciiJsonString(k)}:${compactJson(v)}`).join(',')}}`
  return asciiJsonString(pyStr(value))
}

function asciiJsonString(text: string): string {
  let out = '"'
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    const code = text.charCodeAt(i)
    if (c === '"') out += '\\"'
    else if (c === '\\') out += '\\\\'
    else if (c === '\n') out += '\\n'
    else if (c === '\r') out += '\\r'
    else if (c === '\t') out += '\\t'
    else if (c === '\b') out += '\\b'
    else if (c === '\f') out += '\\f'
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += c
  }
  return `${out}"`
}
