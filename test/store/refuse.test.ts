import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { ROOT, runCli, tempRegistry } from '../helpers/cli.js'
import { seeded } from './processes.js'

beforeAll(() => {
  expect(existsSync(`${ROOT}/dist/cli/fast-path.js`), 'run npm run build first').toBe(true)
})

/** Every file under the registry's folder (registry file, shards, anything beside them), with a hash of its bytes and its mtime. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      const info = statSync(p)
      if (info.isDirectory()) walk(p)
      else out[relative(dir, p)] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${info.mtimeMs}`
    }
  }
  walk(dir)
  return out
}

const cli = (path: string, ...args: string[]) => runCli([...args, '--output', 'json'], { CLOUDMAP_REGISTRY: path })

/** Run a read and a write against a registry that must be refused: both fail with exit 255, a message naming `named` and saying what to do, and change nothing. */
function expectRefused(dir: string, path: string, named: string, message: RegExp, serviceId = 'srv-0000000000000000'): void {
  const before = fingerprint(dir)
  for (const args of [
    ['list-namespaces'],
    ['create-http-namespace', '--name', 'another'],
    ['register-instance', '--service-id', serviceId, '--instance-id', 'i-9', '--attributes', 'k=v'],
  ]) {
    const r = cli(path, ...args)
    expect(r.status, `${args[0]}: ${r.stderr}`).toBe(255)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(named)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).toMatch(/untouched|changed nothing/)
  }
  expect(fingerprint(dir)).toEqual(before)
  expect(existsSync(registryPaths(path).lock)).toBe(false)
}

describe('a registry that cloudmap cannot use is refused and left byte-for-byte untouched', () => {
  it('truncated (a registry file cut short)', async () => {
    const { dir, path } = tempRegistry()
    await seeded(path)
    const text = readFileSync(path, 'utf8')
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)))
    expectRefused(dir, path, path, /is not valid JSON \(.*\): it is truncated or damaged\. Restore it from a backup or version control/)
  })

  it('empty (0 bytes)', () => {
    const { dir, path } = tempRegistry()
    writeFileSync(path, '')
    expectRefused(dir, path, path, /is empty \(0 bytes\)/)
  })

  it('corrupt (bytes that are not JSON)', () => {
    const { dir, path } = tempRegistry()
    writeFileSync(path, Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0x0a]))
    expectRefused(dir, path, path, /is not valid JSON/)
  })

  it('not ours (some other JSON document)', () => {
    for (const content of ['{"name": "my-app", "version": "1.0.0"}\n', '[1, 2, 3]\n', '"registry"\n', '{"schemaVersion": "two"}\n']) {
      const { dir, path } = tempRegistry()
      writeFileSync(path, content)
      expectRefused(dir, path, path, /is not a cloudmap registry \(.+\)\. Point --registry \(or CLOUDMAP_REGISTRY\) at a registry file/)
      expect(existsSync(registryPaths(path).dir)).toBe(false)
    }
  })

  it('from a newer schema (written by a newer cloudmap)', async () => {
    const { dir, path } = tempRegistry()
    await seeded(path)
    const doc = JSON.parse(readFileSync(path, 'utf8'))
    writeFileSync(path, JSON.stringify({ ...doc, schemaVersion: 3, somethingNew: {} }, null, 2))
    expectRefused(dir, path, path, /has schema version 3, newer than this cloudmap understands \(2\).*Upgrade cloudmap/)
  })

  it('damaged (ours, but a part is missing)', async () => {
    const { dir, path } = tempRegistry()
    await seeded(path)
    const { services: _gone, ...doc } = JSON.parse(readFileSync(path, 'utf8'))
    writeFileSync(path, JSON.stringify(doc, null, 2))
    expectRefused(dir, path, path, /is damaged: services is not an object\. Restore it/)
  })

  it('unreadable (the path is a folder)', () => {
    const { dir, path } = tempRegistry()
    mkdirSync(path)
    expectRefused(dir, path, path, /can't be read \(.+\)\. Check that it is a file you may read/)
  })

  it('a truncated shard: calls that need it are refused naming the shard; the rest of the registry still works', async () => {
    const { dir, path } = tempRegistry()
    const { registry, serviceId } = await seeded(path)
    await registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'i-1', Attributes: { k: 'v' } })
    const shard = join(registryPaths(path).dir, 'services', `${serviceId}.json`)
    const text = readFileSync(shard, 'utf8')
    writeFileSync(shard, text.slice(0, text.length - 8))
    const before = fingerprint(dir)
    for (const args of [
      ['list-instances', '--service-id', serviceId],
      ['register-instance', '--service-id', serviceId, '--instance-id', 'i-2', '--attributes', 'k=v'],
      ['discover-instances', '--namespace-name', 'ns', '--service-name', 'web'],
    ]) {
      const r = cli(path, ...args)
      expect(r.status, r.stderr).toBe(255)
      expect(r.stderr).toContain(`The registry shard ${shard} (the instances of one service) is not valid JSON`)
      expect(r.stderr).toContain(`git checkout -- ${shard}`)
    }
    expect(fingerprint(dir)).toEqual(before)
    expect(cli(path, 'list-services').status).toBe(0)
    expect(cli(path, 'create-http-namespace', '--name', 'unaffected').status).toBe(0)
  })

  it('a registry file deleted while its shards were kept', async () => {
    const { dir, path } = tempRegistry()
    const { registry, serviceId } = await seeded(path)
    await registry.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'i-1', Attributes: {} })
    const { rmSync } = await import('node:fs')
    rmSync(path)
    expectRefused(dir, path, `The registry file ${path} is missing, but its shard folder ${registryPaths(path).dir} is there`, /Restore .* or delete .* to start a new registry/)
  })
})
