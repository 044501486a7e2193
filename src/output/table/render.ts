/**
 * Rendering of table sections: a port of `MultiTable.render` and its helpers in
 * `awscli/table.py` (AWS CLI 2.9.19).
 *
 * The bordered boxes (title box, header row, data rows and their `+---+---+` rules) are
 * drawn with cli-table3. The AWS CLI's own arithmetic (column scaling, `center_text`,
 * `align_left`) decides the exact text of every cell; cli-table3 receives cells that are
 * already padded to their column width and draws the borders around them.
 *
 * cli-table3 cannot always produce the AWS bytes: it measures text with string-width
 * (East Asian ambiguous characters = 1 column where the AWS CLI counts 2, control
 * characters = 0, ANSI-looking text = 0) and pads or truncates cells to that measure, it
 * turns line breaks inside a cell into extra table lines, and it always closes a table
 * with a bottom rule. Every box drawn by cli-table3 is therefore checked against the AWS
 * layout computed by the port below (`expected`), and the port's lines are used instead
 * when they differ.
 */
import Table from 'cli-table3'
import { awsTextWidth } from '../east-asian-width.js'
import { type Section, convertToVerticalTable } from './sections.js'

const RESET = '\u001b[0m'
/** colorama `Style.BRIGHT + Fore.BLUE` (ColorizedStyler.style_row_element). */
const ROW_STYLE = '\u001b[1m\u001b[34m'
/** colorama `Style.DIM + Fore.YELLOW` (ColorizedStyler.style_indentation_char). */
const INDENT_STYLE = '\u001b[2m\u001b[33m'

export interface RenderOptions {
  terminalWidth: number
  color: boolean
}

/** One output line of a section, before the indentation bars are added. */
type Line = string

/**
 * `MultiTable.render` into a string. With colour on, colorama's autoreset wrapper
 * appends `ESC[0m` after every `write()` call; the writes are reproduced one by one.
 */
export function renderSections(sections: Section[], options: RenderOptions): string {
  let maxWidth = calculateMaxWidth(sections)
  if (maxWidth > options.terminalWidth) {
    convertToVerticalTable(sections)
    maxWidth = calculateMaxWidth(sections)
  }
  const writes: string[] = []
  // First line: a bare run of dashes (no corners), written in one call.
  writes.push(`${'-'.repeat(maxWidth)}\n`)
  for (const section of sections) {
    const lines = renderSection(section, maxWidth - section.indentLevel * 2, options.color)
    const bar = options.color ? `${INDENT_STYLE}|${RESET}` : '|'
    const indent = bar.repeat(section.indentLevel)
    // IndentedStream.write(line + '\n') = write(left) write(line) write(right) write('\n').
    for (const line of lines) writes.push(indent, line, indent, '\n')
  }
  return options.color ? writes.map((w) => w + RESET).join('') : writes.join('')
}

/** `_calculate_max_width`: the widest section (there is always the top-level one). */
function calculateMaxWidth(sections: Section[]): number {
  return sections.reduce((max, s) => Math.max(max, s.totalWidth()), -Infinity)
}

function renderSection(section: Section, maxWidth: number, color: boolean): Line[] {
  const lines: Line[] = []
  // _render_title
  if (section.title) {
    const closed = section.headers.length === 0 && section.rows.length === 0
    lines.push(...renderTitle(section.title, maxWidth, closed))
  }
  // _render_column_titles + _render_rows
  const hasHeaders = section.headers.length > 0
  const widths = section.calculateColumnWidths(4, maxWidth)
  const hasRows = section.rows.length > 0 && widths.length > 0
  const headerCells = hasHeaders ? renderHeaderCells(section.headers, widths) : null
  const rowCells = hasRows ? section.rows.map((row) => renderRowCells(row, widths, color)) : []
  const expected: Line[] = []
  if (headerCells !== null) {
    expected.push(lineBreak(widths))
    expected.push(headerCells.map((c) => c.full).join(''))
  }
  if (hasRows) {
    expected.push(lineBreak(widths))
    for (const cells of rowCells) expected.push(cells.map((c) => c.full).join(''))
    expected.push(lineBreak(widths))
  }
  if (expected.length === 0) return lines
  // A header without data rows has no closing rule, which cli-table3 cannot draw
  // (it always ends a table with its bottom border): own code then.
  const candidate =
    hasRows &&
    (headerCells === null || cliTableCandidate(headerCells, widths.length)) &&
    rowCells.every((cells) => cliTableCandidate(cells, widths.length))
  lines.push(...(candidate ? preferCliTable(() => drawGrid(widths, headerCells, rowCells), expected) : expected))
  return lines
}

/** A rendered cell: the full AWS text (edges included) and what lies between its edges. */
interface Cell {
  full: string
  /** Text between the left edge (first column only) and the right `|`; null if not splittable. */
  inner: string | null
  /** AWS width the inner text must have to fill the column. */
  innerWidth: number
  /** AWS display width of the inner text, with styling removed. */
  innerAwsWidth: number
}

function splitCell(full: string, plain: string, leftEdge: string, width: number): Cell {
  const innerWidth = width - leftEdge.length - 1
  const ok = full.startsWith(leftEdge) && full.endsWith('|')
  const inner = ok ? full.slice(leftEdge.length, -1) : null
  const plainInner = plain.slice(leftEdge.length, -1)
  return { full, inner, innerWidth, innerAwsWidth: awsTextWidth(plainInner) }
}

function renderHeaderCells(headers: string[], widths: number[]): Cell[] {
  // zip(widths, headers)
  const n = Math.min(widths.length, headers.length)
  const cells: Cell[] = []
  for (let i = 0; i < n; i++) {
    const left = i === 0 ? '|' : ''
    const text = centerText(headers[i], widths[i], left, '|', awsTextWidth(headers[i]))
    cells.push(splitCell(text, text, left, widths[i]))
  }
  return cells
}

function renderRowCells(row: string[], widths: number[], color: boolean): Cell[] {
  // zip(widths, row)
  const n = Math.min(widths.length, row.length)
  const cells: Cell[] = []
  for (let i = 0; i < n; i++) {
    const left = i === 0 ? '|' : ''
    const element = row[i]
    const styled = color ? `${ROW_STYLE}${element}${RESET}` : element
    const textLength = awsTextWidth(element)
    const full = alignLeft(styled, widths[i], left, '|', textLength)
    const plain = alignLeft(element, widths[i], left, '|', textLength)
    cells.push(splitCell(full, plain, left, widths[i]))
  }
  return cells
}

/**
 * Whether cells can be handed to cli-table3 at all: one cell per column, each splittable
 * into edges + inner text that fills the column, and no line break in any cell.
 */
function cliTableCandidate(cells: Cell[], columns: number): boolean {
  if (cells.length !== columns) return false
  return cells.every(
    (c) =>
      c.inner !== null &&
      c.innerWidth >= 1 &&
      c.innerAwsWidth === c.innerWidth &&
      !/[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/.test(c.inner),
  )
}

/** Lines drawn by cli-table3 when they are byte-identical to the AWS layout, else the AWS layout. */
function preferCliTable(draw: () => string, expected: Line[]): Line[] {
  const drawn = draw().split('\n')
  const same = drawn.length === expected.length && drawn.every((line, i) => line === expected[i])
  return same ? drawn : expected
}

const NO_BORDER = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '',
}

/** No padding, no colours: cells arrive fully laid out. */
const PLAIN_STYLE = { 'padding-left': 0, 'padding-right': 0, head: [], border: [] }

/**
 * Header row and data rows with their rules:
 * `+---+---+` / header / `+---+---+` / rows / `+---+---+` (no header: rule, rows, rule).
 * Column i of the AWS layout is `widths[i]` wide including its right `|` (and the left
 * `|` for column 0), so the cli-table3 content widths are `w0 - 2, w1 - 1, ...`.
 */
function drawGrid(widths: number[], header: Cell[] | null, rows: Cell[][]): string {
  const table = new Table({
    chars: {
      top: '-',
      'top-mid': '+',
      'top-left': '+',
      'top-right': '+',
      bottom: '-',
      'bottom-mid': '+',
      'bottom-left': '+',
      'bottom-right': '+',
      left: '|',
      'left-mid': '+',
      mid: '-',
      'mid-mid': '+',
      right: '|',
      'right-mid': '+',
      middle: '|',
    },
    colWidths: widths.map((w, i) => (i === 0 ? w - 2 : w - 1)),
    // compact: no rule between data rows (only after the header row).
    style: { ...PLAIN_STYLE, compact: true },
    ...(header !== null ? { head: header.map((c) => c.inner as string) } : {}),
  })
  for (const cells of rows) table.push(cells.map((c) => c.inner as string))
  return table.toString()
}

/**
 * Title box: `|   Title   |`, followed by `+-----+` when the section has neither header
 * nor rows. Drawn with cli-table3 as a one-cell table without top rule.
 */
function renderTitle(title: string, maxWidth: number, closed: boolean): Line[] {
  const line = centerText(title, maxWidth, '|', '|', awsTextWidth(title))
  const expected = [line]
  if (closed) expected.push(`+${'-'.repeat(maxWidth - 2)}+`)
  const cell = splitCell(line, line, '|', maxWidth)
  if (!cliTableCandidate([cell], 1)) return expected
  return preferCliTable(() => {
    const table = new Table({
      chars: {
        ...NO_BORDER,
        left: '|',
        right: '|',
        ...(closed ? { bottom: '-', 'bottom-left': '+', 'bottom-right': '+' } : {}),
      },
      colWidths: [maxWidth - 2],
      style: PLAIN_STYLE,
    })
    table.push([cell.inner as string])
    return table.toString()
  }, expected)
}

/** `_write_line_break`: `+` + dashes + `+`, then dashes + `+` per further column. */
function lineBreak(widths: number[]): string {
  return widths.map((w, i) => (i === 0 ? `+${'-'.repeat(w - 2)}+` : `${'-'.repeat(w - 1)}+`)).join('')
}

/** Python `' ' * n` (empty for n <= 0). */
function spaces(n: number): string {
  return n > 0 ? ' '.repeat(n) : ''
}

/** `table.center_text` (floor division; a negative start still counts on the right). */
export function centerText(text: string, length: number, leftEdge: string, rightEdge: string, textLength: number): string {
  const charStart = Math.floor(length / 2) - Math.floor(textLength / 2) - 1
  const lengthSoFar = awsTextWidth(leftEdge) + charStart + textLength
  const rightSideSpaces = length - awsTextWidth(rightEdge) - lengthSoFar
  return leftEdge + spaces(charStart) + text + spaces(rightSideSpaces) + rightEdge
}

/** `table.align_left` with `left_padding=2` (dropped when the text does not fit). */
export function alignLeft(text: string, length: number, leftEdge: string, rightEdge: string, textLength: number): string {
  const computedLength = textLength + 2 + awsTextWidth(leftEdge) + awsTextWidth(rightEdge)
  const padding = length - computedLength >= 0 ? 2 : 0
  const lengthSoFar = leftEdge.length + padding + textLength
  return leftEdge + spaces(padding) + text + spaces(length - lengthSoFar - rightEdge.length) + rightEdge
}
