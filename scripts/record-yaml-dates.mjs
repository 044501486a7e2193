#!/usr/bin/env node
// Records how the AWS CLI v2 (/usr/bin/aws) reports YAML timestamps given through --cli-input-yaml:
// ruamel.yaml loads them as Python's datetime.date / datetime.datetime, and botocore's parameter
// validation prints their str(), repr() and class. Every case fails validation, so nothing is sent.
// test/cli/yaml-dates.test.ts runs the same documents through cloudmap.
//
//   node scripts/record-yaml-dates.mjs
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const AWS = '/usr/bin/aws'

/** [command, YAML document] */
const CASES = [
  ['list-namespaces', 'MaxResults: 2020-01-01'],
  ['list-namespaces', 'MaxResults: 2020-1-2 3:04:05'],
  ['list-namespaces', 'MaxResults: 2020-01-01T10:20:30Z'],
  ['list-namespaces', 'MaxResults: 2020-01-01t10:20:30.123456789-05:30'],
  ['list-namespaces', 'MaxResults: 2020-01-01 23:59:59.9999996'],
  ['list-namespaces', 'MaxResults: 2020-03-01 00:30:00 +01'],
  ['list-namespaces', 'MaxResults: 2020-01-01 10:20:30.5'],
  ['list-namespaces', 'NextToken: 0999-12-31'],
  ['list-namespaces', 'MaxResults: [2020-01-01, 2021-02-03 04:05:06, 2022-01-01 00:00:00, 2023-01-01 00:00:00.000001]'],
  ['list-namespaces', 'Filters: [{Name: TYPE, Values: [2020-01-01], Condition: EQ}]'],
  ['list-namespaces', "MaxResults: '2020-01-01'"],
  ['list-namespaces', 'MaxResults: 2020-01-1'],
  ['list-namespaces', 'MaxResults: 2020-13-01'],
  ['register-instance', 'ServiceId: srv-1\nInstanceId: i-1\nAttributes: {when: 2020-02-29 12:00:00}'],
]

const home = mkdtempSync(join(tmpdir(), 'cloudmap-yaml-dates-'))
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', TZ: 'UTC', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') }
const version = spawnSync(AWS, ['--version'], { encoding: 'utf8', env }).stdout.trim()
const cases = CASES.map(([command, document]) => {
  // An endpoint nobody listens on: a case that passed validation would fail to connect, not reach AWS.
  const r = spawnSync(AWS, ['servicediscovery', command, '--cli-input-yaml', document, '--endpoint-url', 'http://127.0.0.1:9'], { encoding: 'utf8', env })
  return { command, document, exitCode: r.status, stderr: r.stderr }
})
rmSync(home, { recursive: true, force: true })
const out = join(ROOT, 'test/cli/fixtures/yaml-dates.json')
writeFileSync(out, `${JSON.stringify({ recordedWith: version, cases }, null, 2)}\n`)
console.log(`wrote ${out} (${cases.length} cases)`)
