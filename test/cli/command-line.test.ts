import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normalizeCommandLine } from '../../src/cli/command-line.js'
import { runCli, tempRegistry } from '../helpers/cli.js'
import { runInProcess } from '../helpers/in-process.js'

/**
 * The command line as the AWS CLI reads it (issue 13, items 4, 5 and 7). The messages expected here are
 * the AWS CLI's own (test/interop compares them with /usr/bin/aws live): argparse's option rules,
 * Python's int(), botocore's ProfileNotFound, CPython's json error wording.
 */
describe('global options before the command, help as a word', () => {
  it('moves leading global options after the command name, values and all', () => {
    expect(normalizeCommandLine(['--output', 'text', '--no-paginate', 'list-namespaces', '--max-items', '1'])).toEqual(['list-namespaces', '--output', 'text', '--no-paginate', '--max-items', '1'])
    expect(normalizeCommandLine(['--out=text', '--regis', 'r.json', 'get-namespace'])).toEqual(['get-namespace', '--out=text', '--regis', 'r.json'])
    expect(normalizeCommandLine(['--bogus', 'list-namespaces'])).toEqual(['--bogus', 'list-namespaces'])
    // A prefix of several global options (--no-paginate, --no-sign-request, ...) is left where it is.
    expect(normalizeCommandLine(['--no', 'list-namespaces'])).toEqual(['--no', 'list-namespaces'])
  })
  it("an abbreviation of several options is argparse's ambiguous option (252), naming them in the command's order", () => {
    const { path } = tempRegistry()
    const r = runCli(['list-services', '--registry', path, '--max', '5'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('ambiguous option: --max could match --max-results, --max-items\n')
  })
  it('reads `help` as --help', () => {
    expect(normalizeCommandLine(['help'])).toEqual(['--help'])
    expect(normalizeCommandLine(['list-namespaces', 'help'])).toEqual(['list-namespaces', '--help'])
    expect(normalizeCommandLine(['get-namespace', '--id', 'help'])).toEqual(['get-namespace', '--id', 'help'])
  })
  it('runs `cloudmap --output text list-namespaces` and `cloudmap list-namespaces help`', () => {
    const { path } = tempRegistry()
    const r = runCli(['--output', 'text', '--registry', path, 'list-namespaces'])
    expect([r.status, r.stderr]).toEqual([0, ''])
    const help = runCli(['list-namespaces', 'help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('USAGE')
    expect(runCli(['help']).stdout).toContain('COMMANDS')
  })
})

describe('values and integers', () => {
  it('a value that starts with - and has a space is a value (argparse _parse_optional)', async () => {
    const r = await runInProcess(['get-namespace', '--id', '-a b'])
    expect(r.called).toEqual({ Id: '-a b' })
  })
  it('integers are read by Python int(): Unicode digits, exact beyond 2^53', async () => {
    expect((await runInProcess(['list-services', '--max-results', '\u0663'])).called).toEqual({ MaxResults: 3 })
    const r = await runInProcess(['list-services', '--max-results', '-99999999999999999999'])
    expect(r.stderr).toBe('\ncloudmap: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid value for parameter MaxResults, value: -99999999999999999999, valid min value: 1\n')
    expect(r.exitCode).toBe(252)
  })
  it('a UTF-8 byte-order mark in a file:// file is part of the value (Python reads it as U+FEFF)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmap-bom-'))
    writeFileSync(join(dir, 'd.txt'), '\ufeffdesc')
    writeFileSync(join(dir, 't.json'), '\ufeff{"a": "1"}')
    expect((await runInProcess(['create-http-namespace', '--name', 'n', '--description', `file://${join(dir, 'd.txt')}`])).called).toMatchObject({ Name: 'n', Description: '\ufeffdesc' })
    // Not JSON to the AWS CLI (lstrip() keeps the mark), so read as shorthand: "Expected: '='".
    const r = await runInProcess(['tag-resource', '--resource-arn', 'arn:x', '--tags', `file://${join(dir, 't.json')}`])
    expect(r.exitCode).toBe(252)
    expect(r.stderr).toContain("Error parsing parameter '--tags': Expected: '=', received: '\ufeff'")
  })
  it('JSON errors in CPython\'s words: Invalid \\escape names no character', async () => {
    const r = await runInProcess(['register-instance', '--service-id', 's', '--instance-id', 'i', '--attributes', '{"a": "\\q"}'])
    expect(r.stderr).toContain("Invalid JSON: Invalid \\escape: line 1 column 8 (char 7)\nJSON received: {\"a\": \"\\q\"}")
  })
})

describe('files and profiles', () => {
  it('--cli-input-json file://missing: exit 252, the parameter named', async () => {
    const r = await runInProcess(['list-services', '--cli-input-json', 'file:///nonexistent/missing.json'])
    expect(r.stderr).toBe("\ncloudmap: [ERROR]: An error occurred (ParamValidation): Error parsing parameter '--cli-input-json': Unable to load paramfile file:///nonexistent/missing.json: [Errno 2] No such file or directory: '/nonexistent/missing.json'\n")
    expect(r.exitCode).toBe(252)
  })
  it('an unknown --profile: exit 255, "The config profile (NAME) could not be found"', () => {
    const r = runCli(['--profile', 'nope', 'list-namespaces'])
    expect([r.status, r.stderr]).toEqual([255, '\ncloudmap: [ERROR]: The config profile (nope) could not be found\n'])
  })
  it('a cloudmap profile is not handed to the AWS SDK: --profile NAME works with AWS credentials in the environment', () => {
    const home = mkdtempSync(join(tmpdir(), 'cloudmap-home-'))
    const { path } = tempRegistry()
    const env = { HOME: home, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', CLOUDMAP_CONFIG_DIR: join(home, 'cfg') }
    expect(runCli(['configure', 'set', 'endpoint_url', 'http://127.0.0.1:9', '--profile', 'mine'], env).status).toBe(0)
    // Port 9 answers nothing: reaching it proves the credentials were found (no "Unable to locate credentials").
    const r = runCli(['list-namespaces', '--profile', 'mine', '--cli-connect-timeout', '1'], env)
    expect(r.stderr).not.toMatch(/credentials|Multiple credential sources/)
    expect(r.stderr).toContain('Could not connect to the endpoint URL')
    // An AWS profile still goes to the SDK.
    mkdirSync(join(home, '.aws'))
    writeFileSync(join(home, '.aws', 'credentials'), '[awsprof]\naws_access_key_id = A\naws_secret_access_key = B\n')
    expect(runCli(['list-namespaces', '--profile', 'awsprof', '--registry', path], env).status).toBe(0)
  })
})

describe('help', () => {
  it('an operation\'s help says its summary once (above USAGE), the model\'s documentation under DESCRIPTION', () => {
    const help = runCli(['create-service', '--help']).stdout
    const summary = 'Create a service in a namespace: its DNS records and health check settings.'
    expect(help.split(summary)).toHaveLength(2)
    expect(help.indexOf(summary)).toBeLessThan(help.indexOf('USAGE'))
    expect(help.slice(help.indexOf('DESCRIPTION'))).toMatch(/^DESCRIPTION\n {2}Creates a service\./)
  })
})
