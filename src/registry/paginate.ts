import { parsePythonJson } from '../args/python-json.js'
import type { PaginatorSpec } from '../model/index.js'

export type Call = (input: Record<string, unknown>) => Promise<Record<string, unknown>>

/** The AWS CLI's client-side paging controls (--starting-token, --page-size, --max-items). */
export interface PagingOptions {
  startingToken?: string
  pageSize?: number
  maxItems?: number
}

export interface PagedResult {
  /** Each page as the service sent it, the result list cut where --starting-token/--max-items say. */
  pages: Record<string, unknown>[]
  /** Non-aggregate keys (ListInstances' ResourceOwner) from the first page, null when it had none. */
  nonAggregate: Record<string, unknown>
  /** The token to print when --max-items cut the listing short. */
  resumeToken?: string
}

/**
 * botocore's PageIterator: follow the output token, cut the listing at --max-items, and describe where
 * to resume as the AWS CLI does: base64 of Python's json.dumps of {"NextToken": ..., "boto_truncate_amount": n}.
 */
export async function fetchPages(p: PaginatorSpec, input: Record<string, unknown>, call: Call, options: PagingOptions = {}): Promise<PagedResult> {
  const pages: Record<string, unknown>[] = []
  const nonAggregate: Record<string, unknown> = {}
  const { params: startingParams, skip } = parseStartingToken(options.startingToken, p.inputToken)
  const request = { ...input }
  // botocore's _inject_token_into_kwargs: every key of a decoded starting token goes into the request
  // (where client-side validation then judges it: an unknown key or a wrong type is a parameter error);
  // a null or 'None' one removes the key. The page size is set after it.
  for (const [name, value] of Object.entries(startingParams)) {
    if (value !== null && value !== 'None') request[name] = value
    else delete request[name]
  }
  if (options.pageSize !== undefined) request[p.limitKey] = options.pageSize
  let token: unknown = request[p.inputToken] ?? null
  let total = 0
  let previous: unknown
  for (let first = true; ; first = false) {
    const page = await call(token === null ? request : { ...request, [p.inputToken]: token })
    let items = Array.isArray(page[p.resultKey]) ? (page[p.resultKey] as unknown[]) : []
    let startingCut = 0
    if (first) {
      // The starting token's truncate amount drops the items a previous --max-items already printed.
      if (skip > 0) {
        items = items.slice(skip)
        page[p.resultKey] = items
        startingCut = skip
      }
      for (const key of p.nonAggregateKeys ?? []) nonAggregate[key] = page[key] ?? null
    }
    const over = options.maxItems === undefined ? 0 : total + items.length - options.maxItems
    if (over > 0) {
      const keep = items.length - over
      page[p.resultKey] = items.slice(0, keep)
      pages.push(page)
      return { pages, nonAggregate, resumeToken: encodeToken({ [p.inputToken]: token, boto_truncate_amount: keep + startingCut }) }
    }
    pages.push(page)
    total += items.length
    const next = page[p.outputToken]
    if (next === undefined || next === null) return { pages, nonAggregate }
    if (options.maxItems !== undefined && total === options.maxItems) {
      return { pages, nonAggregate, resumeToken: encodeToken({ [p.inputToken]: next }) }
    }
    // botocore refuses a service that hands back the token it was just given.
    if (previous !== undefined && previous === next) throw new Error(`The same next token was received twice: {'${p.inputToken}': '${String(next)}'}`)
    previous = next
    token = next
  }
}

/**
 * build_full_result: the result lists concatenated, then the non-aggregate keys, then the resume token.
 * A result key no page carried stays absent (so the response prints as nothing).
 */
export function mergePages(p: PaginatorSpec, result: PagedResult): Record<string, unknown> {
  const merged: Record<string, unknown> = {}
  for (const page of result.pages) {
    const items = page[p.resultKey]
    if (!Array.isArray(items)) continue
    merged[p.resultKey] = [...((merged[p.resultKey] as unknown[] | undefined) ?? []), ...items]
  }
  Object.assign(merged, result.nonAggregate)
  if (result.resumeToken !== undefined) merged[p.outputToken] = result.resumeToken
  return merged
}

/** base64(json.dumps(token)) with Python's default separators. */
function encodeToken(token: Record<string, unknown>): string {
  const json = `{${Object.entries(token).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v ?? null)}`).join(', ')}}`
  return Buffer.from(json, 'utf8').toString('base64')
}

/**
 * A --starting-token: base64 of a JSON object (ours and botocore's), whose keys are request parameters
 * (boto_truncate_amount aside), or — when it does not decode — a raw service token (also the legacy
 * `token___index` form), as botocore's _parse_starting_token accepts.
 */
function parseStartingToken(startingToken: string | undefined, inputToken: string): { params: Record<string, unknown>; skip: number } {
  if (startingToken === undefined) return { params: {}, skip: 0 }
  const raw = (token: string, skip: number) => ({ params: token === 'None' ? {} : { [inputToken]: token }, skip })
  let decoded: unknown
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(startingToken) || startingToken.length % 4 !== 0) throw new Error('not base64')
    decoded = parsePythonJson(Buffer.from(startingToken, 'base64').toString('utf8'))
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new Error('not a token')
  } catch {
    const parts = startingToken.split('___')
    if (parts.length === 2 && /^[+-]?\d+$/.test(parts[1])) return raw(parts[0], Number(parts[1]))
    return raw(startingToken, 0)
  }
  const { boto_truncate_amount: skip, ...params } = decoded as Record<string, unknown>
  return { params, skip: typeof skip === 'number' ? skip : 0 }
}
