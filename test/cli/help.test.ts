import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { operationArguments } from '../../src/cli/arguments.js'
import { jsonSyntax, listSyntax, shorthandSyntax } from '../../src/cli/parameter-syntax.js'
import { HELP_DOCS } from '../../src/model/help-docs.js'
import { OPERATIONS, shape } from '../../src/model/index.js'
import { ROOT, runCli } from '../helpers/cli.js'

interface Recorded {
  type: string
  possibleValues?: string[]
  shorthand?: string
  json?: string
  syntax?: string
}

// What `aws servicediscovery CMD help` prints for each parameter (scripts/record-help-syntax.mjs).
const recorded = JSON.parse(readFileSync(join(ROOT, 'test/cli/fixtures/help-syntax.json'), 'utf8')) as { operations: Record<string, Record<string, Recorded>> }

const parameters = OPERATIONS.flatMap((op) =>
  operationArguments(op)
    .filter((a) => a.member && !a.hidden)
    .map((a) => [`${op.cliName} --${a.name}`, op.cliName, a.name, a.shapeName!] as const),
)

describe('parameter syntax as the AWS CLI documents it', () => {
  it('covers every parameter the AWS CLI documents', () => {
    const documented = Object.entries(recorded.operations).flatMap(([command, options]) => Object.keys(options).map((name) => `${command} --${name}`))
    expect(parameters.map(([label]) => label).sort()).toEqual(documented.sort())
  })

  it.each(parameters)('%s', (_label, command, name, shapeName) => {
    const expected = recorded.operations[command][name]
    const s = shape(shapeName)
    expect(s.type).toBe(expected.type)
    expect(s.type === 'string' ? s.enum : undefined).toEqual(expected.possibleValues)
    expect(shorthandSyntax(shapeName)).toBe(expected.shorthand)
    expect(jsonSyntax(shapeName)).toBe(expected.json)
    expect(listSyntax(shapeName)).toBe(expected.syntax)
  })
})

/** The lines of a code block as help prints them (8 spaces under a parameter, inside the section's 2). */
const indented = (code: string) => code.split('\n').map((l) => (l ? `          ${l}` : '')).join('\n')

describe('cloudmap CMD --help teaches the command', () => {
  it.each(['create-service', 'register-instance', 'list-services', 'update-instance-custom-health-status', 'untag-resource'])('%s', (command) => {
    const op = OPERATIONS.find((o) => o.cliName === command)!
    const r = runCli([command, '--help'], { COLUMNS: '80' })
    expect(r.status).toBe(0)
    const out = r.stdout
    const words = (text: string) => text.split(/\s+/).filter(Boolean).join(' ')
    // The model's documentation of the operation and of each parameter, each once.
    const flat = words(out)
    const firstParagraph = words(HELP_DOCS[op.name].operation.split('\n')[0])
    expect(flat).toContain(firstParagraph)
    expect(flat.split(firstParagraph)).toHaveLength(2)
    for (const [member, doc] of Object.entries(HELP_DOCS[op.name].members)) {
      const paragraph = words(doc.split('\n')[0])
      if (!paragraph || operationArguments(op).find((a) => a.member === member)?.hidden) continue
      expect(flat.split(paragraph).length, member).toBe(2)
    }
    // Our one-line summary, once.
    expect(out.split(op.summary)).toHaveLength(2)
    for (const [name, expected] of Object.entries(recorded.operations[command])) {
      expect(out).toContain(`--${name} (${expected.type})`)
      if (expected.shorthand) expect(out).toContain(`Shorthand Syntax:\n\n${indented(expected.shorthand)}`)
      if (expected.json) expect(out).toContain(`JSON Syntax:\n\n${indented(expected.json)}`)
      if (expected.syntax) expect(out).toContain(`Syntax:\n\n${indented(expected.syntax)}`)
      if (expected.possibleValues) expect(out).toContain(`Possible values:\n\n${expected.possibleValues.map((v) => `        - ${v}`).join('\n')}`)
    }
    expect(out).toContain(`EXAMPLES\n  $ cloudmap ${command}`)
  })
})
