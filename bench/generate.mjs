// Generate a local registry of a given size, laid out exactly as cloudmap lays it out (it goes through
// the store's own commit), with what creating it through the CLI would have left: namespaces, services,
// instances with attributes, one REGISTER_INSTANCE operation and request token per instance.
//
//   node bench/generate.mjs PATH NAMESPACES SERVICES_PER_NAMESPACE INSTANCES_PER_SERVICE [--schema 1]
//
// --schema 1 writes the single-file layout of cloudmap before sharding (to measure it, or a migration).
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A small deterministic generator, so every run builds the same registry. */
function ids(seed) {
  let s = seed >>> 0 || 1
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0), s)
  return (n, alphabet = ALNUM) => {
    let out = ''
    for (let i = 0; i < n; i++) out += alphabet[next() % alphabet.length]
    return out
  }
}

export function flatRegistry({ namespaces, servicesPerNamespace, instancesPerService, region = 'us-east-1', account = '123456789012' }) {
  const rand = ids(42)
  const date = (n) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + n * 1000).toISOString()
  const flat = { schemaVersion: 1, namespaces: {}, services: {}, instances: {}, operations: {}, tags: {}, sequence: 0 }
  let t = 0
  const op = (type, targets, extra) => {
    const id = `${rand(32)}-${rand(8)}`
    flat.operations[id] = { Id: id, Type: type, Status: 'SUCCESS', CreateDate: date(t), UpdateDate: date(t), Targets: targets, ...extra }
    return id
  }
  for (let n = 0; n < namespaces; n++) {
    const nsId = `ns-${rand(16)}`
    const name = `ns${n}.example`
    flat.namespaces[nsId] = { Id: nsId, Arn: `arn:aws:servicediscovery:${region}:${account}:namespace/${nsId}`, Name: name, Type: 'HTTP', HttpName: name, CreateDate: date(t++) }
    op('CREATE_NAMESPACE', { NAMESPACE: nsId }, { NamespaceId: nsId })
    flat.sequence++
    for (let s = 0; s < servicesPerNamespace; s++) {
      const srvId = `srv-${rand(16)}`
      const instances = {}
      for (let i = 0; i < instancesPerService; i++) {
        const id = `i-${n}-${s}-${i}`
        const token = `${rand(8)}-${rand(4)}-4${rand(3)}-a${rand(3)}-${rand(12)}`
        instances[id] = { Id: id, Attributes: { AWS_INSTANCE_IPV4: `10.${n}.${s}.${i % 250}`, AWS_INSTANCE_PORT: '8080', stage: 'prod', version: String(i % 7) }, CreatorRequestId: token }
        op('REGISTER_INSTANCE', { INSTANCE: id, SERVICE: srvId }, { NamespaceId: nsId, ServiceId: srvId, RequestToken: `RegisterInstance:${srvId}:${token}`, RequestHash: rand(64, '0123456789abcdef') })
        flat.sequence++
        t++
      }
      flat.services[srvId] = {
        Id: srvId,
        Arn: `arn:aws:servicediscovery:${region}:${account}:service/${srvId}`,
        Name: `svc${s}`,
        NamespaceId: nsId,
        Type: 'HTTP',
        CreateDate: date(t++),
        InstancesRevision: String(instancesPerService),
      }
      flat.sequence++
      if (instancesPerService > 0) flat.instances[srvId] = instances
    }
  }
  return flat
}

/** Write a registry of this size at path (which must not exist yet). */
export async function generate(path, size, { schema = 2 } = {}) {
  const flat = flatRegistry(size)
  mkdirSync(dirname(path), { recursive: true })
  if (schema === 1) {
    writeFileSync(path, JSON.stringify(flat, null, 2))
    return
  }
  const { RegistryStore } = await import('../dist/backends/local/store/index.js')
  await new RegistryStore(path).create(flat)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, namespaces, servicesPerNamespace, instancesPerService] = process.argv.slice(2)
  const schema = process.argv.includes('--schema') ? Number(process.argv[process.argv.indexOf('--schema') + 1]) : 2
  if (!path || !namespaces) {
    console.error('usage: node bench/generate.mjs PATH NAMESPACES SERVICES_PER_NAMESPACE INSTANCES_PER_SERVICE [--schema 1]')
    process.exit(2)
  }
  const started = Date.now()
  await generate(path, { namespaces: Number(namespaces), servicesPerNamespace: Number(servicesPerNamespace), instancesPerService: Number(instancesPerService) }, { schema })
  console.error(`generated ${path} in ${Date.now() - started} ms`)
}
