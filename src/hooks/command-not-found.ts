import type { Hook } from '@oclif/core'
import { closeMatches } from '../cli/close-matches.js'
import { describeError } from '../cli/report-error.js'
import { usageError } from '../registry/errors.js'

/**
 * An unknown command is an argparse "invalid choice" in the AWS CLI (exit 252), with difflib's
 * suggestions: "Found invalid choice 'x'\n\nMaybe you meant:\n\n  * a". oclif's ids join words with ':'
 * (`configure:bogus`); the user typed words, so the message speaks of words: the unknown subcommand of
 * a known topic (`configure bogus`), else the first word (`servicediscovery` of
 * `cloudmap servicediscovery list-namespaces`, where cloudmap's commands are top level).
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const words = options.id.split(':')
  const commands = this.config.commandIDs
  const topic = words.length > 1 && commands.some((id) => id.startsWith(`${words[0]}:`)) ? words[0] : undefined
  const word = topic === undefined ? words[0] : words[1]
  const choices = topic === undefined ? commands.filter((id) => !id.includes(':')) : commands.filter((id) => id.startsWith(`${topic}:`)).map((id) => id.slice(topic.length + 1))
  const suggestions = closeMatches(word, choices)
  const hint = suggestions.length > 0 ? `\n\nMaybe you meant:\n\n${suggestions.map((s) => `  * ${s}`).join('\n')}` : ''
  const { stderr, exitCode } = describeError(usageError(`argument ${topic === undefined ? 'command' : 'subcommand'}: Found invalid choice '${word}'${hint}`), '')
  process.stderr.write(stderr)
  process.exitCode = exitCode
  return true
}

export default hook
