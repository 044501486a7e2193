import { parseArgs } from 'node:util'
import { CommandUsageError } from '../config/command-support.js'
import type { OwnFlags, ParsedOwnFlags } from './own-flags.js'

/**
 * argv (without the command name) against a flag table: the flags, and what was not a flag. The checks
 * oclif would make for these definitions, with its wording, on node:util's parseArgs.
 */
export function parseOwnFlags(argv: readonly string[], table: OwnFlags): { flags: ParsedOwnFlags; positionals: string[] } {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: Object.fromEntries(Object.entries(table).map(([name, f]) => [name, { type: f.type === 'boolean' ? 'boolean' : 'string' }])), strict: true, allowPositionals: true })
  } catch (error) {
    throw new CommandUsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''))
  }
  const flags: ParsedOwnFlags = {}
  const problems: string[] = []
  for (const [name, f] of Object.entries(table)) {
    const raw = parsed.values[name] as string | boolean | undefined
    if (raw === undefined) {
      if (f.required === true) problems.push(`Missing required flag ${name}`)
      flags[name] = f.default
      continue
    }
    if (f.options && !f.options.includes(raw as string)) problems.push(`Expected --${name}=${raw} to be one of: ${f.options.join(', ')}`)
    if (f.type === 'integer') {
      const n = /^-?\d+$/.test(raw as string) ? Number(raw) : Number.NaN
      if (Number.isNaN(n)) problems.push(`Expected an integer but received: ${raw}`)
      else if (f.min !== undefined && n < f.min) problems.push(`Expected an integer greater than or equal to ${f.min} but received: ${raw}`)
      else if (f.max !== undefined && n > f.max) problems.push(`Expected an integer less than or equal to ${f.max} but received: ${raw}`)
      flags[name] = n
    } else flags[name] = raw
    for (const other of f.exclusive ?? []) if (parsed.values[other] !== undefined) problems.push(`--${name}=${raw} cannot also be provided when using --${other}`)
  }
  if (problems.length === 1) throw new CommandUsageError(problems[0])
  if (problems.length > 1) throw new CommandUsageError(`The following errors occurred:\n${problems.map((p) => `  ${p}`).join('\n')}`)
  return { flags, positionals: parsed.positionals }
}
