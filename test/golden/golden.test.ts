import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { operationArguments } from '../../src/cli/arguments.js'
import { parseArgv } from '../../src/cli/argv.js'
import { executeOperation } from '../../src/cli/execute.js'
import { buildParameters } from '../../src/cli/parameters.js'
import { describeError } from '../../src/cli/report-error.js'
import { executeOptions } from '../../src/cli/run-operation.js'
import { resolveSettings } from '../../src/cli/settings.js'
import { parseResponseBody } from '../../src/backends/remote/response-body.js'
import { operationSpec, structureShape } from '../../src/model/index.js'
import type { OperationSpec } from '../../src/model/index.js'
import type { OutputFormat } from '../../src/output/render.js'
import { serviceError } from '../../src/registry/errors.js'

// Golden tests: the AWS CLI v2's recorded stdout for real moto_server responses (scripts/record-goldens.mjs,
// fixtures in test/golden/fixtures) against cloudmap's output pipeline fed the very same response bodies.

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')

interface Page {
  operation: string
  host: string
  request: Record<string, unknown>
  status: number
  response: string
}

interface Fixture {
  command: string[]
  operation: string
  pages: Page[]
  stdout: Partial<Record<OutputFormat, string>>
  stderr: string
  exitCode: number
  pagesByFormat?: Partial<Record<OutputFormat, Page[]>>
}

const fixtures: [string, Fixture][] = readdirSync(FIXTURES)
  .filter((f) => /^\d\d-.*\.json$/.test(f))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Fixture])

/** Every output format the fixtures recorded. */
const FORMATS: OutputFormat[] = ['json', 'text', 'table', 'yaml', 'yaml-stream']

const strip = (o: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)))

/** The argv of a fixture through cloudmap's own argument parsing, the way operation-command.ts builds it. */
function cloudmapParams(spec: OperationSpec, argv: readonly string[]): Record<string, unknown> {
  const specs = operationArguments(spec)
  return buildParameters(parseArgv(argv.slice(1), specs), specs)
}

/** --query, --no-paginate and the client-side paging options of a fixture's argv, as cloudmap derives them. */
function optionsOf(spec: OperationSpec, argv: readonly string[]) {
  const specs = operationArguments(spec)
  const parsed = parseArgv(argv.slice(1), specs)
  const settings = resolveSettings(parsed, { AWS_DEFAULT_REGION: 'us-east-1', HOME: '/nonexistent', CLOUDMAP_CONFIG_DIR: '/nonexistent/cloudmap' })
  return executeOptions(spec, buildParameters(parsed, specs), settings, parsed)
}

/**
 * The AWS CLI's --page-size becomes the operation's limit parameter (MaxResults) on every request; it is
 * not an operation parameter: left out of the parameters, it comes back through the paging options.
 */
function pagingKeysToIgnore(spec: OperationSpec, argv: readonly string[]): string[] {
  return spec.paginator && argv.includes('--page-size') ? [spec.paginator.limitKey] : []
}

describe.each(fixtures)('golden %s', (_name, fx) => {
  const spec = operationSpec(fx.operation)
  const ignore = pagingKeysToIgnore(spec, fx.command)

  it('was recorded sanely (one operation, a sane token chain)', () => {
    expect(fx.command[0]).toBe(spec.cliName)
    expect(fx.pages.length).toBeGreaterThan(0)
    for (const p of fx.pages) expect(p.operation).toBe(fx.operation)
    const pg = spec.paginator
    if (pg) {
      fx.pages.forEach((p, i) => {
        // --starting-token resumes from a token of an earlier run.
        if (i === 0 && fx.command.includes('--starting-token')) return
        const previous = i === 0 ? undefined : (JSON.parse(fx.pages[i - 1].response) as Record<string, unknown>)[pg.outputToken]
        expect(p.request[pg.inputToken]).toBe(previous)
      })
    } else {
      expect(fx.pages.length).toBe(1)
    }
  })

  it('argument parsing builds the request the AWS CLI sent', () => {
    const sent = strip(fx.pages[0].request, ignore)
    const params = cloudmapParams(spec, fx.command)
    // Idempotency tokens are random UUIDs filled in when absent (both CLIs): take the recorded ones.
    for (const token of structureShape(spec.input).idempotencyTokens ?? []) {
      if (params[token] === undefined && sent[token] !== undefined) params[token] = sent[token]
    }
    expect(params).toEqual(sent)
  })

  if (fx.exitCode !== 0) {
    it('error: the same "An error occurred" sentence and exit code', () => {
      const page = fx.pages[fx.pages.length - 1]
      const body = JSON.parse(page.response) as { __type: string; message?: string; Message?: string }
      const code = body.__type.replace(/^.*#/, '')
      const { stderr, exitCode } = describeError(serviceError(code, body.message ?? body.Message ?? '', page.status), fx.operation)
      // 2.9.19 writes "\n<sentence>\n"; the current v2 (and cloudmap) "\naws: [ERROR]: <sentence>\n", and
      // strips the line, so an empty message leaves no trailing space (2.9.19 keeps "operation: ").
      const sentence = (s: string) => s.replace(/^\n(?:(?:aws|cloudmap): (?:\[ERROR\]: )?)?/, '').replace(/\s+$/, '')
      expect(sentence(stderr)).toBe(sentence(fx.stderr))
      expect(exitCode).toBe(fx.exitCode)
      for (const format of FORMATS) if (fx.stdout[format] !== undefined) expect(fx.stdout[format]).toBe('')
    })
    return
  }

  for (const format of FORMATS) {
    const expected = fx.stdout[format]
    if (expected === undefined) continue
    it(`stdout --output ${format} is byte-identical`, async () => {
      const pages = fx.pagesByFormat?.[format] ?? fx.pages
      let i = 0
      const call = async (input: Record<string, unknown>) => {
        if (i >= pages.length) throw new Error(`call ${i + 1}: the AWS CLI made only ${pages.length} call(s)`)
        const page = pages[i]
        // The request chain: same parameters (MaxResults from --page-size included), and the token the
        // previous page handed back.
        expect(input, `request ${i + 1}`).toEqual(page.request)
        i++
        return parseResponseBody(Buffer.from(page.response))
      }
      const pg = spec.paginator
      const params = strip(pg ? strip(pages[0].request, [pg.inputToken]) : pages[0].request, ignore)
      const out = await executeOperation(spec, params, { ...optionsOf(spec, fx.command), output: format, width: 80, color: false, tty: false }, call)
      expect(out).toBe(expected)
      expect(i, 'number of calls').toBe(pages.length)
    })
  }
})
