import jmespath from 'jmespath'
import { paramError } from '../registry/errors.js'

// jmespath.js exports compile(); its type definitions omit it.
const { compile } = jmespath as unknown as { compile(expression: string): unknown }

/**
 * Compile-check a --query expression up front, as the AWS CLI does before calling the service, with
 * jmespath.py's wording where we can tell the kind of failure (an expression that ends too early).
 */
export function checkQuery(expression: string): void {
  try {
    compile(expression)
  } catch (error) {
    const message = (error as Error).message
    const detail = /EOF/.test(message)
      ? `Incomplete expression:\n"${expression}"\n${' '.repeat(expression.length + 1)}^`
      : message
    throw paramError(`Bad value for --query ${expression}: Invalid jmespath expression: ${detail}`)
  }
}

export function applyQuery(expression: string, data: unknown): unknown {
  return jmespath.search(plain(data) as Parameters<typeof jmespath.search>[0], expression)
}

/** JMESPath works on plain objects: ordered Maps (integer-like keys) become objects under --query. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [k, plain(v)]))
  if (Array.isArray(value)) return value.map(plain)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
  return value
}
