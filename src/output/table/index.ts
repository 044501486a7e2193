/**
 * `--output table`: `formatter.TableFormatter` + `awscli/table.py` of AWS CLI v2
 * (2.9.19; identical stdout in 2.36.7).
 */
import { renderSections } from './render.js'
import { TableBuilder } from './sections.js'

export { OutputFormatError } from '../text.js'

export interface TableOptions {
  /** The operation name in PascalCase, e.g. 'ListNamespaces' (the top-level title). */
  title: string
  /** 80 when stdout is not a terminal, the terminal's columns otherwise. */
  width: number
  /** `--color on`, or `--color auto` (the default) with stdout on a terminal. */
  color: boolean
  /**
   * stdout is a terminal. Only matters with `color`: colorama's exit handler then writes
   * one more `ESC[0m` (capture 04-24), even when the table itself is empty.
   */
  tty?: boolean
}

const RESET = '\u001b[0m'

/**
 * The exact stdout of `--output table` for a (post `--query`) response.
 * A falsy value (`None`, `{}`, `[]`, `""`, `0`, `false`) prints nothing; a truthy scalar
 * prints only the title box.
 *
 * @throws OutputFormatError where the AWS CLI's table code raises (e.g. a list of lists
 *   of different lengths: `Row should have 3 elements, instead it has 2`).
 */
export function formatTable(data: unknown, options: TableOptions): string {
  const builder = new TableBuilder()
  // TableFormatter._format_response: render only when _build_table returned True.
  const output = builder.build(options.title, data)
    ? renderSections(builder.sections, { terminalWidth: options.width, color: options.color })
    : ''
  return options.color && options.tty ? output + RESET : output
}
