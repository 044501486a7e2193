import type { ArgumentSpec } from './arguments.js'
import { CloudmapError, usageError } from '../registry/errors.js'

/** Raw values by argument name: a string, a list of strings (arity 'list'), or true (flags). */
export type ParsedArgs = Map<string, string | string[] | true>

/**
 * argparse's rule for "does this token look like an option" (_parse_optional): it starts with '-', is
 * not '-' alone nor a negative number (none of our options look like negative numbers), and has no space
 * unless it is a known option (or a prefix of one) with `=value`.
 */
function looksLikeOption(token: string, byName: Map<string, ArgumentSpec>, specs: readonly ArgumentSpec[]): boolean {
  if (!token.startsWith('-') || token === '-' || /^-\d+$|^-\d*\.\d+$/.test(token)) return false
  if (!token.includes(' ')) return true
  const eq = token.indexOf('=')
  if (!token.startsWith('--') || eq === -1) return false
  return matchOption(token.slice(2, eq), specs, byName).length > 0
}

/**
 * The options a written long-option name means, as argparse's allow_abbrev reads it: the option of that
 * exact name, else every option whose name starts with it (one: that option; several: ambiguous).
 */
export function matchOption(written: string, specs: readonly ArgumentSpec[], byName?: ReadonlyMap<string, ArgumentSpec>): ArgumentSpec[] {
  const exact = byName ? byName.get(written) : specs.find((s) => s.name === written)
  if (exact) return [exact]
  return written === '' ? [] : specs.filter((s) => s.name.startsWith(written))
}

export interface ParseOptions {
  /**
   * No option is required (the AWS CLI's OverrideRequiredArgsArgument: --cli-input-json,
   * --cli-input-yaml or --generate-cli-skeleton given as an exact token; see cli-input.ts).
   */
  requiredOptional?: boolean
}

/**
 * Parse argv as the AWS CLI's argparse parser does (parse_known_args, allow_abbrev):
 * `--opt value` and `--opt=value`; unique prefixes of long options; a repeated option keeps the last
 * value; list arguments take every following token up to the next option; missing required options
 * are reported together in definition order; leftovers become "Unknown options: a, b".
 */
export function parseArgv(argv: readonly string[], specs: readonly ArgumentSpec[], options: ParseOptions = {}): ParsedArgs {
  const parsed: ParsedArgs = new Map()
  const leftovers: string[] = []
  const byName = new Map(specs.map((s) => [s.name, s]))
  const isOption = (token: string) => looksLikeOption(token, byName, specs)

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (token === '--') {
      leftovers.push(...argv.slice(i + 1))
      break
    }
    if (!token.startsWith('--') || !isOption(token)) {
      leftovers.push(token)
      continue
    }
    const eq = token.indexOf('=')
    const written = eq === -1 ? token.slice(2) : token.slice(2, eq)
    const explicit = eq === -1 ? undefined : token.slice(eq + 1)
    const spec = resolve(written, byName, specs)
    if (!spec) {
      leftovers.push(token)
      continue
    }
    const flag = `--${spec.name}`
    switch (spec.arity) {
      case 'flag':
        if (explicit !== undefined) throw usageError(`argument ${flag}: ignored explicit argument '${explicit}'`)
        parsed.set(spec.name, true)
        break
      case 'one': {
        let value = explicit
        if (value === undefined) {
          const next = argv[i + 1]
          if (next === undefined || isOption(next)) throw usageError(`argument ${flag}: expected one argument`)
          value = next
          i++
        }
        checkChoice(spec, value)
        parsed.set(spec.name, value)
        break
      }
      case 'optional': {
        let value = explicit
        if (value === undefined) {
          const next = argv[i + 1]
          if (next !== undefined && !isOption(next)) {
            value = next
            i++
          } else {
            value = spec.constValue ?? ''
          }
        }
        checkChoice(spec, value)
        parsed.set(spec.name, value)
        break
      }
      case 'list': {
        const values: string[] = explicit === undefined ? [] : [explicit]
        if (explicit === undefined) {
          while (i + 1 < argv.length && !isOption(argv[i + 1])) values.push(argv[++i])
        }
        parsed.set(spec.name, values)
        break
      }
    }
  }

  const missing = options.requiredOptional ? [] : specs.filter((s) => s.required && !parsed.has(s.name)).map((s) => `--${s.name}`)
  if (missing.length > 0) throw usageError(`the following arguments are required: ${missing.join(', ')}`)
  if (leftovers.length > 0) throw new CloudmapError('unknown-option', `Unknown options: ${leftovers.join(', ')}`)
  return parsed
}

function resolve(written: string, byName: Map<string, ArgumentSpec>, specs: readonly ArgumentSpec[]): ArgumentSpec | undefined {
  const matches = matchOption(written, specs, byName)
  if (matches.length > 1) throw usageError(`ambiguous option: --${written} could match ${matches.map((s) => `--${s.name}`).join(', ')}`)
  return matches[0]
}

function checkChoice(spec: ArgumentSpec, value: string): void {
  if (spec.choices && !spec.choices.includes(value)) {
    // The AWS CLI's message ends in a newline, which leaves a blank line before the usage text.
    throw usageError(`argument --${spec.name}: Found invalid choice '${value}'\n`)
  }
}
