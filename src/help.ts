import { CommandHelp, Help } from '@oclif/core'
import type { Command } from '@oclif/core'
import { operationArguments } from './cli/arguments.js'
import { jsonSyntax, listSyntax, shorthandSyntax } from './cli/parameter-syntax.js'
import { HELP_DOCS } from './model/help-docs.js'
import type { OperationSpec } from './model/index.js'
import { OPERATIONS, shape } from './model/index.js'

/** Indent of the text under a parameter's heading, inside oclif's section indent. */
const DOC_INDENT = 4
const SECTION_INDENT = 2

/**
 * Help of an operation command as `aws servicediscovery CMD help` teaches it (awscli/clidocs.py): the
 * model's documentation of the operation (DESCRIPTION) and, under PARAMETERS, of each parameter with its
 * type, the allowed values of an enum and the Shorthand Syntax and JSON Syntax of structures; then oclif's
 * flag lists and our examples. The one-line summary is printed once, above USAGE.
 */
class OperationCommandHelp extends CommandHelp {
  constructor(
    command: Command.Loadable,
    config: ConstructorParameters<typeof CommandHelp>[1],
    opts: ConstructorParameters<typeof CommandHelp>[2],
    private readonly op: OperationSpec,
  ) {
    super(command, config, opts)
  }

  /** Plain-text documentation (a paragraph a line, `- ` items) wrapped to the terminal at an indent. */
  private paragraphs(text: string, indent: number): string {
    const lines = text.split('\n').filter((line) => line.trim())
    const isItem = (line: string | undefined) => line !== undefined && /^ *- /.test(line)
    return lines
      .map((line, n) => {
        const bullet = /^( *- )?/.exec(line)![0]
        const body = this.wrap(line.slice(bullet.length), SECTION_INDENT + indent + bullet.length).split('\n')
        const wrapped = body.map((l, i) => ' '.repeat(indent) + (i === 0 ? bullet : ' '.repeat(bullet.length)) + l).join('\n')
        // Items of one list follow each other; paragraphs are apart.
        return n === 0 ? wrapped : `${isItem(line) && isItem(lines[n - 1]) ? '\n' : '\n\n'}${wrapped}`
      })
      .join('')
  }

  /** A code block (never wrapped: a syntax line is copied as a whole). */
  private block(label: string, code: string): string {
    return `${' '.repeat(DOC_INDENT)}${label}:\n\n${code
      .split('\n')
      .map((l) => (l ? ' '.repeat(DOC_INDENT * 2) + l : ''))
      .join('\n')}`
  }

  protected override description(): string | undefined {
    const doc = HELP_DOCS[this.op.name]?.operation ?? ''
    // The command's own description (what cloudmap does with it) follows the model's.
    return [doc ? this.paragraphs(doc, 0) : '', this.wrap(this.command.description ?? '')].filter(Boolean).join('\n\n')
  }

  private parameters(): string | undefined {
    const docs = HELP_DOCS[this.op.name]?.members ?? {}
    const parts = operationArguments(this.op)
      .filter((a) => a.member && a.shapeName && !a.hidden)
      .map((a) => {
        const s = shape(a.shapeName!)
        const out = [`--${a.name} (${s.type})${a.required ? ' [required]' : ''}`]
        const doc = docs[a.member!]
        if (doc) out.push(this.paragraphs(doc, DOC_INDENT))
        if (s.type === 'string' && s.enum) out.push(`${' '.repeat(DOC_INDENT)}Possible values:\n\n${s.enum.map((v) => `${' '.repeat(DOC_INDENT + 2)}- ${v}`).join('\n')}`)
        const shorthand = shorthandSyntax(a.shapeName!)
        if (shorthand) out.push(this.block('Shorthand Syntax', shorthand))
        const json = jsonSyntax(a.shapeName!)
        if (json) out.push(this.block('JSON Syntax', json))
        const list = listSyntax(a.shapeName!)
        if (list) out.push(this.block('Syntax', list))
        return out.join('\n\n')
      })
    return parts.length ? parts.join('\n\n') : undefined
  }

  protected override sections(): ReturnType<CommandHelp['sections']> {
    const sections = super.sections()
    const at = sections.findIndex((s) => s.header === 'DESCRIPTION')
    sections.splice(at + 1, 0, { header: 'PARAMETERS', generate: () => this.parameters() })
    return sections
  }
}

/** oclif's help, with the operation commands' help of OperationCommandHelp (package.json oclif.helpClass). */
export default class CloudmapHelp extends Help {
  protected override getCommandHelpClass(command: Command.Loadable): CommandHelp {
    const op = OPERATIONS.find((o) => o.cliName === command.id)
    return op ? new OperationCommandHelp(command, this.config, this.opts, op) : super.getCommandHelpClass(command)
  }
}
