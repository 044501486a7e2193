import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli, tempRegistry } from '../helpers/cli.js'

interface Case {
  command: string
  document: string
  exitCode: number
  stderr: string
}

// What the AWS CLI v2 prints for YAML timestamps in --cli-input-yaml (scripts/record-yaml-dates.mjs):
// ruamel.yaml makes them datetime.date / datetime.datetime, botocore names those types.
const recorded = JSON.parse(readFileSync(join(ROOT, 'test/cli/fixtures/yaml-dates.json'), 'utf8')) as { cases: Case[] }

/** 2.9.19's stderr in the current v2 wording (`aws: [ERROR]: ...`, with cloudmap for aws). */
function currentStderr(c: Case): string {
  const message = c.stderr.trim()
  return c.exitCode === 252 ? `\ncloudmap: [ERROR]: An error occurred (ParamValidation): ${message}\n` : `\ncloudmap: [ERROR]: ${message}\n`
}

describe('YAML dates in --cli-input-yaml keep Python\'s types in messages', () => {
  it.each(recorded.cases.map((c) => [c.document.replaceAll('\n', '; '), c] as const))('%s', (_name, c) => {
    const { path } = tempRegistry()
    const r = runCli([c.command, '--cli-input-yaml', c.document], { CLOUDMAP_REGISTRY: path })
    expect({ exitCode: r.status, stderr: r.stderr }).toEqual({ exitCode: c.exitCode, stderr: currentStderr(c) })
  })
})
