import { formatJson } from './json.js'

export type OutputFormat = 'json' | 'text' | 'table' | 'yaml' | 'yaml-stream'

export interface RenderOptions {
  format: OutputFormat
  /** The AWS operation name: the table title. */
  operationName: string
  query?: string
  /** Terminal width for tables (80 when not a terminal, as the AWS CLI). */
  width: number
  color: boolean
}

/**
 * The one output pipeline (awscli/formatter.py): --query applied to the normalised response, then the
 * chosen formatter. Formatters other than JSON load lazily.
 */
export async function render(data: unknown, options: RenderOptions): Promise<string> {
  let value = data
  if (options.query !== undefined) {
    const { applyQuery } = await import('./query.js')
    value = applyQuery(options.query, value)
  }
  switch (options.format) {
    case 'json':
      return formatJson(value)
    default:
      throw new Error(`output format ${options.format} is not available yet`)
  }
}
