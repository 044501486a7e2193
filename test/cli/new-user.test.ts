import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

/** Defects a new user met (issue 13, items 8 and 10), each reproduced here before it was fixed. */
describe('--registry', () => {
  it("--registry '' is refused as an invalid value, touching nothing", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cloudmap-cwd-'))
    const r = runCli(['create-http-namespace', '--name', 'x', '--registry', ''], { CWD: cwd })
    expect([r.status, r.stderr]).toEqual([252, "\ncloudmap: [ERROR]: An error occurred (ParamValidation): Bad value for --registry '': the registry is a file, and an empty path names none\n"])
    expect(readdirSync(cwd)).toEqual([])
  })
  it('a --registry in a folder that does not exist creates it, with a note on stderr, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmap-reg-'))
    const path = join(dir, 'new', 'deeper', 'registry.json')
    const first = runCli(['create-http-namespace', '--name', 'x', '--registry', path])
    expect([first.status, first.stderr]).toEqual([0, `cloudmap: created the folder ${join(dir, 'new', 'deeper')} for the registry\n`])
    expect(existsSync(path)).toBe(true)
    expect(runCli(['create-http-namespace', '--name', 'y', '--registry', path]).stderr).toBe('')
  })
})

describe('messages speak of words, not internal ids', () => {
  it('an unknown subcommand of configure', () => {
    const r = runCli(['configure', 'lst'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain("argument subcommand: Found invalid choice 'lst'\n\nMaybe you meant:\n\n  * list\n")
    expect(r.stderr).not.toContain(':lst')
  })
  it('`cloudmap servicediscovery list-namespaces` (the aws way) names the word servicediscovery', () => {
    const r = runCli(['servicediscovery', 'list-namespaces'])
    expect(r.status).toBe(252)
    expect(r.stderr).toContain("argument command: Found invalid choice 'servicediscovery'")
    expect(r.stderr).not.toContain('servicediscovery:')
  })
  it('autocomplete errors are cloudmap\'s, with its exit codes, and its cache follows CLOUDMAP_CONFIG_DIR', () => {
    const r = runCli(['autocomplete', 'bogus'])
    expect(r.status).toBe(252)
    expect(r.stderr).toMatch(/^\ncloudmap: \[ERROR\]: An error occurred \(ParamValidation\): Expected bogus to be one of: zsh, bash, powershell\n/)
    const config = mkdtempSync(join(tmpdir(), 'cloudmap-cfg-'))
    const home = mkdtempSync(join(tmpdir(), 'cloudmap-home-'))
    expect(runCli(['autocomplete', 'bash'], { CLOUDMAP_CONFIG_DIR: config, HOME: home, XDG_CACHE_HOME: join(home, '.cache') }).status).toBe(0)
    expect(existsSync(join(config, 'cache', 'autocomplete'))).toBe(true)
    expect(existsSync(join(home, '.cache', 'cloudmap'))).toBe(false)
  })
  it('a --starting-token the registry never gave does not speak of --next-token alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmap-reg-'))
    const r = runCli(['list-namespaces', '--starting-token', 'garbage', '--registry', join(dir, 'r.json')])
    expect(r.status).toBe(254)
    expect(r.stderr).toContain('Start again without it (--starting-token or --next-token).')
  })
  it('a starting token whose contents have the wrong type gets botocore\'s parameter error (252)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudmap-reg-'))
    const token = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64')
    const wrongType = runCli(['list-namespaces', '--starting-token', token({ NextToken: 1 }), '--registry', join(dir, 'r.json')])
    expect([wrongType.status, wrongType.stderr]).toEqual([252, "\ncloudmap: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid type for parameter NextToken, value: 1, type: <class 'int'>, valid types: <class 'str'>\n"])
    const unknown = runCli(['list-namespaces', '--starting-token', token({ a: 1 }), '--registry', join(dir, 'r.json')])
    expect(unknown.stderr).toContain('Unknown parameter in input: "a", must be one of: NextToken, MaxResults, Filters')
  })
  it('configure set backend remote without endpoint_url warns at once', () => {
    const config = mkdtempSync(join(tmpdir(), 'cloudmap-cfg-'))
    const r = runCli(['configure', 'set', 'backend', 'remote', '--profile', 'moto'], { CLOUDMAP_CONFIG_DIR: config })
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('warning: the backend of profile moto is remote but it has no endpoint_url: its commands fail until `cloudmap configure set endpoint_url URL --profile moto`\n')
  })
})
