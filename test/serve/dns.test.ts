import { execFile } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { Resolver } from 'node:dns/promises'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { promisify } from 'node:util'
import dnsPacket from 'dns-packet'
import type { DecodedPacket, Packet, SrvAnswer, StringAnswer } from 'dns-packet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../src/backends/local/context.js'
import type { OperationName } from '../../src/model/servicediscovery.js'
import { startDns } from '../../src/serve/dns/index.js'
import type { RunningServe } from '../../src/serve/index.js'
import { runCliAsync, tempRegistry } from '../helpers/cli.js'
import { startServeProcess, until } from '../helpers/live.js'
import { needs } from '../helpers/needs.js'
import { serveHere } from '../helpers/serve.js'

/**
 * cloudmap serve --dns-port: the answers Route 53 gives for Cloud Map's records, asked through node:dns
 * (c-ares), dig, and raw packets where flags and sizes matter. serve runs in this process on free ports;
 * the registry is filled through its API, and changed by the built CLI while serve runs.
 */
const registryFile = tempRegistry().path
let serve: RunningServe
let port = 0
const ids: Record<string, string> = {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (op: OperationName, input: any): Promise<any> => serve.registry.invoke(op, input)

async function namespace(kind: 'CreatePrivateDnsNamespace' | 'CreatePublicDnsNamespace' | 'CreateHttpNamespace', name: string): Promise<string> {
  await call(kind, kind === 'CreatePrivateDnsNamespace' ? { Name: name, Vpc: 'vpc-1' } : { Name: name })
  const { Namespaces } = await call('ListNamespaces', {})
  return Namespaces.find((ns: { Name: string }) => ns.Name === name).Id
}

async function service(namespaceId: string, name: string, extra: object): Promise<string> {
  const { Service } = await call('CreateService', { Name: name, NamespaceId: namespaceId, ...extra })
  ids[name] = Service.Id
  return Service.Id
}

async function register(serviceId: string, instanceId: string, attributes: Record<string, string>): Promise<void> {
  await call('RegisterInstance', { ServiceId: serviceId, InstanceId: instanceId, Attributes: attributes })
}

const aRecords = (ttl = 60) => ({ DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: ttl }] } })

beforeAll(async () => {
  serve = await serveHere({
    registryPath: registryFile,
    seed: 'dns',
    faces: [{ name: 'dns', start: (ctx) => startDns(ctx, { host: '127.0.0.1', port: 0, random: seededRandom('dns-test') }) }],
  })
  port = Number(/^DNS: 127\.0\.0\.1:(\d+) /.exec(serve.announce[0])?.[1])
  const internal = await namespace('CreatePrivateDnsNamespace', 'corp.internal')
  const web = await service(internal, 'web', aRecords())
  for (let i = 1; i <= 12; i++) await register(web, `web-${i}`, { AWS_INSTANCE_IPV4: `10.0.0.${i}` })
  const v6 = await service(internal, 'v6', { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'AAAA', TTL: 20 }] } })
  await register(v6, 'v6-1', { AWS_INSTANCE_IPV4: '10.1.0.1', AWS_INSTANCE_IPV6: '2001:db8::1' })
  const api = await service(internal, '_api._tcp', { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'SRV', TTL: 30 }] } })
  await register(api, 'api-1', { AWS_INSTANCE_IPV4: '10.2.0.1', AWS_INSTANCE_PORT: '8080' })
  await register(api, 'API-2', { AWS_INSTANCE_IPV4: '10.2.0.2', AWS_INSTANCE_IPV6: '2001:db8::2', AWS_INSTANCE_PORT: '8081' })
  const alias = await service(internal, 'legacy', { DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'CNAME', TTL: 300 }] } })
  await register(alias, 'legacy-1', { AWS_INSTANCE_CNAME: 'db.example.org' })
  const custom = { HealthCheckCustomConfig: { FailureThreshold: 1 } }
  const weighted = await service(internal, 'one', { DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'A', TTL: 5 }] }, ...custom })
  for (let i = 1; i <= 3; i++) await register(weighted, `one-${i}`, { AWS_INSTANCE_IPV4: `10.3.0.${i}`, ...(i > 1 ? { AWS_INIT_HEALTH_STATUS: 'UNHEALTHY' } : {}) })
  const checked = await service(internal, 'checked', { ...aRecords(), ...custom })
  for (let i = 1; i <= 3; i++) await register(checked, `checked-${i}`, { AWS_INSTANCE_IPV4: `10.4.0.${i}`, ...(i === 3 ? { AWS_INIT_HEALTH_STATUS: 'UNHEALTHY' } : {}) })
  // Eight SRV records with long targets: more than 512 bytes, so UDP without EDNS0 is truncated.
  const big = await service(internal, '_big._tcp', { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'SRV', TTL: 30 }] } })
  for (let i = 1; i <= 8; i++) await register(big, `instance-with-a-rather-long-identifier-${i}`, { AWS_INSTANCE_IPV4: `10.5.0.${i}`, AWS_INSTANCE_PORT: '9000' })
  const pub = await namespace('CreatePublicDnsNamespace', 'pub.example.com')
  await register(await service(pub, 'www', aRecords(120)), 'www-1', { AWS_INSTANCE_IPV4: '192.0.2.10' })
  const http = await namespace('CreateHttpNamespace', 'plain')
  await register(await service(http, 'api', {}), 'h-1', { AWS_INSTANCE_IPV4: '10.9.9.9' })
  // Serve's view follows the registry through the change feed: wait until it has the last write.
  await answered(() => udp('www.pub.example.com', 'A'), (r) => r.answers!.length === 1)
})

afterAll(async () => {
  await serve?.close()
})

/** The first answer of `probe` that `done` accepts (the shared bounded poll; no timing is asserted). */
function answered<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  return until('the expected answer', async () => {
    const value = await probe()
    return done(value) ? value : undefined
  })
}

function resolver(): Resolver {
  // A new resolver each time: c-ares may cache answers within one.
  const r = new Resolver({ timeout: 2000, tries: 2 })
  r.setServers([`127.0.0.1:${port}`])
  return r
}

/** One query over UDP (optionally with EDNS0 and a payload size, or as raw bytes); the decoded answer. */
function udp(name: string, type: string, options: { edns?: number; raw?: Buffer } = {}): Promise<DecodedPacket> {
  const query: Packet = { id: 4242, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A' }] }
  if (options.edns !== undefined) query.additionals = [{ name: '.', type: 'OPT', udpPayloadSize: options.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
  const message = options.raw ?? dnsPacket.encode(query)
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4')
    const timer = setTimeout(() => {
      socket.close()
      reject(new Error(`no answer to ${name} ${type}`))
    }, 5000)
    socket.on('message', (reply) => {
      clearTimeout(timer)
      socket.close()
      resolve(Object.assign(dnsPacket.decode(reply), { size: reply.length }))
    })
    socket.send(message, port, '127.0.0.1')
  })
}

/** One query over TCP (2-byte length framing). */
function tcp(name: string, type: string): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    socket.on('error', reject)
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk])
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        socket.end()
        resolve(dnsPacket.decode(data.subarray(2, 2 + data.readUInt16BE(0))))
      }
    })
    socket.write(dnsPacket.streamEncode({ id: 7, type: 'query', questions: [{ name, type: type as 'A' }] }))
  })
}

const rcode = (p: DecodedPacket) => (p as DecodedPacket & { rcode: string }).rcode
const values = (p: DecodedPacket) => (p.answers as StringAnswer[]).map((a) => a.data)

describe('cloudmap serve --dns-port through node:dns', () => {
  it('announces where it listens', () => {
    expect(serve.announce[0]).toMatch(/^DNS: 127\.0\.0\.1:\d+ \(UDP and TCP\)/)
    expect(port).toBeGreaterThan(0)
  })

  it('answers A with the DnsRecord TTL, case-insensitively', async () => {
    const records = await resolver().resolve4('V6.Corp.Internal', { ttl: true })
    expect(records).toEqual([{ address: '10.1.0.1', ttl: 10 }])
  })

  it('answers AAAA', async () => {
    expect(await resolver().resolve6('v6.corp.internal', { ttl: true })).toEqual([{ address: '2001:db8::1', ttl: 20 }])
  })

  it('answers SRV as 1 1 port <instance-id>.service.namespace, and the target resolves', async () => {
    const records = await resolver().resolveSrv('_api._tcp.corp.internal')
    expect(records.sort((a, b) => a.port - b.port)).toEqual([
      { name: 'api-1._api._tcp.corp.internal', port: 8080, priority: 1, weight: 1 },
      { name: 'api-2._api._tcp.corp.internal', port: 8081, priority: 1, weight: 1 },
    ])
    expect(await resolver().resolve4('api-2._api._tcp.corp.internal')).toEqual(['10.2.0.2'])
    expect(await resolver().resolve6('API-2._api._tcp.corp.internal')).toEqual(['2001:db8::2'])
  })

  it('answers CNAME (WEIGHTED)', async () => {
    expect(await resolver().resolveCname('legacy.corp.internal')).toEqual(['db.example.org'])
  })

  it('answers SOA and NS at the namespace apex', async () => {
    expect(await resolver().resolveSoa('corp.internal')).toEqual({
      nsname: 'ns-1536.awsdns-00.co.uk',
      hostmaster: 'awsdns-hostmaster.amazon.com',
      serial: 1,
      refresh: 7200,
      retry: 900,
      expire: 1209600,
      minttl: 86400,
    })
    expect((await resolver().resolveNs('corp.internal')).sort()).toEqual(['ns-0.awsdns-00.com', 'ns-1024.awsdns-00.org', 'ns-1536.awsdns-00.co.uk', 'ns-512.awsdns-00.net'])
    // A public namespace's zone gets its own set of Route 53-like name servers.
    expect(await resolver().resolveNs('pub.example.com')).toHaveLength(4)
    expect(await resolver().resolve4('www.pub.example.com')).toEqual(['192.0.2.10'])
  })

  it('answers NXDOMAIN for names that do not exist and NODATA for types a name lacks', async () => {
    await expect(resolver().resolve4('nothing.corp.internal')).rejects.toMatchObject({ code: 'ENOTFOUND' })
    await expect(resolver().resolve6('web.corp.internal')).rejects.toMatchObject({ code: 'ENODATA' })
  })

  it('refuses names outside its zones and never recurses', async () => {
    await expect(resolver().resolve4('example.org')).rejects.toMatchObject({ code: 'EREFUSED' })
  })
})

describe('cloudmap serve --dns-port on the wire', () => {
  it('NXDOMAIN carries the SOA in the authority section, authoritative, without recursion', async () => {
    const reply = await udp('nothing.corp.internal', 'A')
    expect(rcode(reply)).toBe('NXDOMAIN')
    expect(reply.flag_aa).toBe(true)
    expect(reply.flag_ra).toBe(false)
    expect(reply.authorities).toMatchObject([{ type: 'SOA', name: 'corp.internal', ttl: 15 }])
  })

  it('NODATA is NOERROR with no answers and the SOA in authority; empty non-terminals are NODATA too', async () => {
    for (const [name, type] of [['web.corp.internal', 'AAAA'], ['_tcp.corp.internal', 'A']]) {
      const reply = await udp(name, type)
      expect(rcode(reply)).toBe('NOERROR')
      expect(reply.answers).toEqual([])
      expect(reply.authorities).toMatchObject([{ type: 'SOA' }])
    }
  })

  it('SRV carries the targets A/AAAA records in the additional section', async () => {
    const reply = await udp('_api._tcp.corp.internal', 'SRV', { edns: 1232 })
    expect((reply.answers as SrvAnswer[]).map((a) => a.data.target).sort()).toEqual(['api-1._api._tcp.corp.internal', 'api-2._api._tcp.corp.internal'])
    const glue = reply.additionals!.filter((a) => a.type !== 'OPT') as StringAnswer[]
    expect(glue.map((a) => `${a.name} ${a.type} ${a.data}`).sort()).toEqual([
      'api-1._api._tcp.corp.internal A 10.2.0.1',
      'api-2._api._tcp.corp.internal A 10.2.0.2',
      'api-2._api._tcp.corp.internal AAAA 2001:db8::2',
    ])
  })

  it('MULTIVALUE answers at most eight records, a different choice from query to query', async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 10; i++) {
      const reply = await udp('web.corp.internal', 'A')
      const addresses = values(reply)
      expect(addresses).toHaveLength(8)
      expect(new Set(addresses).size).toBe(8)
      seen.add([...addresses].sort().join(','))
    }
    expect(seen.size).toBeGreaterThan(1)
  })

  it('MULTIVALUE leaves unhealthy instances out', async () => {
    for (let i = 0; i < 5; i++) expect(values(await udp('checked.corp.internal', 'A')).sort()).toEqual(['10.4.0.1', '10.4.0.2'])
  })

  it('WEIGHTED answers one healthy record; with none healthy, one of all', async () => {
    for (let i = 0; i < 5; i++) expect(values(await udp('one.corp.internal', 'A'))).toEqual(['10.3.0.1'])
    await call('UpdateInstanceCustomHealthStatus', { ServiceId: ids.one, InstanceId: 'one-1', Status: 'UNHEALTHY' })
    await answered(() => udp('one.corp.internal', 'A'), (r) => values(r)[0] !== '10.3.0.1')
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const answer = values(await udp('one.corp.internal', 'A'))
      expect(answer).toHaveLength(1)
      seen.add(answer[0])
    }
    expect([...seen].every((a) => ['10.3.0.1', '10.3.0.2', '10.3.0.3'].includes(a))).toBe(true)
    expect(seen.size).toBeGreaterThan(1)
  })

  it('over UDP a long answer is truncated (TC) without EDNS0, fits the advertised EDNS0 size, and comes whole over TCP', async () => {
    const classic = await udp('_big._tcp.corp.internal', 'SRV')
    expect(classic.flag_tc).toBe(true)
    expect((classic as DecodedPacket & { size: number }).size).toBeLessThanOrEqual(512)
    const edns = await udp('_big._tcp.corp.internal', 'SRV', { edns: 4096 })
    expect(edns.flag_tc).toBe(false)
    expect(edns.answers).toHaveLength(8)
    expect(edns.additionals!.filter((a) => a.type === 'A')).toHaveLength(8)
    const overTcp = await tcp('_big._tcp.corp.internal', 'SRV')
    expect(overTcp.flag_tc).toBe(false)
    expect(overTcp.answers).toHaveLength(8)
    expect(overTcp.additionals).toHaveLength(8)
  })

  it('over TCP, queries sent together in one write are each answered (RFC 7766 pipelining)', async () => {
    const framed = Buffer.concat([
      dnsPacket.streamEncode({ id: 1, type: 'query', questions: [{ name: 'v6.corp.internal', type: 'AAAA' }] }),
      dnsPacket.streamEncode({ id: 2, type: 'query', questions: [{ name: 'nothing.corp.internal', type: 'A' }] }),
    ])
    const replies = await new Promise<DecodedPacket[]>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      let data = Buffer.alloc(0)
      const got: DecodedPacket[] = []
      socket.on('error', reject)
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk])
        while (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
          got.push(dnsPacket.decode(data.subarray(2, 2 + data.readUInt16BE(0))))
          data = data.subarray(2 + data.readUInt16BE(0))
        }
        if (got.length === 2) {
          socket.end()
          resolve(got)
        }
      })
      socket.write(framed)
    })
    expect(replies.map((r) => [r.id, rcode(r)])).toEqual([
      [1, 'NOERROR'],
      [2, 'NXDOMAIN'],
    ])
  })

  it('a malformed packet gets FORMERR or nothing, and the next query is answered', async () => {
    // A header that promises a question the packet does not hold.
    const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x05, 0x61])
    const reply = await udp('', 'A', { raw: header })
    expect(reply.id).toBe(0x1234)
    expect(rcode(reply)).toBe('FORMERR')
    // Too short to have a header: dropped.
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.send(Buffer.from([1, 2, 3]), port, '127.0.0.1', () => resolve()))
    socket.close()
    expect(values(await udp('v6.corp.internal', 'A'))).toEqual(['10.1.0.1'])
  })

  it('refuses other zones, HTTP namespaces and classes other than IN, without AA or RA', async () => {
    for (const name of ['example.org', 'api.plain', 'corp']) {
      const reply = await udp(name, 'A')
      expect(rcode(reply)).toBe('REFUSED')
      expect(reply.flag_aa).toBe(false)
      expect(reply.flag_ra).toBe(false)
      expect(reply.flag_rd).toBe(true)
    }
    const chaos = dnsPacket.encode({ id: 9, type: 'query', questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }] })
    expect(rcode(await udp('', '', { raw: chaos }))).toBe('REFUSED')
    // A class no one defined (7): the question's last two bytes.
    const odd = dnsPacket.encode({ id: 10, type: 'query', questions: [{ name: 'web.corp.internal', type: 'A' }] })
    odd.writeUInt16BE(7, odd.length - 2)
    expect(rcode(await udp('', '', { raw: odd }))).toBe('REFUSED')
  })

  it('answers BADVERS to EDNS versions above 0', async () => {
    const query = dnsPacket.encode({ id: 1, type: 'query', questions: [{ name: 'web.corp.internal', type: 'A' }], additionals: [{ name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 1, flags: 0, flag_do: false, options: [] }] })
    const reply = await udp('', '', { raw: query })
    expect(reply.additionals).toMatchObject([{ type: 'OPT', extendedRcode: 1, ednsVersion: 0 }])
  })

  it('a change made with the CLI shows in the next answers', async () => {
    const registered = await runCliAsync(['register-instance', '--registry', registryFile, '--service-id', ids.v6, '--instance-id', 'v6-2', '--attributes', 'AWS_INSTANCE_IPV4=10.1.0.2,AWS_INSTANCE_IPV6=2001:db8::3'])
    expect(registered.stderr).toBe('')
    const reply = await answered(() => udp('v6.corp.internal', 'A'), (r) => r.answers!.length === 2)
    expect(values(reply).sort()).toEqual(['10.1.0.1', '10.1.0.2'])
    expect(values(await udp('v6-2.v6.corp.internal', 'A'))).toEqual([])
    const unhealthy = await runCliAsync(['update-instance-custom-health-status', '--registry', registryFile, '--service-id', ids.checked, '--instance-id', 'checked-2', '--status', 'UNHEALTHY'])
    expect(unhealthy.stderr).toBe('')
    await answered(() => udp('checked.corp.internal', 'A'), (r) => values(r).join() === '10.4.0.1')
    // A new TTL (the service's DnsConfig) shows too: answers prepared for a query don't outlive a change.
    expect((await udp('checked.corp.internal', 'A')).answers).toMatchObject([{ ttl: 60 }])
    const retimed = await runCliAsync(['update-service', '--registry', registryFile, '--id', ids.checked, '--service', 'DnsConfig={DnsRecords=[{Type=A,TTL=9}]}'])
    expect(retimed.stderr).toBe('')
    await answered(() => udp('checked.corp.internal', 'A'), (r) => (r.answers as StringAnswer[])[0].ttl === 9)
    const deregistered = await runCliAsync(['deregister-instance', '--registry', registryFile, '--service-id', ids.v6, '--instance-id', 'v6-1'])
    expect(deregistered.stderr).toBe('')
    await answered(() => resolver().resolve4('v6.corp.internal'), (a) => a.join() === '10.1.0.2')
  })
})

const DIG = ['/usr/bin/dig', '/bin/dig'].find((p) => existsSync(p))

describe('cloudmap serve --dns-port through dig', () => {
  if (!needs('dig', DIG !== undefined, 'apt-get install dnsutils (.ci/run does)')) return
  const dig = async (...args: string[]) => (await promisify(execFile)(DIG!, ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=2', ...args])).stdout

  it('A, AAAA, CNAME, SOA', async () => {
    expect(await dig('+short', 'api-2._api._tcp.corp.internal', 'AAAA')).toBe('2001:db8::2\n')
    expect(await dig('+short', 'legacy.corp.internal', 'CNAME')).toBe('db.example.org.\n')
    expect(await dig('+short', 'corp.internal', 'SOA')).toBe('ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400\n')
    expect(await dig('+noall', '+answer', 'WWW.PUB.EXAMPLE.COM', 'A')).toMatch(/^www\.pub\.example\.com\.\s+120\s+IN\s+A\s+192\.0\.2\.10\n$/)
  })

  it('SRV with the glue in the additional section', async () => {
    const out = await dig('+noall', '+answer', '+additional', '_api._tcp.corp.internal', 'SRV')
    expect(out).toMatch(/_api\._tcp\.corp\.internal\.\s+30\s+IN\s+SRV\s+1 1 8080 api-1\._api\._tcp\.corp\.internal\./)
    expect(out).toMatch(/api-2\._api\._tcp\.corp\.internal\.\s+30\s+IN\s+AAAA\s+2001:db8::2/)
  })

  it('NXDOMAIN, NODATA and REFUSED with their flags', async () => {
    expect(await dig('nothing.corp.internal')).toMatch(/status: NXDOMAIN[\s\S]*flags: qr aa rd;[\s\S]*AUTHORITY SECTION:\ncorp\.internal\.\s+15\s+IN\s+SOA/)
    expect(await dig('web.corp.internal', 'TXT')).toMatch(/status: NOERROR[\s\S]*ANSWER: 0, AUTHORITY: 1/)
    expect(await dig('example.org')).toMatch(/status: REFUSED[\s\S]*flags: qr rd;/)
  })

  it('MULTIVALUE: eight of twelve; truncation over UDP falls back to TCP', async () => {
    expect((await dig('+short', 'web.corp.internal')).trim().split('\n')).toHaveLength(8)
    const out = await dig('+noedns', '+ignore', '_big._tcp.corp.internal', 'SRV')
    expect(out).toMatch(/flags: qr aa tc rd;/)
    const retried = await dig('+noedns', '_big._tcp.corp.internal', 'SRV')
    expect(retried).toMatch(/Truncated, retrying in TCP mode/)
    expect(retried).toMatch(/ANSWER: 8, AUTHORITY: 0, ADDITIONAL: 8/)
  })
})

describe('cloudmap serve --dns-port as a command', () => {
  it('prints where DNS listens, answers from the registry file, and stops on SIGTERM', async () => {
    const serveProcess = await startServeProcess(['--dns-port', '0', '--registry', registryFile])
    try {
      // The faces' lines follow the address on stderr.
      const announced = await until('the DNS address on stderr', () => /DNS: 127\.0\.0\.1:(\d+) \(UDP and TCP\)/.exec(serveProcess.live.stderr()) ?? undefined)
      const r = new Resolver({ timeout: 2000, tries: 2 })
      r.setServers([`127.0.0.1:${announced![1]}`])
      expect(await r.resolveCname('legacy.corp.internal')).toEqual(['db.example.org'])
    } finally {
      expect(await serveProcess.stop()).toBe(0)
    }
  })
})
