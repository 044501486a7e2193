import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './cli.js'

/** The AWS CLI captures in ../shared/reference/awscli-captures (format in that folder's README.md). */
export const CAPTURES_DIR = join(ROOT, '..', 'shared', 'reference', 'awscli-captures')

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
  const bytes = readFileSync(join(CAPTURES_DIR, file))
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

export function listCaptures(filter: (file: string) => boolean): string[] {
  try {
    return readdirSync(CAPTURES_DIR).filter((f) => /^\d\d-\d\d/.test(f) && filter(f)).sort()
  } catch {
    return []
  }
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
