import type { OperationSpec, PaginatorSpec } from '../model/index.js'
import { normalizeOutput } from '../output/normalize.js'
import type { FormatOptions, OutputFormat } from '../output/render.js'
import { formatValue, query } from '../output/render.js'
import type { Call, PagedResult, PagingOptions } from '../registry/paginate.js'
import { fetchPages, mergePages } from '../registry/paginate.js'

export interface ExecuteOptions {
  output: OutputFormat
  query?: string
  /** false with --no-paginate, or when the caller chose a page with the operation's own token or limit. */
  paginate: boolean
  paging?: PagingOptions
  width?: number
  color?: boolean
  tty?: boolean
}

/**
 * Call one operation and print its response as the AWS CLI would: the whole pipeline after argument
 * parsing, whichever backend `call` reaches. Where --query applies follows awscli/formatter.py:
 * json, yaml and table query the merged pages once; text queries each page (and the resume token);
 * yaml-stream prints each page as its own document.
 */
export async function executeOperation(spec: OperationSpec, params: Record<string, unknown>, options: ExecuteOptions, call: Call): Promise<string> {
  const format: FormatOptions = { format: options.output, operationName: spec.name, width: options.width ?? 80, color: options.color ?? false, tty: options.tty ?? false }
  const p = spec.paginator
  if (p === undefined || !options.paginate) {
    const data = normalizeOutput(await call(params), spec.output)
    return formatValue(await query(options.query, data), format)
  }
  const result = await fetchPages(p, params, call, options.paging)
  const pages = result.pages.map((page) => normalizeOutput(page, spec.output))
  switch (options.output) {
    case 'text':
      return textPages(p, result, pages, options, format)
    case 'yaml-stream': {
      const { formatYamlStream } = await import('../output/yaml.js')
      const queried = await Promise.all(pages.map((page) => query(options.query, page)))
      return formatYamlStream(queried, { paginated: true })
    }
    default: {
      const merged = mergePages(p, { ...result, pages })
      return formatValue(await query(options.query, merged), format)
    }
  }
}

/** TextFormatter on a paginated response: page by page, page 1 with the non-aggregate keys. */
async function textPages(p: PaginatorSpec, result: PagedResult, pages: Record<string, unknown>[], options: ExecuteOptions, format: FormatOptions): Promise<string> {
  let out = ''
  const documents = pages.map((page, i) => ({ ...(i === 0 ? result.nonAggregate : {}), [p.resultKey]: page[p.resultKey] ?? null }))
  if (result.resumeToken !== undefined) documents.push({ [p.outputToken]: { [p.outputToken]: result.resumeToken } })
  for (const document of documents) {
    try {
      out += await formatValue(await query(options.query, document), format)
    } catch (error) {
      // Earlier pages were already printed when the AWS CLI's formatter fails on a later one.
      if (error instanceof Error && 'partialOutput' in error) error.partialOutput = out + String(error.partialOutput)
      throw error
    }
  }
  return out
}
