import type { OperationSpec } from '../model/index.js'

export type Call = (input: Record<string, unknown>) => Promise<Record<string, unknown>>

/**
 * The AWS CLI's full pagination (botocore PageIterator.build_full_result): follow the output token
 * until it runs out, concatenate the result key's lists, keep non-aggregate keys (ListInstances'
 * ResourceOwner) from the pages — null when no page had them — and drop the token. Key order is the
 * merged dict's: result key first, then the non-aggregate keys.
 */
export async function fetchAllPages(op: OperationSpec, input: Record<string, unknown>, call: Call): Promise<Record<string, unknown>> {
  const p = op.paginator
  if (!p) return call(input)
  const items: unknown[] = []
  const nonAggregate: Record<string, unknown> = Object.fromEntries((p.nonAggregateKeys ?? []).map((k) => [k, null]))
  let token: unknown
  const seen = new Set<string>()
  do {
    const page = await call(token === undefined ? input : { ...input, [p.inputToken]: token })
    const list = page[p.resultKey]
    if (Array.isArray(list)) items.push(...list)
    for (const key of p.nonAggregateKeys ?? []) if (page[key] !== undefined && page[key] !== null) nonAggregate[key] = page[key]
    token = page[p.outputToken]
    // botocore stops a paginator that hands back a token it already gave (a looping service).
    if (typeof token === 'string') {
      if (seen.has(token)) break
      seen.add(token)
    }
  } while (token !== undefined && token !== null && token !== '')
  return { [p.resultKey]: items, ...nonAggregate }
}
