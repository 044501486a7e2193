import type { OperationSpec } from '../model/index.js'
import { normalizeOutput } from '../output/normalize.js'
import { render } from '../output/render.js'
import type { Call } from '../registry/paginate.js'
import { fetchAllPages } from '../registry/paginate.js'
import type { Settings } from './settings.js'

/**
 * Call one operation and render its response as the AWS CLI would: the whole pipeline after argument
 * parsing, independent of the backend (`call` is the backend's invoke).
 */
export async function executeOperation(spec: OperationSpec, params: Record<string, unknown>, settings: Pick<Settings, 'output' | 'query' | 'paginate'>, call: Call): Promise<string> {
  // Pagination is the AWS CLI's: every page unless --no-paginate or the caller picked a page itself
  // with the operation's own token or limit parameter (awscli/customizations/paginate.py).
  const p = spec.paginator
  const paginate = p !== undefined && settings.paginate && params[p.inputToken] === undefined && params[p.limitKey] === undefined
  let data: Record<string, unknown>
  if (paginate) {
    const merged = await fetchAllPages(spec, params, call)
    const normalized = normalizeOutput(merged, spec.output)
    // The merged dict's key order (result key first, then non-aggregate keys) is what gets printed.
    data = Object.fromEntries(Object.keys(merged).map((k) => [k, k in normalized ? normalized[k] : merged[k]]))
  } else {
    data = normalizeOutput(await call(params), spec.output)
  }
  return render(data, { format: settings.output, operationName: spec.name, query: settings.query, width: 80, color: false })
}
