import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePythonJson } from '../../src/args/python-json.js'
import { formatJson } from '../../src/output/json.js'
import { applyQuery, checkQuery } from '../../src/output/query.js'
import { CloudmapError } from '../../src/registry/errors.js'

/**
 * --query against jmespath.py as the AWS CLI v2 runs it: every case recorded from jmespath.py itself
 * (scripts/record-query-cases.py) — the JSON the AWS CLI prints, its "Bad value for --query" message
 * (exit 252), or the evaluation error it ends with (exit 255).
 */
interface QueryCase {
  expression: string
  stdout?: string
  compileError?: string
  error?: string
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'query-cases.json'), 'utf8')) as { data: string; cases: QueryCase[] }
// The data as botocore hands it over: Python's json types (floats stay floats, integers exact).
const data = () => parsePythonJson(fixture.data, { pythonFloats: true, orderedIntegerKeys: true })

function outcome(expression: string): QueryCase {
  try {
    checkQuery(expression)
  } catch (error) {
    if (error instanceof CloudmapError && error.kind === 'param') return { expression, compileError: error.message }
    throw error
  }
  try {
    return { expression, stdout: formatJson(applyQuery(expression, data())) }
  } catch (error) {
    if (error instanceof CloudmapError && error.kind === 'other') return { expression, error: error.message }
    throw error
  }
}

describe('--query is jmespath.py (recorded from jmespath.py 1.0.1, the AWS CLI v2\'s)', () => {
  it('has the recorded cases', () => expect(fixture.cases.length).toBeGreaterThan(100))
  it.each(fixture.cases.map((c) => [c.expression, c] as const))('%s', (expression, recorded) => {
    expect(outcome(expression)).toEqual(recorded)
  })
})
