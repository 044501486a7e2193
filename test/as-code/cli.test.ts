import { existsSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRegistry } from '../helpers/cli.js'
import { startCli } from '../helpers/live.js'

/** The commands as a user runs them: the built binary, global options, exit codes, standard input. */
describe('cloudmap export | apply | diff on the command line', () => {
  it('seeds a registry from standard input, exports it, and diffs it', () => {
    const { path } = tempRegistry()
    const doc = 'Namespaces:\n  shop:\n    Type: HTTP\n    Services:\n      web:\n        Instances:\n          web-1:\n            AWS_INSTANCE_IPV4: 10.0.0.1\n'
    const applied = runCli(['apply', '-f', '-', '--yes', '--registry', path], {}, doc)
    expect(applied.stderr).toBe('')
    expect(applied.status).toBe(0)
    expect(applied.stdout).toContain('Applied: 2 created, 1 registered.')

    // The registry setting comes from the environment as for every command.
    const exported = runCli(['export'], { CLOUDMAP_REGISTRY: path })
    expect(exported.status).toBe(0)
    expect(exported.stdout).toBe(`# cloudmap registry document (schema/registry-document.schema.json): cloudmap apply -f FILE\n${doc}`)
    expect(runCli(['discover-instances', '--namespace-name', 'shop', '--service-name', 'web', '--query', 'Instances[0].InstanceId', '--output', 'text', '--registry', path]).stdout).toBe('web-1\n')

    const same = runCli(['diff', '-f', '-', '--registry', path], {}, doc)
    expect(same).toEqual({ status: 0, stdout: '', stderr: '' })
    const other = runCli(['diff', '-f', '-', '--registry', path], {}, doc.replace('10.0.0.1', '10.0.0.2'))
    expect(other.status).toBe(1)
    expect(other.stdout).toContain('-            AWS_INSTANCE_IPV4: 10.0.0.1\n+            AWS_INSTANCE_IPV4: 10.0.0.2\n')
    expect(other.stdout).not.toContain('\x1b[')
  })

  it('refuses to apply from a pipe without --yes, and reports usage errors in cloudmap words', () => {
    const { path } = tempRegistry()
    const r = runCli(['apply', '-f', '-', '--registry', path], {}, '{"Namespaces": {"shop": {"Type": "HTTP"}}}')
    expect(r.status).toBe(252)
    expect(r.stderr).toContain('add --yes')
    const noFile = runCli(['apply', '--yes'])
    expect(noFile.status).toBe(252)
    expect(noFile.stderr).toContain("See 'cloudmap apply --help'.")
    expect(noFile.stderr).not.toMatch(/\n\s+at /)
  })

  it('a remote endpoint that does not answer is an error, not a stack trace', () => {
    const r = runCli(['export', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'], { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' })
    expect(r.status).toBe(255)
    expect(r.stderr).toContain('Could not connect to the endpoint URL')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('has help for each command', () => {
    for (const command of ['export', 'apply', 'diff']) {
      const r = runCli([command, '--help'])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('--endpoint-url')
    }
  })
})

describe('start-up', () => {
  it('commands loaded with the command table do not load the registry-as-code libraries', () => {
    const hook = new URL('../config/fixtures/import-log.mjs', import.meta.url).pathname
    const home = tempRegistry().dir
    const r = runCli(['configure', 'get', 'region'], { NODE_OPTIONS: `--import=${hook}`, HOME: home })
    expect(r.stderr).not.toMatch(/IMPORTED (diff|cli-progress|cli-table3|ajv)/)
    // The hook does see them when apply runs.
    const { path } = tempRegistry()
    const applied = runCli(['apply', '-f', '-', '--yes', '--registry', path], { NODE_OPTIONS: `--import=${hook}` }, '{"Namespaces": {"shop": {"Type": "HTTP"}}}')
    expect(applied.stderr).toContain('IMPORTED ajv')
  })
})

describe('an apply interrupted for real', () => {
  /** 1,500 instances in one namespace: long enough to be stopped part-way. */
  const BIG = JSON.stringify({
    Namespaces: {
      bulk: { Type: 'HTTP', Services: Object.fromEntries([0, 1].map((s) => [`svc${s}`, { Instances: Object.fromEntries(Array.from({ length: 750 }, (_, i) => [`i-${s}-${i}`, { AWS_INSTANCE_IPV4: `10.0.${s}.${i % 250}` }])) }])) },
    },
  })

  /** Start apply, and send `signal` once it is carrying out the plan. Resolves with its status (128+N for a signal) and output. */
  async function interrupted(path: string, doc: string, signal: NodeJS.Signals): Promise<{ status: number; stderr: string }> {
    const file = join(dirname(path), 'big.json')
    writeFileSync(file, doc)
    const live = startCli(['apply', '-f', file, '--yes', '--registry', path])
    // Once the first write made the registry file, apply is carrying out the plan.
    const poll = setInterval(() => {
      if (existsSync(path) && !live.child.killed) live.child.kill(signal)
    }, 5)
    const result = await live.done
    clearInterval(poll)
    return result
  }

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`${signal} part-way; the same apply again finishes the job`, async () => {
      const { path } = tempRegistry()
      const file = join(dirname(path), 'big.json')
      const first = await interrupted(path, BIG, signal)
      // SIGINT: calls in flight finish, then exit 130 with the report (0 only if it had already finished).
      if (signal === 'SIGINT') expect([0, 130]).toContain(first.status)
      if (signal === 'SIGINT' && first.status === 130) {
        expect(first.stderr).toContain('Interrupted: finishing the calls in flight, then stopping')
        expect(first.stderr).toMatch(/Not done \(\d+\):/)
      }
      if (signal === 'SIGKILL') expect(first.status).toBe(137)
      const rerun = runCli(['apply', '-f', file, '--yes', '--registry', path])
      expect(rerun.stderr).toBe('')
      expect(rerun.status).toBe(0)
      const again = runCli(['apply', '-f', file, '--yes', '--registry', path])
      expect(again.stdout).toMatch(/^No changes/)
      const exported = JSON.parse(runCli(['export', '--output', 'json', '--registry', path]).stdout)
      expect(Object.keys(exported.Namespaces.bulk.Services.svc0.Instances)).toHaveLength(750)
      expect(Object.keys(exported.Namespaces.bulk.Services.svc1.Instances)).toHaveLength(750)
    })
  }
})
