import jmespath from 'jmespath'

// jmespath.js exports compile(); its type definitions omit it.
const { compile } = jmespath as unknown as { compile(expression: string): unknown }
import { usageError } from '../registry/errors.js'

/** Compile-check a --query expression up front, as the AWS CLI does before calling the service. */
export function checkQuery(expression: string): void {
  try {
    compile(expression)
  } catch (error) {
    throw usageError(`argument --query: Bad value for --query ${expression}: ${(error as Error).message}`)
  }
}

export function applyQuery(expression: string, data: unknown): unknown {
  return jmespath.search(data as Parameters<typeof jmespath.search>[0], expression)
}
