import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { operationArguments } from '../../src/cli/arguments.js'
import { parseArgv } from '../../src/cli/argv.js'
import { buildParameters } from '../../src/cli/parameters.js'
import { OPERATIONS } from '../../src/model/index.js'
import { formatJson } from '../../src/output/json.js'
import { CloudmapError } from '../../src/registry/errors.js'
import { listCaptures, readCapture, shellWords } from '../helpers/captures.js'

/**
 * The AWS CLI's own argument pipeline, captured: `showparams` (2.9.19's argparse, file://, shorthand and
 * JSON handling) printed the parameters it would send. Ours must build the same parameters from the same
 * argv, or fail with the same message and exit code.
 */
const SKIPPED: Record<string, string> = {
  '08-59-shorthand-2919-at-equals-not-supported.txt': 'cloudmap follows the current AWS CLI v2, which reads `key@=file://` (08-58); 2.9.19 did not',
}

// The scratch files the captures were recorded next to (their contents are shown by the captures).
const SCRATCH: Record<string, string> = {
  'desc.txt': 'Description from a file\n',
  'attrs.json': '{"version": "9.9", "stage": "beta"}\n',
}

const captures = listCaptures((f) => !f.includes('.latest') || f.startsWith('08-'))
  .map(readCapture)
  .filter((c) => /^showparams(-latest)? servicediscovery /.test(c.command))

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmap-showparams-'))
  for (const [name, text] of Object.entries(SCRATCH)) writeFileSync(join(dir, name), text)
  const previous = process.cwd()
  process.chdir(dir)
  return () => process.chdir(previous)
})

describe('argument parsing matches the AWS CLI (showparams captures)', () => {
  it.for(captures.map((c) => [c.file, c] as const))('%s', ([file, capture], context) => {
    if (SKIPPED[file]) return context.skip(SKIPPED[file])
    const words = shellWords(capture.command)
    expect(words, 'command line parses').toBeDefined()
    const [, , command, ...argv] = words!
    const op = OPERATIONS.find((o) => o.cliName === command)!
    const specs = operationArguments(op)
    let stdout = ''
    let message = ''
    let exitCode = 0
    try {
      stdout = formatJson(buildParameters(parseArgv(argv, specs), specs))
    } catch (error) {
      if (!(error instanceof CloudmapError)) throw error
      message = error.message
      exitCode = { param: 252, usage: 252, 'unknown-option': 252, other: 255, service: 254, config: 253 }[error.kind]
    }
    expect(exitCode).toBe(capture.exitCode)
    if (capture.exitCode === 0) expect(stdout).toBe(capture.stdout === '{}\n' ? '' : capture.stdout)
    // The current v2 echoes a bad shorthand input after a space; the 2.9.19 captures do not.
    else expect(capture.stderr).toContain(message.trim().replace('for input:\n ', 'for input:\n'))
  })
})
