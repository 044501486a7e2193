import type { Hook } from '@oclif/core'
import { closeMatches } from '../cli/close-matches.js'
import { describeError } from '../cli/report-error.js'
import { usageError } from '../registry/errors.js'

/**
 * An unknown command is an argparse "invalid choice" in the AWS CLI (exit 252), with difflib's
 * suggestions: "Found invalid choice 'x'\n\nMaybe you meant:\n\n  * a".
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const suggestions = closeMatches(options.id, this.config.commandIDs)
  const hint = suggestions.length > 0 ? `\n\nMaybe you meant:\n\n${suggestions.map((s) => `  * ${s}`).join('\n')}` : ''
  const { stderr, exitCode } = describeError(usageError(`argument command: Found invalid choice '${options.id}'${hint}`), '')
  process.stderr.write(stderr)
  process.exitCode = exitCode
  return true
}

export default hook
