import { formatJson } from './json.js'

export type OutputFormat = 'json' | 'text' | 'table' | 'yaml' | 'yaml-stream' | 'off'

export interface FormatOptions {
  format: OutputFormat
  /** The AWS operation name: the table title. */
  operationName: string
  /** Terminal width for tables (80 when stdout is not a terminal, as the AWS CLI). */
  width: number
  color: boolean
  tty: boolean
}

/**
 * One (post --query) value printed in one format (awscli/formatter.py's formatters). Formatters other
 * than JSON load lazily. yaml-stream of a single response is the one-document stream.
 */
export async function formatValue(value: unknown, options: FormatOptions): Promise<string> {
  switch (options.format) {
    case 'json':
      return formatJson(value)
    case 'text':
      return (await import('./text.js')).formatText(value)
    case 'table':
      return (await import('./table/index.js')).formatTable(value, { title: options.operationName, width: options.width, color: options.color, tty: options.tty })
    case 'yaml':
      return (await import('./yaml.js')).formatYaml(value)
    case 'yaml-stream':
      return (await import('./yaml.js')).formatYamlStream([value])
    case 'off':
      return ''
  }
}

/** --query, when given, on a value about to be formatted. */
export async function query(expression: string | undefined, value: unknown): Promise<unknown> {
  if (expression === undefined) return value
  return (await import('./query.js')).applyQuery(expression, value)
}
