import { spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Live, SeededBackend } from '../helpers/live.js'
import { BIN } from '../helpers/cli.js'
import { hermeticEnv, seededBackend, startCli, stopAll, until } from '../helpers/live.js'

afterEach(stopAll)

function watch(s: SeededBackend, service: string, extra: string[] = []): Live {
  return startCli(['watch', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', service, '--interval', '0.1', ...extra], s.backend.env)
}

const lines = (live: Live) =>
  live
    .stdout()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

/** The events after the first line (the current instances), once there are `count` of them. */
const events = (live: Live, count: number) => until(`${count} events`, () => (lines(live).length > count ? lines(live).slice(1) : undefined))

describe.each(['local', 'serve'] as const)('cloudmap watch on the %s backend', (name) => {
  it('prints the current instances, then exactly one event per change', async () => {
    const s = await seededBackend(name)
    try {
      await s.registry.invoke('RegisterInstance', { ServiceId: s.custom, InstanceId: 'a', Attributes: { k: '1' } })
      const w = watch(s, 'custom', ['--health-status', 'ALL', '--output', 'json'])
      const [current] = await until('the current instances', () => (lines(w).length > 0 ? lines(w) : undefined))
      expect(current).toEqual({ event: 'current', NamespaceName: 'ns', ServiceName: 'custom', InstancesRevision: 1, Instances: [{ InstanceId: 'a', NamespaceName: 'ns', ServiceName: 'custom', HealthStatus: 'HEALTHY', Attributes: { k: '1' } }] })

      await s.registry.invoke('RegisterInstance', { ServiceId: s.custom, InstanceId: 'b', Attributes: { k: '2' } })
      expect((await events(w, 1)).at(-1)).toEqual({ event: 'added', InstanceId: 'b', HealthStatus: 'HEALTHY', Attributes: { k: '2' }, InstancesRevision: 2 })
      await s.registry.invoke('RegisterInstance', { ServiceId: s.custom, InstanceId: 'b', Attributes: { k: '3' } })
      expect((await events(w, 2)).at(-1)).toEqual({ event: 'attributes-changed', InstanceId: 'b', Attributes: { k: '3' }, PreviousAttributes: { k: '2' }, InstancesRevision: 3 })
      await s.registry.invoke('UpdateInstanceCustomHealthStatus', { ServiceId: s.custom, InstanceId: 'a', Status: 'UNHEALTHY' })
      const health = { event: 'health-changed', InstanceId: 'a', HealthStatus: 'UNHEALTHY', PreviousHealthStatus: 'HEALTHY', InstancesRevision: 3 }
      if (name === 'local') {
        // The registry file changed: the local feed sees a health change on its own.
        expect((await events(w, 3)).at(-1)).toEqual(health)
        await s.registry.invoke('DeregisterInstance', { ServiceId: s.custom, InstanceId: 'b' })
        expect((await events(w, 4)).at(-1)).toMatchObject({ event: 'removed', InstanceId: 'b', InstancesRevision: 4 })
      } else {
        // AWS does not move InstancesRevision for health: remotely it shows with the next registration change.
        await s.registry.invoke('DeregisterInstance', { ServiceId: s.custom, InstanceId: 'b' })
        expect((await events(w, 4)).slice(-2)).toEqual([{ ...health, InstancesRevision: 4 }, { event: 'removed', InstanceId: 'b', HealthStatus: 'HEALTHY', Attributes: { k: '3' }, InstancesRevision: 4 }])
      }
      await w.stop()
      expect(lines(w)).toHaveLength(5)
      expect(w.stderr()).toBe('')
    } finally {
      await s.backend.stop()
    }
  })

  it('--exec runs after each change with the discover-instances output on stdin; changes while it runs are coalesced', async () => {
    const s = await seededBackend(name)
    try {
      const log = join(s.dir, 'exec.log')
      const go = join(s.dir, 'go')
      // The handler logs its input, then waits until the test lets it finish.
      const handler = `node -e "const fs=require('fs');const input=fs.readFileSync(0,'utf8');fs.appendFileSync(process.argv[1],JSON.stringify(JSON.parse(input).Instances.map(i=>i.InstanceId).sort())+'\\n');const t=setInterval(()=>{if(fs.existsSync(process.argv[2])){clearInterval(t)}},20)" ${log} ${go}`
      const w = watch(s, 'plain', ['--output', 'json', '--exec', handler])
      await until('the current instances', () => lines(w).length > 0)
      await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: 'a', Attributes: { k: '1' } })
      await until('the first handler', () => existsSync(log) && readFileSync(log, 'utf8') !== '')
      for (const id of ['b', 'c', 'd']) await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: id, Attributes: { k: '1' } })
      writeFileSync(go, '')
      await until('the second handler', () => readFileSync(log, 'utf8').split('\n').length > 2)
      expect((await events(w, 4)).map((e) => e.InstanceId)).toEqual(['a', 'b', 'c', 'd'])
      await w.stop()
      expect(readFileSync(log, 'utf8')).toBe('["a"]\n["a","b","c","d"]\n')
    } finally {
      await s.backend.stop()
    }
  })

  it('--until-count ends after N events (exit 0); --timeout ends a quiet watch (0, or 124 when --until-count was not reached)', async () => {
    const s = await seededBackend(name)
    try {
      const counted = watch(s, 'plain', ['--output', 'json', '--until-count', '2'])
      await until('the current instances', () => lines(counted).length > 0)
      for (const id of ['a', 'b', 'c']) {
        await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: id, Attributes: { k: '1' } })
        await until(`event for ${id}`, () => lines(counted).length > 1 + ['a', 'b', 'c'].indexOf(id) || counted.child.exitCode !== null)
      }
      const end = await counted.done
      expect(end.status).toBe(0)
      expect(lines(counted).slice(1).map((e) => e.InstanceId)).toEqual(['a', 'b'])

      const quiet = await startCli(['watch', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--timeout', '0.5'], s.backend.env).done
      expect(quiet.status).toBe(0)
      expect(quiet.stdout).toBe('plain in ns: 3 instances (revision 3)\n  a UNKNOWN k=1\n  b UNKNOWN k=1\n  c UNKNOWN k=1\n')
      const waited = await startCli(['watch', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--timeout', '0.5', '--until-count', '1'], s.backend.env).done
      expect(waited.status).toBe(124)
    } finally {
      await s.backend.stop()
    }
  })

  it('a registry damaged while watching: one clear error, no crash, changes reported again once it is fixed', async () => {
    const s = await seededBackend(name)
    try {
      const w = watch(s, 'plain', ['--output', 'json'])
      await until('the current instances', () => lines(w).length > 0)
      const good = readFileSync(s.path)
      // Damaged in one step (a rename, as an editor saves): written in place, the watcher could first see
      // the file emptied by the truncation, and report that instead.
      writeFileSync(`${s.path}.damaged`, '{"schemaVersion": 2, "namesp')
      renameSync(`${s.path}.damaged`, s.path)
      const error = await until('the error', () => /cloudmap watch: .*not valid JSON.*\n/.exec(w.stderr())?.[0])
      expect(error).toContain(s.path)
      appendFileSync(s.path, 'aces": ')
      // A second damaged write is not a second error line: a failure is said once, until it is over.
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(w.child.exitCode).toBeNull()
      expect(w.stderr().match(/not valid JSON/g)).toHaveLength(1)
      writeFileSync(s.path, good)
      await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: 'a', Attributes: { k: '1' } })
      expect((await events(w, 1)).at(-1)).toMatchObject({ event: 'added', InstanceId: 'a' })
      expect(w.stderr()).toContain('cloudmap watch: still watching; changes are reported once the registry answers again\ncloudmap watch: the registry answers again\n')
      if (name === 'serve') expect(error).toContain('cloudmap watch: cannot tell changes: An error occurred (InternalFailure) when calling the DiscoverInstancesRevision operation')
    } finally {
      await s.backend.stop()
    }
  })
})

describe('cloudmap watch', () => {
  it('an unknown service is an error at start, in the AWS CLI words and exit code', async () => {
    const s = await seededBackend('local')
    const r = await startCli(['watch', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'nope']).done
    expect(r.status).toBe(254)
    expect(r.stderr).toContain('An error occurred (ServiceNotFound) when calling the DiscoverInstances operation: No service named nope in namespace ns.')
  })

  it('--query-parameters filter as in discover-instances, and are checked the same way', async () => {
    const s = await seededBackend('local')
    await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: 'a', Attributes: { stage: 'prod' } })
    await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: 'b', Attributes: { stage: 'beta' } })
    const r = await startCli(['watch', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--query-parameters', 'stage=beta', '--timeout', '0.2', '--output', 'json']).done
    expect(r.status).toBe(0)
    expect((JSON.parse(r.stdout) as { Instances: { InstanceId: string }[] }).Instances.map((i) => i.InstanceId)).toEqual(['b'])
    const bad = await startCli(['watch', ...s.backend.flags, '--namespace-name', 'ns', '--service-name', 'plain', '--interval', '0']).done
    expect(bad.status).toBe(252)
    expect(bad.stderr).toContain('--interval takes a number of seconds greater than 0, not 0')
  })

  it('on a terminal the current instances are a cli-table3 table', async () => {
    // util-linux `script` gives the watch a pseudo-terminal (as test/wizard/pty.test.ts).
    expect(spawnSync('script', ['--version']).status, 'util-linux script is needed for a pseudo-terminal').toBe(0)
    const s = await seededBackend('local')
    await s.registry.invoke('RegisterInstance', { ServiceId: s.plain, InstanceId: 'a', Attributes: { stage: 'prod', AWS_INSTANCE_IPV4: '10.0.0.1' } })
    const command = [process.execPath, BIN, 'watch', '--registry', s.path, '--namespace-name', 'ns', '--service-name', 'plain', '--timeout', '0.2'].map((a) => `'${a}'`).join(' ')
    const r = spawnSync('script', ['-qefc', command, '/dev/null'], { env: hermeticEnv({ TERM: 'dumb' }), encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout.replace(/\r/g, '')).toBe(
      [
        'plain in ns: 1 instance (revision 1)',
        '┌────────────┬──────────────┬────────────────────────────┐',
        '│ InstanceId │ HealthStatus │ Attributes                 │',
        '├────────────┼──────────────┼────────────────────────────┤',
        '│ a          │ UNKNOWN      │ stage=prod                 │',
        '│            │              │ AWS_INSTANCE_IPV4=10.0.0.1 │',
        '└────────────┴──────────────┴────────────────────────────┘',
        '',
      ].join('\n'),
    )
  })
})
