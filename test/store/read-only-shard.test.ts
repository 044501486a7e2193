import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { serviceShard } from '../../src/backends/local/store/paths.js'
import { cloudmap, seeded } from './processes.js'

/**
 * A shard is written over itself when it can be opened for writing (store/journal.ts, overwrite). One that
 * can't (read-only, in a folder the writer may change, as a rename-only writer left it before) is staged
 * and renamed into place instead. Root opens a read-only file for writing all the same, so as root the
 * writer runs without CAP_DAC_OVERRIDE (util-linux's setpriv), as an ordinary user would.
 */
function asOrdinaryUser(): string[] {
  if (process.getuid?.() !== 0) return []
  const launcher = ['setpriv', '--bounding-set=-dac_override', '--inh-caps=-dac_override']
  const probe = spawnSync(launcher[0], [...launcher.slice(1), 'true'])
  if (probe.error || probe.status !== 0) throw new Error(`This test runs as root and needs util-linux's setpriv to drop CAP_DAC_OVERRIDE: ${probe.error?.message ?? probe.stderr}`)
  return launcher
}

describe('a shard that cannot be opened for writing', () => {
  it('is replaced by a staged file, and the write is there', { timeout: 60_000 }, async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cloudmap-ro-shard-')), 'registry.json')
    const { registry, serviceId } = await seeded(path)
    await registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'first', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } })
    await registry.close()
    const shard = join(registryPaths(path).dir, serviceShard(serviceId))
    chmodSync(shard, 0o444)
    const inode = statSync(shard).ino

    const run = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'second', '--attributes', 'AWS_INSTANCE_IPV4=10.0.0.2'], {}, asOrdinaryUser()).done
    expect(run, run.stderr).toMatchObject({ status: 0 })
    expect(statSync(shard).ino, 'a new file took its place').not.toBe(inode)
    expect(Object.keys(JSON.parse(readFileSync(shard, 'utf8')).instances)).toEqual(['first', 'second'])
  })
})
