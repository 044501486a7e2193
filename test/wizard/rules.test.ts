import { describe, expect, it } from 'vitest'
import { answerProblems } from '../../src/wizard/check.js'
import { parseInstanceSpec, parseServiceSpec } from '../../src/wizard/flag-specs.js'
import * as rules from '../../src/wizard/rules.js'
import { attributesArgument, equivalentScript, shellQuote } from '../../src/wizard/script.js'

describe('answers are checked as the API would', () => {
  it('namespace names, per type', () => {
    expect(rules.namespaceName('HTTP')('my app')).toBe('Only printable ASCII characters, without spaces.')
    expect(rules.namespaceName('HTTP')('arn:aws:x')).toBe('A namespace name cannot start with "arn:".')
    expect(rules.namespaceName('HTTP')('myapp')).toBe(true)
    expect(rules.namespaceName('DNS_PUBLIC')('localhost')).toMatch(/^A public DNS namespace is a domain name/)
    expect(rules.namespaceName('DNS_PUBLIC')('-bad.example.com')).toMatch(/domain name/)
    expect(rules.namespaceName('DNS_PUBLIC')('example.com')).toBe(true)
    expect(rules.namespaceName('DNS_PRIVATE')('x'.repeat(254))).toBe('At most 253 characters.')
    expect(rules.namespaceName('HTTP')('')).toBe('A namespace name is required.')
  })

  it('namespace names that exist already (case-insensitively, HTTP among HTTP, DNS among DNS)', () => {
    const existing = [{ Id: 'ns-1', Name: 'Shop', Type: 'HTTP' }, { Id: 'ns-2', Name: 'corp.example.com', Type: 'DNS_PUBLIC' }]
    expect(rules.namespaceName('HTTP', existing)('shop')).toBe('A namespace named Shop already exists (ns-1): choose another name.')
    expect(rules.namespaceName('DNS_PRIVATE', existing)('shop')).toBe(true)
    expect(rules.namespaceName('DNS_PRIVATE', existing)('CORP.example.com')).toMatch(/already exists \(ns-2\)/)
  })

  it('VPC ids', () => {
    expect(rules.vpcId('vpc-0a1b2c3d')).toBe(true)
    expect(rules.vpcId('vpc-0a1b2c3d4e5f67890')).toBe(true)
    // What CreatePrivateDnsNamespace takes (ResourceId, up to 64 characters): the commands take vpc-123.
    expect(rules.vpcId('vpc-123')).toBe(true)
    expect(rules.vpcId('v'.repeat(65))).toBe('A VPC id is at most 64 characters.')
    expect(rules.vpcId('')).toMatch(/needs the id of the VPC/)
  })

  it('service names, unique in the namespace', () => {
    expect(rules.serviceName('HTTP')('web')).toBe(true)
    expect(rules.serviceName('HTTP')('-web')).toMatch(/DNS labels/)
    expect(rules.serviceName('HTTP')('a'.repeat(64))).toMatch(/up to 63 per label/)
    expect(rules.serviceName('HTTP', ['web'])('Web')).toBe(true)
    expect(rules.serviceName('DNS_PUBLIC', ['web'])('Web')).toBe('There is already a service named Web in this namespace.')
  })

  it('TTLs, ports, thresholds and paths', () => {
    expect(rules.ttl('60')).toBe(true)
    expect(rules.ttl('-1')).toBe('The TTL is a whole number of seconds.')
    expect(rules.ttl('2147483648')).toBe('At most 2147483647 seconds.')
    expect(rules.port(true)('')).toBe('This service has an SRV record or a health check: AWS requires a port.')
    expect(rules.port(false)('')).toBe(true)
    expect(rules.port(false)('0')).toBe('A port is a whole number from 1 to 65535.')
    expect(rules.failureThreshold('11')).toBe('Route 53 takes 1 to 10 consecutive checks.')
    expect(rules.resourcePath('health')).toBe('The path starts with "/", such as /health.')
  })

  it('instance ids and addresses', () => {
    expect(rules.instanceId()('i-0abc:8080')).toBe(true)
    expect(rules.instanceId()('web 1')).toBe('Only letters, digits and _ / : . @ - are allowed.')
    expect(rules.instanceId(['web-1'])('web-1')).toMatch(/already in this service/)
    expect(rules.ipv4(true)('')).toBe('This service has A records: AWS requires an IPv4 address.')
    expect(rules.ipv4(false)('10.0.0.256')).toBe('10.0.0.256 is not an IPv4 address (such as 192.0.2.44).')
    expect(rules.ipv6(true)('2001:db8::1')).toBe(true)
    expect(rules.cname('not a host')).toMatch(/is not a domain name/)
  })

  it('custom attributes: reserved names, limits', () => {
    const check = rules.customAttribute({ stage: 'beta' })
    expect(check('')).toBe(true)
    expect(check('version=2')).toBe(true)
    expect(check('novalue')).toBe('Type key=value (or nothing to finish).')
    expect(check('AWS_INSTANCE_IPV4=1.2.3.4')).toMatch(/reserved by AWS/)
    expect(check('stage=prod')).toBe('stage is already set to "beta".')
    expect(check('k= leading')).toMatch(/spaces only between other characters/)
    const thirty = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v']))
    expect(rules.customAttribute(thirty)('one=more')).toBe('AWS allows at most 30 custom attributes.')
    expect(rules.customAttribute({ a: 'x'.repeat(1000), b: 'x'.repeat(1000), c: 'x'.repeat(1000), d: 'x'.repeat(1000) })('e=' + 'x'.repeat(1000))).toMatch(/total at most 5000/)
  })
})

describe('only combinations AWS accepts are offered', () => {
  it('no DNS records in HTTP namespaces; A, AAAA, A+AAAA, SRV, CNAME or none in DNS namespaces', () => {
    expect(rules.recordSetsFor('HTTP')).toEqual(['NONE'])
    expect(rules.recordSetsFor('DNS_PRIVATE')).toEqual(['A', 'AAAA', 'A+AAAA', 'SRV', 'CNAME', 'NONE'])
  })

  it('CNAME records only with WEIGHTED routing', () => {
    expect(rules.routingPoliciesFor('CNAME')).toEqual(['WEIGHTED'])
    expect(rules.routingPoliciesFor('A')).toEqual(['MULTIVALUE', 'WEIGHTED'])
  })

  it('Route 53 health checks only in public DNS namespaces, with DNS records other than CNAME', () => {
    const refused = (type: Parameters<typeof rules.healthChecksFor>[0], set: Parameters<typeof rules.healthChecksFor>[1]) =>
      Object.fromEntries(rules.healthChecksFor(type, set).map((h) => [h.kind, h.refused ?? 'ok']))
    expect(refused('DNS_PUBLIC', 'A')).toEqual({ none: 'ok', custom: 'ok', HTTP: 'ok', HTTPS: 'ok', TCP: 'ok' })
    expect(refused('DNS_PUBLIC', 'CNAME').HTTP).toBe('AWS refuses Route 53 health checks with CNAME records')
    expect(refused('DNS_PRIVATE', 'A').TCP).toBe('Route 53 health checks need a public DNS namespace')
    expect(refused('HTTP', 'NONE').HTTPS).toBe('Route 53 health checks need a public DNS namespace')
    expect(refused('DNS_PUBLIC', 'NONE').HTTP).toBe('Route 53 health checks need DNS records')
  })
})

describe('init --service and --instance values', () => {
  it('read key=value lists with defaults', () => {
    expect(parseServiceSpec('name=web', 'NONE')).toEqual({ name: 'web', records: 'NONE', health: 'none' })
    expect(parseServiceSpec('name=www,records=aaaa+a,health=https', 'A')).toEqual({
      name: 'www',
      records: 'A+AAAA',
      ttl: 60,
      routingPolicy: 'MULTIVALUE',
      health: 'HTTPS',
      resourcePath: '/',
      failureThreshold: 1,
    })
    expect(parseServiceSpec('name=c,records=CNAME', 'A')).toMatchObject({ routingPolicy: 'WEIGHTED' })
    const services = [parseServiceSpec('name=web', 'NONE')]
    expect(parseInstanceSpec('id=web-1,ipv4=10.0.0.1,port=80,attr.stage=beta', services)).toEqual({
      service: 'web',
      id: 'web-1',
      ipv4: '10.0.0.1',
      port: 80,
      attributes: { stage: 'beta' },
    })
  })

  it('read JSON objects, for values with commas', () => {
    const services = [parseServiceSpec('{"name": "web"}', 'NONE')]
    expect(parseInstanceSpec('{"id": "w1", "attributes": {"note": "a, b"}}', services)).toMatchObject({ attributes: { note: 'a, b' } })
  })

  it('say what is wrong', () => {
    expect(() => parseServiceSpec('records=A', 'A')).toThrowError('--service records=A: name= is required')
    expect(() => parseServiceSpec('name=x,colour=red', 'A')).toThrowError('--service: unknown key "colour"')
    expect(() => parseServiceSpec('name=x,records=A+SRV', 'A')).toThrowError(/not a record set AWS accepts/)
    expect(() => parseInstanceSpec('id=1', [])).toThrowError(/service= is required/)
  })

  it('are checked like typed answers, all problems at once', () => {
    const services = [parseServiceSpec('name=www,records=CNAME,health=HTTP', 'A'), parseServiceSpec('name=WWW,records=SRV', 'A')]
    const instances = [parseInstanceSpec('service=WWW,id=s1,port=99999', services)]
    expect(answerProblems({ namespace: { type: 'DNS_PUBLIC', name: 'example.com' }, services, instances })).toEqual([
      'service www: AWS refuses Route 53 health checks with CNAME records.',
      'service WWW: There is already a service named WWW in this namespace.',
      'instance s1: This service has an SRV record: AWS requires an IPv4 or IPv6 address.',
      'instance s1: A port is a whole number from 1 to 65535.',
    ])
  })
})

describe('the equivalent commands', () => {
  it('quote for the shell only where needed', () => {
    expect(shellQuote('web-1')).toBe('web-1')
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('')).toBe("''")
    expect(attributesArgument({ AWS_INSTANCE_IPV4: '10.0.0.1', stage: 'beta' })).toBe('AWS_INSTANCE_IPV4=10.0.0.1,stage=beta')
    expect(attributesArgument({ note: 'a, b' })).toBe('{"note":"a, b"}')
    expect(attributesArgument({})).toBe('{}')
  })

  it('capture ids in variables, and continue long lines', () => {
    const script = equivalentScript({
      backend: { kind: 'remote', endpointUrl: 'http://127.0.0.1:5000', region: 'us-east-1', profile: 'moto' },
      namespace: { type: 'DNS_PRIVATE', name: 'corp.internal', vpc: 'vpc-0a1b2c3d' },
      services: [{ name: 'api', records: 'SRV', ttl: 30, routingPolicy: 'MULTIVALUE', health: 'custom' }],
      instances: [{ service: 'api', id: 'api-1', ipv4: '10.0.0.5', port: 8443, attributes: {} }],
    })
    // The backend is exported once; registrations print nothing (their OperationId is of no use here).
    expect(script).toBe(`#!/bin/sh
set -e
export AWS_ENDPOINT_URL_SERVICEDISCOVERY=http://127.0.0.1:5000
export AWS_REGION=us-east-1
export AWS_PROFILE=moto
op=$(cloudmap create-private-dns-namespace --name corp.internal --vpc vpc-0a1b2c3d \\
    --query OperationId --output text)
ns_id=$(cloudmap get-operation --operation-id "$op" --query Operation.Targets.NAMESPACE \\
    --output text)
srv_api=$(cloudmap create-service --name api --namespace-id "$ns_id" \\
    --dns-config 'RoutingPolicy=MULTIVALUE,DnsRecords=[{Type=SRV,TTL=30}]' \\
    --health-check-custom-config FailureThreshold=1 --query Service.Id --output text)
cloudmap register-instance --service-id "$srv_api" --instance-id api-1 \\
    --attributes AWS_INSTANCE_IPV4=10.0.0.5,AWS_INSTANCE_PORT=8443 >/dev/null
cloudmap discover-instances --namespace-name corp.internal --service-name api
`)
  })
})
