import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import {
  parseShorthand,
  ShorthandDuplicateKeyError,
  ShorthandParseError,
  ShorthandSyntaxError,
  type ShorthandDialect,
  type ShorthandValue,
} from '../../src/args/shorthand.js'

// Expected values come from the AWS CLI's own parser (awscli/shorthand.py run on the same input) or
// from the captures in awscli-captures/08-*.txt and 09-16-*.txt, named in the case. The parser
// returns strings only: the ints of 08-22/08-25 appear later, in the model-driven conversion.

type Parsed = { [key: string]: ShorthandValue }

function errorOf(run: () => unknown): Error {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

const caret = (spaces: number): string => `${' '.repeat(spaces)}^`

describe('parseShorthand: values', () => {
  it.each<{ name: string; input: string; expected: Parsed }>([
    // key=value pairs
    { name: 'basic pairs (08-01)', input: 'A=1,B=2', expected: { A: '1', B: '2' } },
    { name: 'query parameters (08-21)', input: 'version=1.0,active=yes', expected: { version: '1.0', active: 'yes' } },
    { name: 'bool-like values stay strings (08-55)', input: 'flag=true,n=10', expected: { flag: 'true', n: '10' } },
    { name: 'ints stay strings before model conversion (08-25)', input: 'Type=HTTPS,FailureThreshold=3', expected: { Type: 'HTTPS', FailureThreshold: '3' } },
    { name: 'key charset a-z A-Z 0-9 . / : # - _ (08-11)', input: 'a.b/c:d#e-f_g=1', expected: { 'a.b/c:d#e-f_g': '1' } },
    { name: 'empty key', input: '=1', expected: { '': '1' } },
    { name: 'tags item (08-33)', input: 'Key=k,Value=v', expected: { Key: 'k', Value: 'v' } },

    // whitespace
    { name: 'whitespace around = and , and trailing (08-07)', input: 'A =  spaced value  , B=2', expected: { A: 'spaced value', B: '2' } },
    { name: 'space before =', input: 'A = 1', expected: { A: '1' } },
    { name: 'tabs around a value', input: 'A=\t1\t', expected: { A: '1' } },
    { name: 'newline after comma (08-56)', input: 'A=1,\nB=2', expected: { A: '1', B: '2' } },
    { name: 'newlines around comma', input: 'A=1\n,\nB=2', expected: { A: '1', B: '2' } },
    { name: 'newline inside an unquoted value is kept', input: 'A=line1\nline2', expected: { A: 'line1\nline2' } },
    { name: 'rstrip removes Python whitespace: NBSP', input: 'A=x\u00a0', expected: { A: 'x' } },
    { name: 'rstrip removes Python whitespace: EM SPACE', input: 'A=x\u2003', expected: { A: 'x' } },
    { name: 'rstrip removes Python whitespace: U+001C', input: 'A=x\u001c', expected: { A: 'x' } },
    { name: 'rstrip keeps U+FEFF (not whitespace in Python)', input: 'A=x\ufeff', expected: { A: 'x\ufeff' } },

    // empty values
    { name: 'empty values (08-08)', input: 'A=,B=', expected: { A: '', B: '' } },
    { name: 'empty value at end after spaces', input: 'A=  ', expected: { A: '' } },

    // = [ { inside values
    { name: '= inside a value (08-10)', input: 'A=x=y', expected: { A: 'x=y' } },
    { name: '= inside the first csv item', input: 'A=b=c,d', expected: { A: ['b=c', 'd'] } },
    { name: '] may start a value', input: 'A=]x', expected: { A: ']x' } },
    { name: '] and } allowed in later csv items', input: 'A=1,x]y}z', expected: { A: ['1', 'x]y}z'] } },

    // csv lists and their backtracking at key=
    { name: 'csv list then next key (08-03)', input: 'A=1,2,3,B=4', expected: { A: ['1', '2', '3'], B: '4' } },
    { name: 'csv list in a filter (08-36)', input: 'Name=TYPE,Values=HTTP,DNS_PRIVATE,Condition=IN', expected: { Name: 'TYPE', Values: ['HTTP', 'DNS_PRIVATE'], Condition: 'IN' } },
    { name: 'missing = makes a list item (08-19)', input: 'A=1,B', expected: { A: ['1', 'B'] } },
    { name: 'list item without = then next key', input: 'A=1,B,C=2', expected: { A: ['1', 'B'], C: '2' } },
    { name: 'two csv lists', input: 'A=1,2,B=3,4', expected: { A: ['1', '2'], B: ['3', '4'] } },
    { name: 'whitespace around csv items', input: 'A=1, 2 ,3', expected: { A: ['1', '2', '3'] } },
    { name: 'spaces inside a csv item', input: 'A=1,2 3', expected: { A: ['1', '2 3'] } },
    { name: 'quoted csv item', input: "A=1,'2,3'", expected: { A: ['1', '2,3'] } },
    { name: 'backtracking to ",=" gives an empty key', input: 'A=1,=2', expected: { A: '1', '': '2' } },
    { name: 'double comma is skipped by backtracking', input: 'A=1,,B=2', expected: { A: '1', B: '2' } },
    { name: 'double comma after a list', input: 'A=1,2,,B=2', expected: { A: ['1', '2'], B: '2' } },
    { name: 'backtracking stops at an escaped comma', input: 'A=1,b\\,c=2', expected: { A: '1', c: '2' } },

    // escaped comma
    { name: '\\, in a value (08-05)', input: 'A=a\\,b,B=c', expected: { A: 'a,b', B: 'c' } },
    { name: '\\, at the start of a value', input: 'A=\\,x', expected: { A: ',x' } },
    { name: 'a backslash elsewhere is literal', input: 'A=a\\b', expected: { A: 'a\\b' } },
    { name: 'escaped comma, quoted, = (08-57)', input: "k1=a\\,b,k2='q,r',k3=x=y", expected: { k1: 'a,b', k2: 'q,r', k3: 'x=y' } },

    // quoted values
    { name: "quoted values, \\' unescaped (08-06)", input: `A='x,y',B="p,q",C='it\\'s'`, expected: { A: 'x,y', B: 'p,q', C: "it's" } },
    { name: 'double-quoted with \\"', input: 'A="say \\"hi\\""', expected: { A: 'say "hi"' } },
    { name: '\\\\ becomes \\ inside quotes', input: "A='a\\\\b'", expected: { A: 'a\\b' } },
    { name: "\\' is not unescaped inside double quotes", input: `A="x\\'y"`, expected: { A: "x\\'y" } },
    { name: 'quotes keep inner whitespace', input: "A=' x '", expected: { A: ' x ' } },
    { name: 'whitespace after the closing quote is skipped', input: "A='x'  ", expected: { A: 'x' } },
    { name: 'empty quoted string', input: "A=''", expected: { A: '' } },
    { name: '= [ ] { } literal inside quotes', input: "A='a=b[c]{d}'", expected: { A: 'a=b[c]{d}' } },

    // explicit lists
    { name: 'explicit list (08-16)', input: 'A=[1,2]', expected: { A: ['1', '2'] } },
    { name: 'explicit empty list (08-60)', input: 'A=[]', expected: { A: [] } },
    { name: 'explicit empty list with a space', input: 'A=[ ]', expected: { A: [] } },
    { name: 'explicit one-item list (08-37)', input: 'Name=TYPE,Values=[HTTP],Condition=EQ', expected: { Name: 'TYPE', Values: ['HTTP'], Condition: 'EQ' } },
    { name: 'whitespace inside a list', input: 'A=[ a , b ]', expected: { A: ['a', 'b'] } },
    { name: 'trailing comma inside a list', input: 'A=[a,]', expected: { A: ['a'] } },
    { name: 'empty first item', input: 'A=[,a]', expected: { A: ['', 'a'] } },
    { name: 'nested lists', input: 'A=[[1,2],[3]]', expected: { A: [['1', '2'], ['3']] } },
    { name: 'lists then another key', input: 'A=[1],B=[2]', expected: { A: ['1'], B: ['2'] } },

    // hash literals
    { name: 'hash literal (08-17)', input: 'A={b=1}', expected: { A: { b: '1' } } },
    { name: 'empty hash literal', input: 'A={ }', expected: { A: {} } },
    { name: 'whitespace inside a hash literal', input: 'A={ b = 1 , c = 2 }', expected: { A: { b: '1', c: '2' } } },
    { name: 'trailing comma inside a hash literal', input: 'A={b=1,}', expected: { A: { b: '1' } } },
    { name: 'repeated key inside {..}: last wins, no error', input: 'A={b=1,b=2}', expected: { A: { b: '2' } } },
    { name: 'a value inside {..} may hold spaces and =', input: 'A={b=1 c=2}', expected: { A: { b: '1 c=2' } } },

    // nested structures
    { name: 'dns config (08-22)', input: 'NamespaceId=x,RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}]', expected: { NamespaceId: 'x', RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: '60' }] } },
    { name: 'two dns records (08-23)', input: 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60},{Type=AAAA,TTL=60}]', expected: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: '60' }, { Type: 'AAAA', TTL: '60' }] } },
    { name: 'single struct where a list is modeled (08-24)', input: 'DnsRecords={Type=A,TTL=60}', expected: { DnsRecords: { Type: 'A', TTL: '60' } } },
    { name: 'nested hash literals (08-29)', input: 'DnsProperties={SOA={TTL=60}}', expected: { DnsProperties: { SOA: { TTL: '60' } } } },
    { name: 'list and hash inside a hash', input: 'A={b=[1,2],c={d=e}}', expected: { A: { b: ['1', '2'], c: { d: 'e' } } } },
    {
      name: 'update-service (08-52)',
      input: 'Description=d,DnsConfig={DnsRecords=[{Type=A,TTL=10}]},HealthCheckConfig={Type=TCP,FailureThreshold=2}',
      expected: { Description: 'd', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: '10' }] }, HealthCheckConfig: { Type: 'TCP', FailureThreshold: '2' } },
    },
    { name: 'update-public-dns-namespace (08-54)', input: 'Description=d,Properties={DnsProperties={SOA={TTL=30}}}', expected: { Description: 'd', Properties: { DnsProperties: { SOA: { TTL: '30' } } } } },

    // unicode
    { name: 'BMP unicode unquoted (08-18)', input: 'A=café ✓', expected: { A: 'café ✓' } },
    { name: 'astral character quoted (08-62)', input: "A='x😀'", expected: { A: 'x😀' } },
    { name: 'astral character quoted inside a list', input: "A=['😀']", expected: { A: ['😀'] } },
  ])('$name', ({ input, expected }) => {
    expect(parseShorthand(input)).toEqual(expected)
  })
})

describe('parseShorthand: errors (message = text after "Error parsing parameter \'--x\': ")', () => {
  it.each<{ name: string; input: string; message: string }>([
    { name: 'value starting with = (08-09)', input: 'A==1', message: "Expected: ',', received: '=' for input:\nA==1\n  ^" },
    { name: 'space inside a key (08-12)', input: 'key with space=1', message: "Expected: '=', received: 'w' for input:\nkey with space=1\n    ^" },
    { name: 'no = at all (08-32)', input: 'garbage', message: "Expected: '=', received: 'EOF' for input:\ngarbage\n       ^" },
    { name: 'empty input (08-51)', input: '', message: "Expected: '=', received: 'EOF' for input:\n\n^" },
    { name: 'unclosed list (08-28)', input: 'DnsRecords=[{Type=A,TTL=60}', message: "Expected: ',', received: 'EOF' for input:\nDnsRecords=[{Type=A,TTL=60}\n" + caret(27) },
    {
      name: 'unclosed list after another key (09-16)',
      input: 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}',
      message: "Expected: ',', received: 'EOF' for input:\nRoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}\n" + caret(52),
    },
    { name: '] ends an unquoted first value (08-63)', input: 'A=x]y}z,B=a[b{c', message: "Expected: ',', received: ']' for input:\nA=x]y}z,B=a[b{c\n   ^" },
    { name: '} ends an unquoted first value', input: 'A=a{b}', message: "Expected: ',', received: '}' for input:\nA=a{b}\n     ^" },
    { name: 'astral character unquoted (08-61)', input: 'A=x😀', message: "Expected: ',', received: '😀' for input:\nA=x😀\n   ^" },
    { name: 'astral character starting a value', input: 'A=😀', message: "Expected: ',', received: '😀' for input:\nA=😀\n  ^" },
    { name: 'caret counts code points, not UTF-16 units', input: 'A=é😀', message: "Expected: ',', received: '😀' for input:\nA=é😀\n   ^" },
    { name: 'astral character in a key', input: 'a😀=1', message: "Expected: '=', received: '😀' for input:\na😀=1\n ^" },
    { name: 'astral character as a later csv item', input: 'A=1,😀', message: "Expected: '=', received: '😀' for input:\nA=1,😀\n    ^" },
    { name: 'leading whitespace before the first key', input: ' A=1', message: "Expected: '=', received: 'A' for input:\n A=1\n ^" },
    { name: 'leading comma', input: ',A=1', message: "Expected: '=', received: ',' for input:\n,A=1\n^" },
    { name: 'trailing comma', input: 'A=1,', message: "Expected: '<second>', received: '<none>' for input:\nA=1,\n    ^" },
    { name: 'trailing comma after a list', input: 'A=1,2,3,', message: "Expected: '<second>', received: '<none>' for input:\nA=1,2,3,\n        ^" },
    { name: 'unclosed single quote', input: "A='abc", message: "Expected: '<singled quoted>', received: '<none>' for input:\nA='abc\n  ^" },
    { name: 'unclosed double quote', input: 'A="abc', message: "Expected: '<double quoted>', received: '<none>' for input:\nA=\"abc\n  ^" },
    { name: 'text after a closing quote', input: "A='😀😀' x", message: "Expected: ',', received: 'x' for input:\nA='😀😀' x\n       ^" },
    { name: 'quoted text cannot be a key after backtracking', input: "A=1,'x,y'=2", message: "Expected: '=', received: ''' for input:\nA=1,'x,y'=2\n        ^" },
    { name: 'items inside [..] need commas', input: 'A=[1 2', message: "Expected: ',', received: 'EOF' for input:\nA=[1 2\n      ^" },
    { name: 'unclosed list of scalars', input: 'A=[x', message: "Expected: ',', received: 'EOF' for input:\nA=[x\n    ^" },
    { name: 'unclosed hash literal', input: 'A={b=1', message: "Expected: ',', received: 'EOF' for input:\nA={b=1\n      ^" },
    { name: 'text after a list', input: 'A=[1]x', message: "Expected: ',', received: 'x' for input:\nA=[1]x\n     ^" },
    { name: 'whitespace after a list at the end', input: 'A=[1] ', message: "Expected: ',', received: 'EOF' for input:\nA=[1] \n      ^" },
    { name: 'extra ]', input: 'A=[1,2]]', message: "Expected: ',', received: ']' for input:\nA=[1,2]]\n       ^" },
    { name: '] ends an unquoted value inside [..]', input: 'A=x[y]', message: "Expected: ',', received: ']' for input:\nA=x[y]\n     ^" },
    { name: 'key without = inside {..}', input: 'A={b}', message: "Expected: '=', received: '}' for input:\nA={b}\n    ^" },
    { name: 'no csv lists inside {..}', input: 'A={b=1,2}', message: "Expected: '=', received: '}' for input:\nA={b=1,2}\n        ^" },
    { name: 'caret on the line holding the error', input: 'A=1,\nB==2', message: "Expected: ',', received: '=' for input:\nA=1,\nB==2\n  ^" },
    { name: 'input after the error line follows the caret', input: 'A==1,\nB=2', message: "Expected: ',', received: '=' for input:\nA==1,\n  ^\nB=2" },
    // DuplicateKeyInObjectError: the caret is one past the end of the previous keyval
    { name: 'duplicate key (08-15)', input: 'A=1,A=2', message: 'Second instance of key "A" encountered for input:\nA=1,A=2\n    ^\nThis is often because there is a preceding "," instead of a space.' },
    {
      name: 'duplicate key in a tags item (08-35)',
      input: 'Key=k,Value=v,Key=k2',
      message: 'Second instance of key "Key" encountered for input:\nKey=k,Value=v,Key=k2\n              ^\nThis is often because there is a preceding "," instead of a space.',
    },
    { name: 'duplicate key after ", "', input: 'A=1, A=2', message: 'Second instance of key "A" encountered for input:\nA=1, A=2\n    ^\nThis is often because there is a preceding "," instead of a space.' },
    { name: 'duplicate key after a newline', input: 'A=1,\nA=2', message: 'Second instance of key "A" encountered for input:\nA=1,\n    ^\nA=2\nThis is often because there is a preceding "," instead of a space.' },
    { name: 'duplicate of a name Object.prototype has', input: 'toString=1,toString=2', message: 'Second instance of key "toString" encountered for input:\ntoString=1,toString=2\n           ^\nThis is often because there is a preceding "," instead of a space.' },
  ])('$name', ({ input, message }) => {
    const error = errorOf(() => parseShorthand(input))
    expect(error).toBeInstanceOf(ShorthandParseError)
    expect(error.message).toBe(message)
  })

  it('exposes what was expected and where', () => {
    const error = errorOf(() => parseShorthand('A=x😀'))
    expect(error).toBeInstanceOf(ShorthandSyntaxError)
    expect(error).toMatchObject({ expected: ',', actual: '😀', index: 3, input: 'A=x😀' })
    const duplicate = errorOf(() => parseShorthand('A=1,A=2'))
    expect(duplicate).toBeInstanceOf(ShorthandDuplicateKeyError)
    expect(duplicate).toMatchObject({ key: 'A', index: 4 })
  })

  it('the 2.36.7 wording puts a space before the echoed input of a syntax error (09-16 .latest)', () => {
    const error = errorOf(() => parseShorthand('RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}')) as ShorthandParseError
    expect(error.messageFor('2.36.7')).toBe(
      "Expected: ',', received: 'EOF' for input:\n RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=A,TTL=60}\n" + caret(52),
    )
    expect(error.messageFor('2.9.19')).toBe(error.message)
    const duplicate = errorOf(() => parseShorthand('A=1,A=2')) as ShorthandParseError
    expect(duplicate.messageFor('2.36.7')).toBe(duplicate.message)
  })
})

describe('parseShorthand: object shape', () => {
  it('keeps input order of keys', () => {
    expect(Object.keys(parseShorthand('B=1,A=2,C=3'))).toEqual(['B', 'A', 'C'])
    expect(Object.keys(parseShorthand('X={b=1,a=2,b=3}').X as Parsed)).toEqual(['b', 'a'])
  })

  it('stores __proto__ and other Object.prototype names as plain keys', () => {
    const parsed = parseShorthand('__proto__=x,constructor=y')
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toBe('x')
    expect(parsed.constructor).toBe('y')
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor'])
  })
})

describe('parseShorthand: key@=file (2.36.7)', () => {
  const recorder = () => {
    const calls: string[] = []
    const read = (path: string): string => {
      calls.push(path)
      return `<${path}>`
    }
    return { calls, read }
  }

  it.each<{ name: string; input: string; expected: Parsed; reads: string[] }>([
    { name: 'file:// value is read (08-58)', input: 'A=1,B@=file://desc.txt', expected: { A: '1', B: '<file://desc.txt>' }, reads: ['file://desc.txt'] },
    { name: 'fileb:// value is read', input: 'B@=fileb://x.bin', expected: { B: '<fileb://x.bin>' }, reads: ['fileb://x.bin'] },
    { name: 'value without a file prefix is kept', input: 'B@=plain', expected: { B: 'plain' }, reads: [] },
    { name: 'empty value', input: 'A@=', expected: { A: '' }, reads: [] },
    { name: 'whitespace around @', input: 'A @ = file://x', expected: { A: '<file://x>' }, reads: ['file://x'] },
    { name: 'quoted value', input: "A@='file://x'", expected: { A: '<file://x>' }, reads: ['file://x'] },
    { name: 'every csv item', input: 'A@=file://x,file://y', expected: { A: ['<file://x>', '<file://y>'] }, reads: ['file://x', 'file://y'] },
    { name: 'plain = of the next key does not read', input: 'A@=x,B=file://y', expected: { A: 'x', B: 'file://y' }, reads: [] },
    { name: 'inside {..} with its own @=', input: 'A={b@=file://x,c=file://y}', expected: { A: { b: '<file://x>', c: 'file://y' } }, reads: ['file://x'] },
    {
      name: 'a key inside {..} switches reading off for the rest of the list',
      input: 'A@=[file://x,{b=file://y},file://z]',
      expected: { A: ['<file://x>', { b: 'file://y' }, 'file://z'] },
      reads: ['file://x'],
    },
    { name: 'an item later backtracked over is still read', input: 'A@=x,file://y=1', expected: { A: 'x', 'file://y': '1' }, reads: ['file://y'] },
  ])('$name', ({ input, expected, reads }) => {
    const { calls, read } = recorder()
    expect(parseShorthand(input, read)).toEqual(expected)
    expect(calls).toEqual(reads)
  })

  it('lets readFile errors through unchanged (a ResourceLoadingError in the AWS CLI)', () => {
    const failure = new Error('Unable to load paramfile file://nope: [Errno 2] No such file or directory: \'nope\'')
    const error = errorOf(() =>
      parseShorthand('A@=file://nope', () => {
        throw failure
      }),
    )
    expect(error).toBe(failure)
  })

  it('reads the file by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shorthand-'))
    try {
      const path = join(dir, 'desc.txt')
      writeFileSync(path, 'Description from a file\n')
      expect(parseShorthand(`A=1,B@=file://${path}`)).toEqual({ A: '1', B: 'Description from a file\n' })
      const bytes = parseShorthand(`B@=fileb://${path}`).B as unknown
      expect(Buffer.isBuffer(bytes)).toBe(true)
      const missing = errorOf(() => parseShorthand(`B@=file://${join(dir, 'missing.txt')}`))
      expect(missing).not.toBeInstanceOf(ShorthandParseError)
      expect(missing.message).toContain('Unable to load paramfile file://')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('parseShorthand: 2.9.19 dialect', () => {
  const as = (dialect: ShorthandDialect) => (input: string) => parseShorthand(input, () => 'READ', { dialect })

  it('has no key@= (08-59)', () => {
    const error = errorOf(() => as('2.9.19')('A=1,B@=file://desc.txt'))
    expect(error.message).toBe("Expected: '=', received: '@' for input:\nA=1,B@=file://desc.txt\n     ^")
  })

  it.each<{ name: string; input: string; old: Parsed | string; latest: Parsed | string }>([
    // 2.9.19's quoted pattern also has a "\\" alternative, so \\ before a quote closes the string
    // there; 2.36.7 treats the backslash alone and "\'" as an escaped quote.
    { name: "\\\\ before the closing quote, another quote later", input: "A='a\\\\',B='c'", old: { A: 'a\\', B: 'c' }, latest: "Expected: ',', received: 'c' for input:\nA='a\\\\',B='c'\n" + caret(11) },
    { name: "\\\\ before the closing quote at the end", input: "A='a\\\\'", old: { A: 'a\\' }, latest: { A: 'a\\' } },
    { name: 'A@1', input: 'A@1', old: "Expected: '=', received: '@' for input:\nA@1\n ^", latest: "Expected: '=', received: '1' for input:\nA@1\n  ^" },
  ])('$name', ({ input, old, latest }) => {
    for (const [dialect, expected] of [['2.9.19', old], ['2.36.7', latest]] as const) {
      if (typeof expected === 'string') expect(errorOf(() => as(dialect)(input)).message).toBe(expected)
      else expect(as(dialect)(input)).toEqual(expected)
    }
  })
})

describe('parseShorthand: large inputs', () => {
  it.each<ShorthandDialect>(['2.9.19', '2.36.7'])('unclosed quote with many backslashes fails fast (%s)', (dialect) => {
    const input = `A='${'\\'.repeat(50_000)}`
    const started = Date.now()
    expect(errorOf(() => parseShorthand(input, undefined, { dialect })).message).toMatch(/^Expected: '<singled quoted>', received: '<none>'/)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('parses many pairs (each one backtracks once) in linear time', () => {
    const input = Array.from({ length: 10_000 }, (_, i) => `k${i}=v`).join(',')
    const started = Date.now()
    expect(Object.keys(parseShorthand(input))).toHaveLength(10_000)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
