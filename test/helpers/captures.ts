import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ROOT } from './cli.js'

/**
 * The AWS CLI captures (format in that folder's README.md): $CLOUDMAP_REFERENCE_DIR/awscli-captures, else
 * shared/reference/awscli-captures beside the checkout or beside one of its parent folders (a git worktree
 * lives deeper than the main checkout).
 */
export const CAPTURES_DIR = findCapturesDir()

function findCapturesDir(): string {
  if (process.env.CLOUDMAP_REFERENCE_DIR) return join(process.env.CLOUDMAP_REFERENCE_DIR, 'awscli-captures')
  const under = (dir: string) => join(dir, 'shared', 'reference', 'awscli-captures')
  for (let dir = dirname(ROOT); dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(under(dir))) return under(dir)
  return under(dirname(ROOT))
}

/**
 * The captures folder, or a loud failure: the tests that compare with the AWS CLI's captures must never
 * vanish silently because the reference is not on this machine.
 */
export function requireCaptures(): string {
  if (!existsSync(CAPTURES_DIR)) {
    throw new Error(
      `The AWS CLI captures are missing: ${CAPTURES_DIR} does not exist. These tests compare cloudmap with them and ` +
        'cannot run without them: put shared/reference/ beside the checkout, or set CLOUDMAP_REFERENCE_DIR to the reference folder.',
    )
  }
  return CAPTURES_DIR
}

export interface Capture {
  file: string
  command: string
  exitCode: number
  stdout: string
  stderr: string
}

export function readCapture(file: string): Capture {
  return readCaptureSet(file)[0]
}

/**
 * Every "$ command / [exit code] / stdout / stderr" record of a capture file, skipping any comment header
 * (the 13-* files hold many records).
 */
export function readCaptureSet(file: string): Capture[] {
  const bytes = readFileSync(join(requireCaptures(), file))
  const captures: Capture[] = []
  let pos = 0
  const line = () => {
    const end = bytes.indexOf(0x0a, pos)
    const text = bytes.subarray(pos, end === -1 ? bytes.length : end).toString('utf8')
    pos = end === -1 ? bytes.length : end + 1
    return text
  }
  const section = (name: string) => {
    const size = Number(new RegExp(`^--- ${name} \\((\\d+) bytes\\)`).exec(line())?.[1] ?? 'NaN')
    const body = bytes.subarray(pos, pos + size).toString('utf8')
    pos += size
    if (bytes[pos] === 0x0a) pos += 1
    const marker = '[no newline at end of stdout]\n'
    if (bytes.subarray(pos, pos + marker.length).toString('utf8') === marker) pos += marker.length
    return body
  }
  while (pos < bytes.length) {
    const first = line()
    if (!first.startsWith('$ ')) continue
    // A command line may itself contain newlines: it runs up to the exit code line.
    const commandLines = [first.slice(2)]
    let exitCode = NaN
    while (pos < bytes.length) {
      const next = line()
      const status = /^\[exit code: (\d+)\]$/.exec(next)
      if (status) {
        exitCode = Number(status[1])
        break
      }
      commandLines.push(next)
    }
    const stdout = section('stdout')
    const stderr = section('stderr')
    captures.push({ file, command: commandLines.join('\n'), exitCode, stdout, stderr })
  }
  return captures
}

/** The argv after `aws servicediscovery` of a captured command line (with or without AWS_DATA_PATH=...). */
export function captureArgv(capture: Capture): string[] {
  const words = shellWords(capture.command)
  if (!words) throw new Error(`cannot split ${capture.command}`)
  return words.slice(words.indexOf('servicediscovery') + 1)
}

/** The NN-NN-* capture files the filter keeps; fails loudly when the folder is missing or none match. */
export function listCaptures(filter: (file: string) => boolean): string[] {
  const files = readdirSync(requireCaptures()).filter((f) => /^\d\d-\d\d/.test(f) && filter(f)).sort()
  if (files.length === 0) throw new Error(`No capture in ${CAPTURES_DIR} matches ${filter.toString()}`)
  return files
}

/** POSIX shell word splitting for the captured command lines (quotes and backslashes only). */
export function shellWords(command: string): string[] | undefined {
  const words: string[] = []
  let current: string | undefined
  for (let i = 0; i < command.length; i++) {
    const c = command[i]
    if (c === ' ' || c === '\t') {
      if (current !== undefined) words.push(current)
      current = undefined
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1)
      current = (current ?? '') + command.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      let s = ''
      for (i++; command[i] !== '"'; i++) {
        if (command[i] === '\\' && '"\\$`'.includes(command[i + 1])) i++
        s += command[i]
      }
      current = (current ?? '') + s
    } else if (c === '\\') {
      current = (current ?? '') + command[++i]
    } else if ('|&;<>()$`'.includes(c)) {
      return undefined
    } else {
      current = (current ?? '') + c
    }
  }
  if (current !== undefined) words.push(current)
  return words
}
