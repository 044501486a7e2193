import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempRegistry } from '../helpers/cli.js'
import type { ServeProcess } from '../helpers/live.js'
import { startServeProcess } from '../helpers/live.js'
import { HAS_MOTO, startMoto, type Moto } from '../helpers/moto.js'
import { needs } from '../helpers/needs.js'
import { apply, diff, exportDoc, scratch, seedRich, withVpc } from './support.js'

const REMOTE_DOC = readFileSync(new URL('./fixtures/remote.yaml', import.meta.url), 'utf8')

// The AWS SDK reads credentials from the process environment (any key works for serve and moto).
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'test'
  process.env.AWS_SECRET_ACCESS_KEY = 'test'
})

describe('local -> cloudmap serve -> local', () => {
  let serve: ServeProcess
  beforeAll(async () => {
    serve = await startServeProcess(['--registry', tempRegistry().path])
  })
  afterAll(async () => {
    await serve?.stop()
  })

  it('carries every setting through the API and back, byte for byte', async () => {
    const src = scratch()
    await seedRich(src.registry)
    const exported = (await exportDoc({ registry: src.registry })).stdout
    const file = src.file('doc.yaml', withVpc(exported))

    const toServe = await apply({ file, yes: true, 'endpoint-url': serve.url, region: 'us-east-1' })
    expect(toServe.stderr).toBe('')
    expect(toServe.status).toBe(0)
    expect(toServe.stdout).toContain(`Plan for ${serve.url}:`)
    const fromServe = await exportDoc({ 'endpoint-url': serve.url })
    expect(fromServe.stdout).toBe(exported)
    expect((await apply({ file, yes: true, 'endpoint-url': serve.url })).stdout).toBe(`No changes: ${serve.url} already matches ${file}.\n`)

    const back = scratch()
    const copy = back.file('copy.yaml', withVpc(fromServe.stdout))
    expect((await apply({ file: copy, yes: true, registry: back.registry })).status).toBe(0)
    expect((await exportDoc({ registry: back.registry })).stdout).toBe(exported)
    expect(await diff({ 'from-endpoint': serve.url, registry: back.registry })).toEqual({ status: 0, stdout: '', stderr: '' })

    // A change on one side shows in the diff of the two backends.
    const changed = back.file('changed.yaml', withVpc(exported).replace('owner: alice', 'owner: carol'))
    expect((await apply({ file: changed, yes: true, registry: back.registry })).status).toBe(0)
    const d = await diff({ 'from-endpoint': serve.url, registry: back.registry })
    expect(d.status).toBe(1)
    expect(d.stdout).toContain(`--- ${serve.url}\n+++ the local registry ${back.registry}\n`)
    expect(d.stdout).toContain('-          owner: alice\n+          owner: carol\n')
  })
})

describe.skipIf(!needs('moto_server', HAS_MOTO, 'pip install "moto[server]"'))('local -> moto_server', () => {
  let moto: Moto
  beforeAll(async () => {
    moto = await startMoto()
  })
  afterAll(async () => {
    await moto?.stop()
  })

  it('applies namespaces, services, health checks, tags and instances, exports them back, and a second apply changes nothing', async () => {
    await moto.reset()
    const s = scratch()
    const file = s.file('remote.yaml', REMOTE_DOC)
    const first = await apply({ file, yes: true, 'endpoint-url': moto.url, region: 'us-east-1' })
    expect(first.status).toBe(0)
    expect(first.stdout).toContain('Applied: 6 created, 3 registered.')
    const exported = await exportDoc({ 'endpoint-url': moto.url, region: 'us-east-1' })
    expect(exported.status).toBe(0)
    // moto has no GetServiceAttributes: said once, and the export goes on without them.
    expect(exported.stderr).toBe('warning: this endpoint does not answer GetServiceAttributes (500); service attributes are left out.\n')
    // What moto keeps is what the document says, but for the private namespace's VPC, which Cloud Map never reports.
    expect(exported.stdout).toBe(`# cloudmap registry document (schema/registry-document.schema.json): cloudmap apply -f FILE\n${REMOTE_DOC.replace('    Vpc: vpc-1234\n', '')}`)
    const second = await apply({ file, yes: true, 'endpoint-url': moto.url, region: 'us-east-1' })
    expect(second.stdout).toBe(`No changes: ${moto.url} already matches ${file}.\n`)

    // The same document on the local registry, then the two backends compared.
    expect((await apply({ file, yes: true, registry: s.registry })).status).toBe(0)
    const d = await diff({ 'from-endpoint': moto.url, region: 'us-east-1', registry: s.registry })
    // The local registry reports the private namespace's SOA TTL; moto does not.
    expect(d.stdout).toContain('+    Properties:\n+      DnsProperties:\n+        SOA:\n+          TTL: 15\n')
    expect(d.stdout.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toHaveLength(4)
  })

  it('updates and prunes on moto', async () => {
    await moto.reset()
    const s = scratch()
    expect((await apply({ file: s.file('a.yaml', REMOTE_DOC), yes: true, 'endpoint-url': moto.url })).status).toBe(0)
    const next = REMOTE_DOC.replace('stage: prod', 'stage: test').replace('Description: The shop', 'Description: The new shop').replace(/( {4}Vpc: vpc-1234\n) {4}Services:\n {6}db:\n(?: {8}.*\n)+/, '$1')
    const r = await apply({ file: s.file('b.yaml', next), yes: true, prune: true, 'endpoint-url': moto.url })
    expect(r.stderr).toBe('warning: this endpoint does not answer GetServiceAttributes (500); service attributes are left out.\n')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Applied: 1 updated, 1 registered, 1 deregistered, 1 deleted.')
    expect((await exportDoc({ 'endpoint-url': moto.url })).stdout).not.toContain('db-1')
    expect((await diff({ file: s.file('b2.yaml', next), 'endpoint-url': moto.url })).status).toBe(0)
  })
})
