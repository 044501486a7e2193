#!/usr/bin/env node
// Records what `aws servicediscovery <command> help` (the AWS CLI v2 at /usr/bin/aws, given botocore's
// 30-operation model through AWS_DATA_PATH) shows for each operation parameter: its type, the allowed
// values of an enum, and the Shorthand Syntax, JSON Syntax and (lists of scalars) Syntax blocks that
// awscli/clidocs.py and awscli/argprocess.py (ParamShorthandDocGen) generate. test/cli/help.test.ts
// compares cloudmap's help with it.
//
//   node scripts/record-help-syntax.mjs
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureAwsModels } from './aws-models.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const AWS = '/usr/bin/aws'
const dataPath = ensureAwsModels()
if (!dataPath) throw new Error('Python botocore with the servicediscovery model is needed')
process.on('exit', () => rmSync(dataPath, { recursive: true, force: true }))
// Each operation with its command name, as botocore's xform_name makes it.
const operations = JSON.parse(
  spawnSync('python3', ['-c', 'import botocore, botocore.session as s, json; m = s.get_session().get_service_model("servicediscovery"); print(json.dumps([[n, botocore.xform_name(n, "-")] for n in m.operation_names]))'], {
    encoding: 'utf8',
    env: { ...process.env, AWS_DATA_PATH: dataPath },
  }).stdout,
)

/** The code block after a `Name:` header line at index i: its lines without the block's 10-space indent. */
function codeBlock(lines, i) {
  const out = []
  let j = i + 1
  while (j < lines.length && lines[j] === '') j++
  for (; j < lines.length; j++) {
    if (lines[j] !== '' && !lines[j].startsWith('          ')) break
    out.push(lines[j].slice(10))
  }
  while (out.length && out[out.length - 1] === '') out.pop()
  return out.join('\n')
}

const version = spawnSync(AWS, ['--version'], { encoding: 'utf8' }).stdout.trim()
const result = { recordedWith: version, operations: {} }
for (const [, command] of operations) {
  const r = spawnSync(AWS, ['servicediscovery', command, 'help'], { encoding: 'utf8', env: { ...process.env, AWS_DATA_PATH: dataPath, PAGER: 'cat', MANPAGER: 'cat', COLUMNS: '80' } })
  if (r.status !== 0) throw new Error(`${command} help: ${r.stderr}`)
  // Overstrikes (bold `XX\bX`, underline `_\bX`) of the man page renderer.
  const text = r.stdout.replace(/.\x08/g, '')
  const lines = text.slice(text.indexOf('\nOPTIONS\n'), text.indexOf('\nGLOBAL OPTIONS\n')).split('\n')
  const options = {}
  let current
  for (let i = 0; i < lines.length; i++) {
    const head = /^ {7}--([a-z0-9-]+) \(([a-z ]+)\)$/.exec(lines[i])
    if (head) {
      if (['starting-token', 'page-size', 'max-items'].includes(head[1])) { current = undefined; continue }
      current = options[head[1]] = { type: head[2] }
      continue
    }
    if (/^ {7}--/.test(lines[i])) current = undefined
    if (!current) continue
    if (lines[i] === '          Possible values:') {
      const values = []
      for (let j = i + 1; j < lines.length && (lines[j] === '' || lines[j].startsWith('          o ')); j++) if (lines[j]) values.push(lines[j].slice(12))
      current.possibleValues = values
    }
    for (const [label, key] of [['Shorthand Syntax:', 'shorthand'], ['JSON Syntax:', 'json'], ['Syntax:', 'syntax']]) {
      if (lines[i] === `       ${label}`) current[key] = codeBlock(lines, i)
    }
  }
  result.operations[command] = options
}
const out = join(ROOT, 'test/cli/fixtures/help-syntax.json')
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
console.log(`wrote ${out} (${operations.length} operations, ${version})`)
