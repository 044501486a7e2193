import { CloudmapError, paramError } from '../registry/errors.js'
import { compile, JmesPathError, search } from './jmespath.js'

/**
 * Compile-check a --query expression up front, as the AWS CLI does before calling the service
 * (awscli/customizations/globalargs.py: "Bad value for --query EXPR: <jmespath.py's error>").
 */
export function checkQuery(expression: string): void {
  try {
    compile(expression)
  } catch (error) {
    if (error instanceof JmesPathError) throw paramError(`Bad value for --query ${expression}: ${error.message}`)
    throw error
  }
}

/**
 * --query on a response. An error while evaluating (a function given the wrong type, an unknown
 * function, Python's TypeError on comparing a number with a string) ends the command as it ends the AWS
 * CLI: the message alone, exit 255.
 */
export function applyQuery(expression: string, data: unknown): unknown {
  try {
    return search(expression, data)
  } catch (error) {
    if (error instanceof JmesPathError) throw new CloudmapError('other', error.message)
    throw error
  }
}
