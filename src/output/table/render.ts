/**
 * Rendering of table sections: a port of `MultiTable.render` and its helpers in
 * `awscli/table.py` (AWS CLI 2.9.19), boxes, rules and cells alike. A table library cannot draw
 * these bytes (cli-table3 measures text with string-width, where the AWS CLI counts East Asian
 * ambiguous characters as 2 columns and control characters as 1, and it breaks cells at line
 * breaks): the AWS CLI's own arithmetic is the only way to its output.
 */
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
  if (hasHeaders) {
    lines.push(lineBreak(widths))
    lines.push(renderHeaderCells(section.headers, widths).join(''))
  }
  if (hasRows) {
    lines.push(lineBreak(widths))
    for (const row of section.rows) lines.push(renderRowCells(row, widths, color).join(''))
    lines.push(lineBreak(widths))
  }
  return lines
}

function renderHeaderCells(headers: string[], widths: number[]): string[] {
  // zip(widths, headers)
  const n = Math.min(widths.length, headers.length)
  const cells: string[] = []
  for (let i = 0; i < n; i++) cells.push(centerText(headers[i], widths[i], i === 0 ? '|' : '', '|', awsTextWidth(headers[i])))
  return cells
}

function renderRowCells(row: string[], widths: number[], color: boolean): string[] {
  // zip(widths, row)
  const n = Math.min(widths.length, row.length)
  const cells: string[] = []
  for (let i = 0; i < n; i++) {
    const element = row[i]
    const styled = color ? `${ROW_STYLE}${element}${RESET}` : element
    cells.push(alignLeft(styled, widths[i], i === 0 ? '|' : '', '|', awsTextWidth(element)))
  }
  return cells
}

/** Title box: `|   Title   |`, followed by `+-----+` when the section has neither header nor rows. */
function renderTitle(title: string, maxWidth: number, closed: boolean): Line[] {
  const line = centerText(title, maxWidth, '|', '|', awsTextWidth(title))
  return closed ? [line, `+${'-'.repeat(maxWidth - 2)}+`] : [line]
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
