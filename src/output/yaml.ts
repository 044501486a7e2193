/**
 * `--output yaml` and `--output yaml-stream` of AWS CLI v2 (`formatter.YAMLDumper`).
 *
 * The AWS CLI dumps with `ruamel.yaml.YAML(typ='safe')` (0.17.21 on the reference machine),
 * `default_flow_style=False`. With `typ='safe'` ruamel uses its C emitter (`_ruamel_yaml`,
 * i.e. libyaml's `emitter.c`) driven by `SafeRepresenter` and the YAML 1.2 implicit
 * resolvers of `ruamel.yaml.resolver.Resolver`. This module ports exactly that chain:
 *
 * - representer: dict keys sorted (code-point order), `null` / `true` / `false`, ints,
 *   floats as `repr(f).lower()`; the same list/dict instance met twice becomes an
 *   anchor `&id001` and aliases `*id001` (e.g. `--query '[Namespaces[0], Namespaces[0]]'`);
 * - resolver: a string that would read back as another type (`'true'`, `'80'`, `'1.0'`,
 *   `'null'`, `''`, `'~'`, timestamps, ...) cannot be plain;
 * - emitter (libyaml): scalar analysis, plain / single-quoted / double-quoted choice,
 *   folding at column 80, 2-space indentation, indentless sequences in mappings, `{}` and
 *   `[]` for empty collections, complex keys (`? `) for keys over 128 bytes.
 *
 * Top-level scalars are not YAML-dumped: the AWS CLI prints `json.dumps(value,
 * ensure_ascii=False)` + newline for them (`"http-ns"`, `null`, `true`, `110.0`).
 */
import { isEmptyPyDict, isPyDict, isPyList, pyDictEntries, pyFloatRepr, pyNumber, comparePyStrings } from '../python/values.js'

/** `--output yaml`. A `{}` response (empty-output operations) prints nothing. */
export function formatYaml(data: unknown): string {
  if (isEmptyPyDict(data)) return ''
  return dump(data)
}

export interface YamlStreamOptions {
  /**
   * The pages come from a paginated call (each page is dumped, even `{}`). When false
   * (the default: one non-paginated response), a `{}` response prints nothing.
   */
  paginated?: boolean
}

/**
 * `--output yaml-stream`: each (post `--query`) page is dumped on its own as a
 * one-element list (`- ` then the page indented by 2), documents simply concatenated.
 */
export function formatYamlStream(pages: unknown[], options: YamlStreamOptions = {}): string {
  let out = ''
  for (const page of pages) {
    if (!options.paginated && isEmptyPyDict(page)) continue
    out += dump([page])
  }
  return out
}

/** `YAMLDumper.dump`: JSON for scalars, YAML otherwise. */
function dump(value: unknown): string {
  if (!isPyList(value) && !isPyDict(value)) return `${pyJsonScalar(value)}\n`
  const emitter = new Emitter()
  emitter.emitDocument(serialize(represent(value)))
  return emitter.output()
}

// ---------------------------------------------------------------------------------------
// json.dumps(scalar, ensure_ascii=False)
// ---------------------------------------------------------------------------------------

function pyJsonScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value === true) return 'true'
  if (value === false) return 'false'
  if (typeof value === 'string') return pyJsonString(value)
  const num = pyNumber(value)
  if (num === null) return 'null'
  if (num.kind === 'int') return num.digits
  if (Number.isNaN(num.value)) return 'NaN'
  if (num.value === Infinity) return 'Infinity'
  if (num.value === -Infinity) return '-Infinity'
  return pyFloatRepr(num.value)
}

/** Python json string encoding with ensure_ascii=False. */
function pyJsonString(text: string): string {
  let out = '"'
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\b') out += '\\b'
    else if (ch === '\f') out += '\\f'
    else if (cp < 0x20) out += `\\u${cp.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return `${out}"`
}

// ---------------------------------------------------------------------------------------
// Representer (ruamel.yaml SafeRepresenter) and resolver (ruamel.yaml Resolver, YAML 1.2)
// ---------------------------------------------------------------------------------------

type Tag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'other'

interface ScalarNode {
  kind: 'scalar'
  tag: Tag
  value: string
}
interface SequenceNode {
  kind: 'seq'
  items: YamlNode[]
}
interface MappingNode {
  kind: 'map'
  pairs: Array<[YamlNode, YamlNode]>
}
type YamlNode = ScalarNode | SequenceNode | MappingNode

/** `BaseRepresenter.represent`: one node per list/dict instance (alias detection by identity). */
function represent(root: unknown): YamlNode {
  const represented = new Map<object, YamlNode>()
  const visit = (data: unknown): YamlNode => {
    if (isPyList(data)) {
      const cached = represented.get(data)
      if (cached) return cached
      const node: SequenceNode = { kind: 'seq', items: [] }
      represented.set(data, node)
      for (const item of data) node.items.push(visit(item))
      return node
    }
    if (isPyDict(data)) {
      const cached = represented.get(data)
      if (cached) return cached
      const node: MappingNode = { kind: 'map', pairs: [] }
      represented.set(data, node)
      // represent_mapping: sorted(mapping.items()) when the mapping is a plain dict.
      const entries = pyDictEntries(data).sort((a, b) => comparePyStrings(a[0], b[0]))
      for (const [key, value] of entries) node.pairs.push([visit(key), visit(value)])
      return node
    }
    return representScalar(data)
  }
  return visit(root)
}

function representScalar(data: unknown): ScalarNode {
  if (data === null || data === undefined) return { kind: 'scalar', tag: 'null', value: 'null' }
  if (data === true) return { kind: 'scalar', tag: 'bool', value: 'true' }
  if (data === false) return { kind: 'scalar', tag: 'bool', value: 'false' }
  if (typeof data === 'string') return { kind: 'scalar', tag: 'str', value: data }
  const num = pyNumber(data)
  if (num !== null && num.kind === 'int') return { kind: 'scalar', tag: 'int', value: num.digits }
  if (num !== null) {
    // represent_float: .nan / .inf / -.inf, else repr(data).lower()
    const f = num.value
    const value = Number.isNaN(f) ? '.nan' : f === Infinity ? '.inf' : f === -Infinity ? '-.inf' : pyFloatRepr(f).toLowerCase()
    return { kind: 'scalar', tag: 'float', value }
  }
  return { kind: 'scalar', tag: 'str', value: String(data) }
}

// Implicit resolvers of ruamel.yaml.resolver.Resolver (the YAML 1.2 set), keyed by first
// character as in `yaml_implicit_resolvers`. Python's `$` also matches before a final
// newline, hence the `\n?`.
const RESOLVERS: Array<{ tag: Tag; regexp: RegExp; first: string[] }> = [
  { tag: 'bool', regexp: /^(?:true|True|TRUE|false|False|FALSE)\n?$/, first: [...'tTfF'] },
  {
    tag: 'float',
    regexp:
      /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\n?$/,
    first: [...'-+0123456789.'],
  },
  {
    tag: 'int',
    regexp: /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)\n?$/,
    first: [...'-+0123456789'],
  },
  { tag: 'other', regexp: /^(?:<<)\n?$/, first: ['<'] }, // merge
  { tag: 'null', regexp: /^(?:~|null|Null|NULL|)\n?$/, first: ['~', 'n', 'N', ''] },
  {
    tag: 'other', // timestamp
    regexp:
      /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\n?$/,
    first: [...'0123456789'],
  },
  { tag: 'other', regexp: /^(?:=)\n?$/, first: ['='] }, // value
  { tag: 'other', regexp: /^(?:!|&|\*)\n?$/, first: [...'!&*'] }, // yaml
]

/** `resolve(ScalarNode, value, (True, False))`: the tag a plain scalar would get. */
function resolvePlain(value: string): Tag {
  const first = value === '' ? '' : String.fromCodePoint(value.codePointAt(0) as number)
  for (const resolver of RESOLVERS) {
    if (resolver.first.includes(first) && resolver.regexp.test(value)) return resolver.tag
  }
  return 'str'
}

// ---------------------------------------------------------------------------------------
// Serializer (anchors for nodes met twice: id001, id002, ... in traversal order)
// ---------------------------------------------------------------------------------------

type Event =
  | { kind: 'alias'; anchor: string }
  | { kind: 'scalar'; value: string; plainImplicit: boolean; quotedImplicit: boolean }
  | { kind: 'seq'; anchor: string | null; items: Event[] }
  | { kind: 'map'; anchor: string | null; pairs: Array<[Event, Event]> }

function serialize(root: YamlNode): Event {
  const anchors = new Map<YamlNode, string | null>()
  let lastAliasId = 0
  const anchorNode = (node: YamlNode): void => {
    if (anchors.has(node)) {
      if (anchors.get(node) === null) {
        lastAliasId += 1
        anchors.set(node, `id${String(lastAliasId).padStart(3, '0')}`)
      }
      return
    }
    anchors.set(node, null)
    if (node.kind === 'seq') node.items.forEach(anchorNode)
    else if (node.kind === 'map') {
      for (const [key, value] of node.pairs) {
        anchorNode(key)
        anchorNode(value)
      }
    }
  }
  anchorNode(root)
  const serialized = new Set<YamlNode>()
  const toEvent = (node: YamlNode): Event => {
    if (serialized.has(node)) return { kind: 'alias', anchor: anchors.get(node) as string }
    serialized.add(node)
    const anchor = anchors.get(node) ?? null
    if (node.kind === 'scalar') {
      return {
        kind: 'scalar',
        value: node.value,
        plainImplicit: resolvePlain(node.value) === node.tag,
        quotedImplicit: node.tag === 'str',
      }
    }
    if (node.kind === 'seq') return { kind: 'seq', anchor, items: node.items.map(toEvent) }
    return { kind: 'map', anchor, pairs: node.pairs.map(([k, v]): [Event, Event] => [toEvent(k), toEvent(v)]) }
  }
  return toEvent(root)
}

// ---------------------------------------------------------------------------------------
// Emitter: libyaml emitter.c (block style, width 80, indent 2, unicode on)
// ---------------------------------------------------------------------------------------

const BEST_INDENT = 2
const BEST_WIDTH = 80

/** IS_PRINTABLE for UTF-8 in libyaml: LF, 0x20-0x7E, 0xA0-0xD7FF, 0xE000-0xFFFD but BOM. */
function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  )
}

function isBreak(ch: string | undefined): boolean {
  return ch === '\r' || ch === '\n' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029'
}

/** IS_BLANKZ: space, tab, break or NUL (the end of the string reads as NUL). */
function isBlankZ(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\0' || isBreak(ch)
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

interface ScalarAnalysis {
  chars: string[]
  /** Bytes (scalar_data.length). */
  length: number
  multiline: boolean
  flowPlainAllowed: boolean
  blockPlainAllowed: boolean
  singleQuotedAllowed: boolean
}

/** yaml_emitter_analyze_scalar */
function analyzeScalar(value: string): ScalarAnalysis {
  const chars = Array.from(value)
  const length = utf8Length(value)
  if (chars.length === 0) {
    return { chars, length, multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true }
  }
  let blockIndicators = false
  let flowIndicators = false
  let lineBreaks = false
  let specialCharacters = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let previousSpace = false
  let previousBreak = false

  if (value.startsWith('---') || value.startsWith('...')) {
    blockIndicators = true
    flowIndicators = true
  }
  let precededByWhitespace = true
  let followedByWhitespace = isBlankZ(chars[1])

  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true
        blockIndicators = true
      }
      if (ch === '?' || ch === ':') {
        flowIndicators = true
        if (followedByWhitespace) blockIndicators = true
      }
      if (ch === '-' && followedByWhitespace) {
        flowIndicators = true
        blockIndicators = true
      }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true
      if (ch === ':') {
        flowIndicators = true
        if (followedByWhitespace) blockIndicators = true
      }
      if (ch === '#' && precededByWhitespace) {
        flowIndicators = true
        blockIndicators = true
      }
    }
    if (!isPrintable(ch.codePointAt(0) as number)) specialCharacters = true
    if (isBreak(ch)) lineBreaks = true
    if (ch === ' ') {
      if (i === 0) leadingSpace = true
      if (i === chars.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true
      if (i === chars.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = isBlankZ(ch)
    if (i + 1 < chars.length) followedByWhitespace = isBlankZ(chars[i + 2])
  }

  let flowPlainAllowed = true
  let blockPlainAllowed = true
  let singleQuotedAllowed = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    flowPlainAllowed = false
    blockPlainAllowed = false
  }
  if (breakSpace || spaceBreak || specialCharacters) {
    flowPlainAllowed = false
    blockPlainAllowed = false
    singleQuotedAllowed = false
  }
  if (lineBreaks) {
    flowPlainAllowed = false
    blockPlainAllowed = false
  }
  if (flowIndicators) flowPlainAllowed = false
  if (blockIndicators) blockPlainAllowed = false
  return { chars, length, multiline: lineBreaks, flowPlainAllowed, blockPlainAllowed, singleQuotedAllowed }
}

type ScalarStyle = 'plain' | 'single' | 'double'

interface Context {
  sequence: boolean
  mapping: boolean
  simpleKey: boolean
}

class Emitter {
  private readonly out: string[] = []
  private column = 0
  private whitespace = true
  private indention = true
  private indent = -1
  private readonly indents: number[] = []
  private flowLevel = 0
  private mappingContext = false
  private simpleKeyContext = false

  output(): string {
    return this.out.join('')
  }

  /** Implicit document start, root node, implicit document end. */
  emitDocument(root: Event): void {
    this.emitNode(root, { sequence: false, mapping: false, simpleKey: false })
    this.writeIndent()
  }

  // --- low-level writers (PUT / PUT_BREAK / WRITE / WRITE_BREAK) ---
  private put(ch: string): void {
    this.out.push(ch)
    this.column++
  }

  private putBreak(): void {
    this.out.push('\n')
    this.column = 0
  }

  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak()
    else {
      this.out.push(ch)
      this.column = 0
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent)
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0
    else if (!indentless) this.indent += BEST_INDENT
  }

  private popIndent(): void {
    this.indent = this.indents.pop() as number
  }

  private writeIndent(): void {
    const indent = this.indent >= 0 ? this.indent : 0
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak()
    while (this.column < indent) this.put(' ')
    this.whitespace = true
    this.indention = true
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ')
    for (const ch of indicator) this.put(ch)
    this.whitespace = isWhitespace
    this.indention = this.indention && isIndention
  }

  private processAnchor(anchor: string | null, alias: boolean): void {
    if (anchor === null) return
    this.writeIndicator(alias ? '*' : '&', true, false, false)
    for (const ch of anchor) this.put(ch)
    this.whitespace = false
    this.indention = false
  }

  // --- nodes ---
  private emitNode(event: Event, context: Context): void {
    this.mappingContext = context.mapping
    this.simpleKeyContext = context.simpleKey
    switch (event.kind) {
      case 'alias':
        this.processAnchor(event.anchor, true)
        if (this.simpleKeyContext) this.put(' ')
        return
      case 'scalar':
        this.emitScalar(event)
        return
      case 'seq':
        this.processAnchor(event.anchor, false)
        if (this.flowLevel > 0 || event.items.length === 0) this.emitFlowSequence(event.items)
        else this.emitBlockSequence(event.items)
        return
      case 'map':
        this.processAnchor(event.anchor, false)
        if (this.flowLevel > 0 || event.pairs.length === 0) this.emitFlowMapping(event.pairs)
        else this.emitBlockMapping(event.pairs)
        return
    }
  }

  private emitFlowSequence(items: Event[]): void {
    this.writeIndicator('[', true, true, false)
    this.increaseIndent(true, false)
    this.flowLevel++
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false, false, false)
      if (this.column > BEST_WIDTH) this.writeIndent()
      this.emitNode(item, { sequence: true, mapping: false, simpleKey: false })
    })
    this.flowLevel--
    this.popIndent()
    this.writeIndicator(']', false, false, false)
  }

  private emitFlowMapping(pairs: Array<[Event, Event]>): void {
    this.writeIndicator('{', true, true, false)
    this.increaseIndent(true, false)
    this.flowLevel++
    pairs.forEach(([key, value], i) => {
      if (i > 0) this.writeIndicator(',', false, false, false)
      if (this.column > BEST_WIDTH) this.writeIndent()
      if (this.checkSimpleKey(key)) {
        this.emitNode(key, { sequence: false, mapping: true, simpleKey: true })
        this.writeIndicator(':', false, false, false)
      } else {
        this.writeIndicator('?', true, false, false)
        this.emitNode(key, { sequence: false, mapping: true, simpleKey: false })
        if (this.column > BEST_WIDTH) this.writeIndent()
        this.writeIndicator(':', true, false, false)
      }
      this.emitNode(value, { sequence: false, mapping: true, simpleKey: false })
    })
    this.flowLevel--
    this.popIndent()
    this.writeIndicator('}', false, false, false)
  }

  private emitBlockSequence(items: Event[]): void {
    // A sequence that is a mapping value stays at the key's indentation ("indentless").
    this.increaseIndent(false, this.mappingContext && !this.indention)
    for (const item of items) {
      this.writeIndent()
      this.writeIndicator('-', true, false, true)
      this.emitNode(item, { sequence: true, mapping: false, simpleKey: false })
    }
    this.popIndent()
  }

  private emitBlockMapping(pairs: Array<[Event, Event]>): void {
    this.increaseIndent(false, false)
    for (const [key, value] of pairs) {
      this.writeIndent()
      if (this.checkSimpleKey(key)) {
        this.emitNode(key, { sequence: false, mapping: true, simpleKey: true })
        this.writeIndicator(':', false, false, false)
      } else {
        this.writeIndicator('?', true, false, true)
        this.emitNode(key, { sequence: false, mapping: true, simpleKey: false })
        this.writeIndent()
        this.writeIndicator(':', true, false, true)
      }
      this.emitNode(value, { sequence: false, mapping: true, simpleKey: false })
    }
    this.popIndent()
  }

  /** yaml_emitter_check_simple_key: single-line and at most 128 bytes. */
  private checkSimpleKey(event: Event): boolean {
    switch (event.kind) {
      case 'alias':
        return event.anchor.length <= 128
      case 'scalar': {
        const analysis = analyzeScalar(event.value)
        return !analysis.multiline && analysis.length <= 128
      }
      case 'seq':
        return event.items.length === 0 && (event.anchor?.length ?? 0) <= 128
      case 'map':
        return event.pairs.length === 0 && (event.anchor?.length ?? 0) <= 128
    }
  }

  // --- scalars ---
  private emitScalar(event: Extract<Event, { kind: 'scalar' }>): void {
    const analysis = analyzeScalar(event.value)
    const style = this.selectScalarStyle(event, analysis)
    // A non-string scalar that cannot be plain carries the non-specific tag "!".
    if (!event.quotedImplicit && style !== 'plain') {
      if (!this.whitespace) this.put(' ')
      this.put('!')
      this.whitespace = false
      this.indention = false
    }
    this.increaseIndent(true, false)
    const allowBreaks = !this.simpleKeyContext
    if (style === 'plain') this.writePlain(analysis, allowBreaks)
    else if (style === 'single') this.writeSingleQuoted(analysis, allowBreaks)
    else this.writeDoubleQuoted(analysis, allowBreaks)
    this.popIndent()
  }

  /** yaml_emitter_select_scalar_style (the representer never asks for a style). */
  private selectScalarStyle(event: Extract<Event, { kind: 'scalar' }>, analysis: ScalarAnalysis): ScalarStyle {
    let style: ScalarStyle = 'plain'
    if (this.simpleKeyContext && analysis.multiline) style = 'double'
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !analysis.flowPlainAllowed) || (this.flowLevel === 0 && !analysis.blockPlainAllowed)) {
        style = 'single'
      }
      if (analysis.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single'
      if (!event.plainImplicit) style = 'single'
    }
    if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double'
    return style
  }

  private writePlain(analysis: ScalarAnalysis, allowBreaks: boolean): void {
    const chars = analysis.chars
    if (!this.whitespace && (analysis.length > 0 || this.flowLevel > 0)) this.put(' ')
    let spaces = false
    let breaks = false
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent()
        else this.put(ch)
        spaces = true
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak()
        this.writeBreak(ch)
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.put(ch)
        this.indention = false
        spaces = false
        breaks = false
      }
    }
    this.whitespace = false
    this.indention = false
  }

  private writeSingleQuoted(analysis: ScalarAnalysis, allowBreaks: boolean): void {
    const chars = analysis.chars
    this.writeIndicator("'", true, false, false)
    let spaces = false
    let breaks = false
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]
      if (ch === ' ') {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i !== 0 &&
          i !== chars.length - 1 &&
          chars[i + 1] !== ' '
        ) {
          this.writeIndent()
        } else this.put(ch)
        spaces = true
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak()
        this.writeBreak(ch)
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        if (ch === "'") this.put("'")
        this.put(ch)
        this.indention = false
        spaces = false
        breaks = false
      }
    }
    if (breaks) this.writeIndent()
    this.writeIndicator("'", false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeDoubleQuoted(analysis: ScalarAnalysis, allowBreaks: boolean): void {
    const chars = analysis.chars
    this.writeIndicator('"', true, false, false)
    let spaces = false
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]
      const cp = ch.codePointAt(0) as number
      if (!isPrintable(cp) || cp === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put('\\')
        const short = DOUBLE_QUOTED_ESCAPES.get(cp)
        if (short !== undefined) this.put(short)
        else {
          const [prefix, digits] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8]
          this.put(prefix as string)
          for (const d of cp.toString(16).toUpperCase().padStart(digits as number, '0')) this.put(d)
        }
        spaces = false
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent()
          if (chars[i + 1] === ' ') this.put('\\')
        } else this.put(ch)
        spaces = true
      } else {
        this.put(ch)
        spaces = false
      }
    }
    this.writeIndicator('"', false, false, false)
    this.whitespace = false
    this.indention = false
  }
}

const DOUBLE_QUOTED_ESCAPES = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
])
