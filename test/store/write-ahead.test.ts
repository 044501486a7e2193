import { createHash } from 'node:crypto'
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { registryPaths } from '../../src/backends/local/store/index.js'
import { checkpoint, commit } from '../../src/backends/local/store/journal.js'
import type { LoggedFiles } from '../../src/backends/local/store/journal.js'
import { MAIN, serviceShard } from '../../src/backends/local/store/paths.js'
import { ROOT, tempRegistry } from '../helpers/cli.js'
import { readRegistry, registryFiles } from './files.js'
import { startServeProcess, until } from '../helpers/live.js'
import { apiCall } from '../helpers/serve.js'
import { cloudmap, seeded, serverRegistry, sleep } from './processes.js'

beforeAll(() => {
  expect(existsSync(`${ROOT}/dist/cli/fast-path.js`), 'run npm run build first').toBe(true)
})

/**
 * Close the server as a power cut would leave it: its log written and flushed, then put back after the
 * close's checkpoint deleted it (the files stay as the writes left them).
 */
async function closeLeavingLog(server: LocalRegistry, paths: ReturnType<typeof registryPaths>): Promise<void> {
  const log = readFileSync(paths.log)
  await server.close()
  writeFileSync(paths.log, log)
}

/** A seeded registry whose server registered `instanceId` and closed as a power cut would leave it. */
async function withLoggedWrite(instanceId: string): Promise<{ path: string; serviceId: string; paths: ReturnType<typeof registryPaths> }> {
  const { path } = tempRegistry()
  const { serviceId } = await seeded(path)
  const paths = registryPaths(path)
  const server = serverRegistry(path)
  await server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: instanceId, Attributes: {} })
  await closeLeavingLog(server, paths)
  return { path, serviceId, paths }
}

const instanceIds = (path: string, serviceId: string) => Object.keys(readRegistry(path).instances[serviceId] ?? {}).sort()

/** Writes sent per round of the SIGKILL test: more than a server answers before it is killed. */
const WRITES_PER_ROUND = 600

describe('the write-ahead log', () => {
  it('is gone after a CLI write: each command leaves the files durable and nothing else', async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const run = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'cli', '--attributes', 'k=v']).done
    expect(run, run.stderr).toMatchObject({ status: 0 })
    const paths = registryPaths(path)
    expect(existsSync(paths.log)).toBe(false)
    expect(existsSync(paths.journal)).toBe(false)
    expect(instanceIds(path, serviceId)).toEqual(['cli'])
  })

  it("holds a server's writes until they pause, while every acknowledged write is already in the files; close() checkpoints", async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const server = serverRegistry(path)
    const paths = registryPaths(path)
    await Promise.all(Array.from({ length: 10 }, (_, i) => server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: `i-${i}`, Attributes: { n: String(i) } })))
    expect(existsSync(paths.log)).toBe(true)
    expect(instanceIds(path, serviceId)).toHaveLength(10)
    // After the header, one record per commit: "~", its checksum, the files it wrote and their lengths, then their contents.
    const [header, ...lines] = readFileSync(paths.log, 'utf8').split('\n')
    expect(JSON.parse(header)).toMatchObject({ log: 1, boot: expect.any(String) })
    const records = lines.filter((line) => line.startsWith('~'))
    expect(records.length).toBeGreaterThan(0)
    for (const record of records) expect(JSON.parse(record.slice(66))).toContainEqual([MAIN, expect.any(Number)])
    // Writes paused: the files are made durable and the log goes.
    await until('the checkpoint once writes pause', () => !existsSync(paths.log))
    expect(existsSync(paths.log)).toBe(false)
    await server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'last', Attributes: {} })
    expect(existsSync(paths.log)).toBe(true)
    await server.close()
    expect(existsSync(paths.log)).toBe(false)
    expect(instanceIds(path, serviceId)).toContain('last')
  })

  it("lets a server's next write start from its last one, and still sees a CLI write made in between", async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const server = serverRegistry(path)
    await server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'serve-1', Attributes: {} })
    const cli = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'cli', '--attributes', 'k=v']).done
    expect(cli, cli.stderr).toMatchObject({ status: 0 })
    await server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'serve-2', Attributes: {} })
    await server.close()
    expect(instanceIds(path, serviceId)).toEqual(['cli', 'serve-1', 'serve-2'])
    expect(readRegistry(path).services[serviceId].InstancesRevision).toBe('3')
  })

  it('is replayed after the machine restarted: files that lost writes get them back, and readers see them', async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const paths = registryPaths(path)
    const shard = `${paths.dir}/${serviceShard(serviceId)}`
    const server = serverRegistry(path)
    await server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'kept', Attributes: {} })
    await server.close()
    const durable = readFileSync(shard, 'utf8')
    await server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'in-the-log', Attributes: {} })
    // The log as a power cut leaves it: written and flushed, its files' new contents never written back.
    await closeLeavingLog(server, paths)
    writeFileSync(shard, durable)
    expect(instanceIds(path, serviceId)).toEqual(['kept'])

    // Same boot: nothing to replay (no write was cut short), the log is left for the next checkpoint.
    const sameBoot = await cloudmap(path, ['list-instances', '--service-id', serviceId]).done
    expect(JSON.parse(sameBoot.stdout).Instances.map((i: { Id: string }) => i.Id)).toEqual(['kept'])

    const after = await cloudmap(path, ['list-instances', '--service-id', serviceId], { CLOUDMAP_TEST_BOOT_ID: 'the-next-boot' }).done
    expect(after, after.stderr).toMatchObject({ status: 0 })
    expect(JSON.parse(after.stdout).Instances.map((i: { Id: string }) => i.Id).sort()).toEqual(['in-the-log', 'kept'])
    expect(existsSync(paths.log)).toBe(false)
    expect(readRegistry(path).services[serviceId].InstancesRevision).toBe('2')
    for (const file of registryFiles(path)) expect(() => JSON.parse(readFileSync(file, 'utf8')), file).not.toThrow()
  })

  it('is not replayed over a registry file replaced since (an editor, git checkout): the files stay, the log is kept aside and the user told', async () => {
    const { path, serviceId, paths } = await withLoggedWrite('logged')
    // Someone edits the registry file by hand.
    const edited = JSON.parse(readFileSync(path, 'utf8'))
    edited.tags['arn:by:hand'] = [{ Key: 'edited', Value: 'yes' }]
    writeFileSync(path, `${JSON.stringify(edited, null, 2)}\n`)

    const write = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'next', '--attributes', 'k=v'], { CLOUDMAP_TEST_BOOT_ID: 'the-next-boot' }).done
    expect(write, write.stderr).toMatchObject({ status: 0 })
    expect(write.stderr).toContain('did not replay its write-ahead log')
    expect(JSON.parse(readFileSync(path, 'utf8')).tags['arn:by:hand']).toEqual([{ Key: 'edited', Value: 'yes' }])
    expect(readdirSync(dirname(paths.log)).filter((name) => name.startsWith('write-ahead.log.'))).toHaveLength(1)
    expect(existsSync(paths.log)).toBe(false)
  })

  it('cuts off a torn last line (a writer killed while appending: never acknowledged) and finishes the last whole one', async () => {
    const { path, serviceId, paths } = await withLoggedWrite('whole')
    const whole = readFileSync(paths.log, 'utf8')
    // A killed writer: its marker, and half a record.
    appendFileSync(paths.log, `~${'0'.repeat(64)} [["@registry",400]]\n{\n  "schemaVer`)
    writeFileSync(paths.journal, '')

    const read = await cloudmap(path, ['list-instances', '--service-id', serviceId]).done
    expect(read, read.stderr).toMatchObject({ status: 0 })
    expect(JSON.parse(read.stdout).Instances.map((i: { Id: string }) => i.Id)).toEqual(['whole'])
    expect(readFileSync(paths.log, 'utf8')).toBe(whole)
    expect(existsSync(paths.journal)).toBe(false)
  })

  it('keeps every write a server acknowledged when the server is killed (SIGKILL) in the middle of a stream of them', { timeout: 120_000 }, async () => {
    const { path } = tempRegistry()
    const { registry, namespaceId, serviceId } = await seeded(path)
    const paths = registryPaths(path)
    const acknowledged: string[] = []
    const roundServices: string[] = []
    for (let round = 0; round < 3; round++) {
      // A service per round, and at most WRITES_PER_ROUND writes: a fast server stays inside Cloud Map's
      // quotas (1,000 instances per service, 2,000 per namespace).
      const roundService = (await registry.invoke('CreateService', { Name: `round-${round}`, NamespaceId: namespaceId })).Service!.Id!
      roundServices.push(roundService)
      const serve = await startServeProcess(['--registry', path, '--no-health-checks'])
      let stopped = false
      let sent = 0
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; !stopped && sent < WRITES_PER_ROUND; i++) {
          sent++
          const id = `r${round}-w${w}-${i}`
          const answer = await apiCall(serve.url, 'RegisterInstance', { ServiceId: roundService, InstanceId: id, Attributes: { round: String(round) } }).catch(() => undefined)
          if (answer?.status === 200) acknowledged.push(id)
          else break
        }
      })
      await sleep(150 + 100 * round)
      await serve.stop('SIGKILL')
      stopped = true
      await Promise.all(writers)
      // Whatever the server left (its log, perhaps a marker and a half-applied write), a reader sees every acknowledged write.
      const read = await cloudmap(path, ['list-instances', '--service-id', roundService, '--max-results', '100']).done
      expect(read, read.stderr).toMatchObject({ status: 0 })
      const ids = new Set(instanceIds(path, roundService))
      for (const id of acknowledged.filter((a) => a.startsWith(`r${round}-`))) expect(ids.has(id), `acknowledged ${id}`).toBe(true)
      for (const file of registryFiles(path)) expect(() => JSON.parse(readFileSync(file, 'utf8')), file).not.toThrow()
    }
    expect(acknowledged.length).toBeGreaterThan(0)
    const next = await cloudmap(path, ['register-instance', '--service-id', serviceId, '--instance-id', 'after', '--attributes', 'k=v']).done
    expect(next, next.stderr).toMatchObject({ status: 0 })
    const state = readRegistry(path)
    // Every write applied once: each registration of a new id moved its service's revision by one.
    for (const id of roundServices) expect(state.services[id].InstancesRevision).toBe(String(Object.keys(state.instances[id] ?? {}).length))
    expect(existsSync(paths.log)).toBe(false)
    expect(existsSync(paths.journal)).toBe(false)
  })
  it("knows the files its own lines name without reading it back, and reads it when another process's line is in it", async () => {
    const { path } = tempRegistry()
    const paths = registryPaths(path)
    const write = (file: string, before?: LoggedFiles) => commit(paths, [{ file, content: `{"file":"${file}"}\n` }, { file: MAIN, content: `{"last":"${file}"}\n` }], undefined, before)
    const first = await write('services/a.json')
    expect([...first.logged!.files].sort()).toEqual([MAIN, 'services/a.json'])
    const second = await write('services/b.json', first.logged)
    expect([...second.logged!.files].sort()).toEqual([MAIN, 'services/a.json', 'services/b.json'])
    // Another process appends (a CLI write killed before its checkpoint): a stale record knows no more.
    const other = await write('services/c.json')
    expect(other.logged).toBeUndefined()
    expect((await write('services/d.json', second.logged)).logged).toBeUndefined()
    // The checkpoint of a log this process did not write alone reads it: every file it names is made durable and the log goes.
    await checkpoint(paths, second.logged)
    expect(existsSync(paths.log)).toBe(false)
    // A new log is this process's again.
    expect([...(await write('services/e.json')).logged!.files].sort()).toEqual([MAIN, 'services/e.json'])
  })
  it('replays a log that an earlier cloudmap wrote (a JSON line per commit) after a restart', async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const paths = registryPaths(path)
    const shard = `${paths.dir}/${serviceShard(serviceId)}`
    const main = readFileSync(path, 'utf8')
    // The write as the files should hold it, logged as earlier versions logged it; the files never got it.
    const instances = { serviceId, instances: { old: { Id: 'old', Attributes: { k: 'v' } } } }
    const mainAfter = main.replace(/"InstancesRevision": "0"/, '"InstancesRevision": "1",\n        "InstanceCount": 1')
    expect(mainAfter).not.toBe(main)
    const payload = JSON.stringify([
      { file: serviceShard(serviceId), content: `${JSON.stringify(instances, null, 2)}\n` },
      { file: MAIN, content: mainAfter },
    ])
    const sha = (text: string) => createHash('sha256').update(text).digest('hex')
    writeFileSync(paths.log, `${JSON.stringify({ log: 1, boot: 'an-earlier-boot', base: sha(main) })}\n${sha(payload)} ${payload}\n`)
    expect(existsSync(shard)).toBe(false)

    const read = await cloudmap(path, ['list-instances', '--service-id', serviceId]).done
    expect(read, read.stderr).toMatchObject({ status: 0 })
    expect(JSON.parse(read.stdout).Instances.map((i: { Id: string }) => i.Id)).toEqual(['old'])
    expect(readFileSync(path, 'utf8')).toBe(mainAfter)
    expect(existsSync(paths.log)).toBe(false)
  })
  it("drops a log a killed writer left without a whole header (it holds no commit), so the next commits go to a log that can be read", async () => {
    const { path } = tempRegistry()
    const { serviceId } = await seeded(path)
    const paths = registryPaths(path)
    writeFileSync(paths.log, '{"log":1,"bo')
    writeFileSync(paths.journal, '')
    const server = serverRegistry(path)
    await server.invoke('RegisterInstance', { ServiceId: serviceId, InstanceId: 'after', Attributes: {} })
    const [header] = readFileSync(paths.log, 'utf8').split('\n')
    expect(JSON.parse(header)).toMatchObject({ log: 1, id: expect.any(String) })
    await server.close()
    expect(instanceIds(path, serviceId)).toEqual(['after'])
  })
})
