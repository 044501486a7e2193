import { describe, expect, it } from 'vitest'
import { validateParameters } from '../../src/args/validate.js'
import { operationArguments } from '../../src/cli/arguments.js'
import { parseArgv } from '../../src/cli/argv.js'
import { operationExamples } from '../../src/cli/examples.js'
import { buildParameters } from '../../src/cli/parameters.js'
import { OPERATIONS } from '../../src/model/index.js'
import { shellWords } from '../helpers/captures.js'

// Every example in `cloudmap <command> --help` is a command line that parses and passes validation.
describe('help examples', () => {
  it.each(OPERATIONS.flatMap((op) => operationExamples(op).map((example) => [op.cliName, example, op] as const)))('%s: %s', (_name, example, op) => {
    const words = shellWords(example.replace('<%= config.bin %>', 'cloudmap'))!
    expect(words.slice(0, 2)).toEqual(['cloudmap', op.cliName])
    const specs = operationArguments(op)
    const params = buildParameters(parseArgv(words.slice(2), specs), specs)
    expect(() => validateParameters(params, op.input)).not.toThrow()
  })
})
