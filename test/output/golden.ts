/**
 * Golden fixtures of the output formatters: the data behind real AWS CLI captures and the
 * exact stdout bytes the AWS CLI printed (built and checked against the AWS CLI's own
 * formatter code by fixtures/build_fixtures.py).
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LosslessNumber, isInteger, parse } from 'lossless-json'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')

export interface GoldenCase {
  /** Capture file name without `.txt`. */
  capture: string
  format: 'text' | 'text-pages' | 'table' | 'yaml' | 'yaml-stream'
  data: unknown
  options?: { title: string; width: number; color: boolean; tty: boolean }
  paginated?: boolean
  /** The AWS CLI's formatter raised this (stderr `\n<error>\n`, exit 255). */
  error?: string
  /** Inline expected stdout (yaml corpus). */
  expected?: string
}

/**
 * Numbers as the rest of cloudmap hands them over: safe integers as numbers, larger ones
 * as bigint, and floats as LosslessNumber so that `110.0` stays a Python float.
 */
function parseNumber(text: string): unknown {
  if (isInteger(text)) {
    const n = Number(text)
    return Number.isSafeInteger(n) ? n : BigInt(text)
  }
  return new LosslessNumber(text)
}

export function parseFixtureJson(text: string): unknown {
  return parse(text, null, parseNumber)
}

export function loadCases(file: string): GoldenCase[] {
  return parseFixtureJson(readFileSync(join(FIXTURES, file), 'utf8')) as GoldenCase[]
}

/** The exact stdout bytes of a capture, decoded as UTF-8 (all captures are valid UTF-8). */
export function expectedStdout(capture: string): string {
  const bytes = readFileSync(join(FIXTURES, 'expected', `${capture}.stdout`))
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}
