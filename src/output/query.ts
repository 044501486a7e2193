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
  return jmespath.search(data as Parameters<typeof jmespath.search>[0], expression)
}
